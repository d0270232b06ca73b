import { MantineProvider } from '@mantine/core'
import { QueryClientProvider } from '@tanstack/react-query'
import { render, type RenderResult } from '@testing-library/react'
import type { ReactElement } from 'react'
import { createQueryClient } from '../api/query'
import i18n from '../i18n'
import { theme } from '../theme'

/**
 * Renders a component the way the app does (Mantine theme, the query client, i18next with the real catalogues),
 * for component tests in a DOM environment (happy-dom: `// @vitest-environment happy-dom` in the test file).
 */
export async function renderUi(ui: ReactElement, language: 'en' | 'fr' = 'en'): Promise<RenderResult> {
  await i18n.changeLanguage(language)
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <MantineProvider theme={theme}>{ui}</MantineProvider>
    </QueryClientProvider>
  )
}

/** Mantine reads these browser APIs, which happy-dom does not provide. */
export function installDomShims(): void {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false
  })) as typeof window.matchMedia
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver
}
