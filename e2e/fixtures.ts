import { test as base, chromium, _electron, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startDnsServer, type Zones } from '../test/support/dns-server'

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
  /** Calls a contract method directly (web project: over HTTP with the token; electron: through the bridge). */
  api<T = unknown>(method: string, input: unknown): Promise<T>
  /**
   * Starts a real DNS server on loopback serving `zones` (UDP and TCP, the wire protocol) and points the app's
   * resolver setting at it. Returns the server so the test can change records (e.g. drop a listing).
   */
  useDns(zones: Zones): Promise<Awaited<ReturnType<typeof startDnsServer>>>
  /** Base URL of the web host (web project only). */
  url?: string
  /** Reloads the UI the way a user would (page reload / window reload). */
  reload(): Promise<void>
}

/**
 * Where screenshots go. The docs/screenshots images are tracked files, so a normal run writes to the test's output
 * folder and `git status` stays clean after `npm test`; DD_UPDATE_SCREENSHOTS=1 refreshes the docs images.
 */
export function shotPath(name: string): string {
  if (process.env.DD_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true })
    return join(ROOT, 'docs/screenshots', name)
  }
  return test.info().outputPath(name)
}

/** Starts the built web host on a random port and waits for the URL it prints. `env` adds to the host's environment. */
export async function startWebHost(
  dataDir: string,
  env: Record<string, string> = {}
): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(ROOT, 'out/main/web.js'), '--data', dataDir], {
    cwd: ROOT,
    env: { ...process.env, DELIVERY_DESK_DATA: dataDir, ...env },
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

function dnsStarter(api: AppHandle['api'], servers: { close(): Promise<void> }[]) {
  return async (zones: Zones) => {
    const dns = await startDnsServer({ zones })
    servers.push(dns)
    // Short timeout: fixture zones that "time out" should not make the UI test slow.
    await api('settings.set', { resolver: dns.address, dnsTimeoutMs: 500 })
    return dns
  }
}

export const test = base.extend<{ host: 'web' | 'electron'; app: AppHandle }>({
  host: ['web', { option: true }],
  app: async ({ host }, use, testInfo) => {
    // A fresh data directory per test (as Actual and Bruno do): tests never see each other's cases.
    const dataDir = mkdtempSync(join(tmpdir(), 'dd-e2e-'))
    if (host === 'electron') {
      const app = await _electron.launch({
        args: [ROOT],
        env: { ...process.env, DELIVERY_DESK_DATA: dataDir } as Record<string, string>
      })
      const page = await app.firstWindow()
      await page.waitForSelector('[data-app-state="ready"]')
      const api = async <T>(method: string, input: unknown): Promise<T> => {
        const r = (await page.evaluate(([m, i]) => (window as any).deliveryDesk.invoke(m, i), [
          method,
          input
        ] as const)) as any
        if (!r.ok) throw new Error(r.error.message)
        return r.data as T
      }
      const servers: { close(): Promise<void> }[] = []
      await use({
        page,
        dataDir,
        api,
        useDns: dnsStarter(api, servers),
        reload: async () => void (await page.reload())
      })
      await Promise.all(servers.map((s) => s.close()))
      await app.close()
    } else {
      if (!existsSync(join(ROOT, 'out/main/web.js')))
        throw new Error('Run `npm run build:app` before the e2e tests.')
      const { url, proc } = await startWebHost(dataDir)
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
      const page = await browser.newPage({ viewport: { width: 1440, height: 960 } })
      page.on('pageerror', (e) => testInfo.attach('pageerror', { body: String(e) }))
      await page.goto(url)
      await page.waitForSelector('[data-app-state="ready"]')
      const token = new URL(url).searchParams.get('token')!
      const api = async <T>(method: string, input: unknown): Promise<T> => {
        const res = await fetch(new URL(`/api/${method}`, url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input)
        })
        const r = (await res.json()) as any
        if (!r.ok) throw new Error(r.error.message)
        return r.data as T
      }
      const servers: { close(): Promise<void> }[] = []
      await use({
        page,
        dataDir,
        url,
        api,
        useDns: dnsStarter(api, servers),
        reload: async () => void (await page.reload({ waitUntil: 'load' }))
      })
      await Promise.all(servers.map((s) => s.close()))
      await browser.close()
      proc.kill()
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
})

export { expect } from '@playwright/test'
