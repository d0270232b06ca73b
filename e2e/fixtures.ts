import { test as base, chromium, _electron, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(__dirname, '..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags for a root, offline CI machine: no sandbox (root), and no background calls to Google's services. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export interface AppHandle {
  page: Page
  dataDir: string
  /** Base URL of the web host (web project only). */
  url?: string
  /** Reloads the UI the way a user would (page reload / window reload). */
  reload(): Promise<void>
}

/** Starts the built web host on a random port and waits for the URL it prints. */
export async function startWebHost(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(ROOT, 'out/main/web.js'), '--data', dataDir], {
    cwd: ROOT,
    env: { ...process.env, DELIVERY_DESK_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const url = await new Promise<string>((res, rej) => {
    let out = ''
    const timer = setTimeout(() => rej(new Error(`web host did not start:\n${out}`)), 15_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /running at (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        res(m[1])
      }
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', onData)
    proc.on('exit', (code) => rej(new Error(`web host exited (${code}):\n${out}`)))
  })
  return { url, proc }
}

export const test = base.extend<{ host: 'web' | 'electron'; app: AppHandle }>({
  host: ['web', { option: true }],
  app: async ({ host }, use, testInfo) => {
    // A fresh data directory per test (as Actual and Bruno do): tests never see each other's cases.
    const dataDir = mkdtempSync(join(tmpdir(), 'dd-e2e-'))
    if (host === 'electron') {
      const app = await _electron.launch({ args: [ROOT], env: { ...process.env, DELIVERY_DESK_DATA: dataDir } as Record<string, string> })
      const page = await app.firstWindow()
      await page.waitForSelector('[data-app-state="ready"]')
      await use({ page, dataDir, reload: async () => void (await page.reload()) })
      await app.close()
    } else {
      if (!existsSync(join(ROOT, 'out/main/web.js'))) throw new Error('Run `npm run build:app` before the e2e tests.')
      const { url, proc } = await startWebHost(dataDir)
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
      const page = await browser.newPage({ viewport: { width: 1440, height: 960 } })
      page.on('pageerror', (e) => testInfo.attach('pageerror', { body: String(e) }))
      await page.goto(url)
      await page.waitForSelector('[data-app-state="ready"]')
      await use({ page, dataDir, url, reload: async () => void (await page.reload({ waitUntil: 'load' })) })
      await browser.close()
      proc.kill()
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
})

export { expect } from '@playwright/test'
