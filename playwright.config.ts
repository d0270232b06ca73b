import { defineConfig } from '@playwright/test'

/**
 * Two projects share the same specs through the `app` fixture (e2e/fixtures.ts):
 * - web: the built web host (out/main/web.js) in Debian's Chromium — the default, and what CI runs;
 * - electron: the real app through `_electron.launch`, where the Electron binary exists (`npm run e2e:electron`).
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'web', use: { host: 'web' } as never },
    { name: 'electron', use: { host: 'electron' } as never }
  ]
})
