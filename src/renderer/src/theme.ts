import { createTheme, darken, defaultVariantColorsResolver, type VariantColorsResolver } from '@mantine/core'

/**
 * Text on tinted backgrounds (light, outline, subtle badges and buttons, the active nav link) is drawn in a darker
 * shade of its colour: Mantine's default shade 6 on a 10 % tint falls below the WCAG 2.1 AA contrast of 4.5:1
 * (SC 1.4.3), which the e2e axe-core check enforces. Yellow and orange need the most darkening.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input)
  // White on Mantine's teal/green/cyan shade 8 is below 4.5:1: filled badges of those hues use shade 9.
  if (input.variant === 'filled' && ['teal', 'green', 'cyan'].includes(input.color ?? ''))
    return {
      ...base,
      background: input.theme.colors[input.color!][9],
      hover: input.theme.colors[input.color!][9]
    }
  if (!['light', 'outline', 'subtle', 'transparent'].includes(input.variant ?? '')) return base
  const name = input.color ?? input.theme.primaryColor
  const palette = input.theme.colors[name]
  if (!palette) return base
  const amount = ['yellow', 'orange', 'lime'].includes(name) ? 0.55 : 0.3
  const color = darken(palette[9], amount)
  return {
    ...base,
    color,
    border: input.variant === 'outline' ? `1px solid ${color}` : base.border,
    hoverColor: color
  }
}

/** A dense, neutral admin-tool look: system font, compact radius, blue primary, red for rejections. */
export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 keeps white text on filled buttons above 4.5:1; autoContrast darkens text on light fills (yellow).
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  variantColorResolver,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '600' }
})

/** Dimmed text (help lines, dates) one shade darker than Mantine's default, for the same contrast reason. */
export const cssVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' }
})
