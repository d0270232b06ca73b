import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, createAppProtocolHandler, resolveAppPath } from './app-protocol'
import { CSP } from './http'

let root = ''
let outside = ''

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'dd-app-protocol-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)')
  outside = join(base, 'secret.txt')
  writeFileSync(outside, 'secret')
  symlinkSync(outside, join(root, 'assets', 'link.txt'))
  // A sibling folder whose name starts with the root's name must not count as "inside".
  mkdirSync(join(base, 'renderer-evil'))
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil')
})

describe('app:// protocol', () => {
  it('serves the built renderer with the CSP header and the right type', async () => {
    const handle = createAppProtocolHandler(root)
    const page = await handle(new Request(APP_ENTRY_URL))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toBe(CSP)
    expect(await page.text()).toContain('<title>app</title>')
    const js = await handle(new Request('app://renderer/assets/main.js'))
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await handle(new Request('app://renderer/'))).status).toBe(200)
  })

  it.each([
    ['dot-dot', 'app://renderer/../secret.txt'],
    ['encoded dot-dot', 'app://renderer/%2e%2e/secret.txt'],
    ['encoded slash', 'app://renderer/assets%2f..%2f..%2fsecret.txt'],
    ['encoded backslash', 'app://renderer/..%5csecret.txt'],
    ['sibling prefix', 'app://renderer/..%2frenderer-evil/x.js'],
    ['NUL byte', 'app://renderer/index.html%00.js'],
    ['bad escape', 'app://renderer/%E0%A4%A'],
    ['symlink out of the root', 'app://renderer/assets/link.txt'],
    ['foreign host', 'app://elsewhere/index.html'],
    ['other scheme', 'file:///etc/passwd'],
    ['directory', 'app://renderer/assets'],
    ['missing file', 'app://renderer/nope.js']
  ])('refuses %s', async (_name, url) => {
    expect(resolveAppPath(root, url)).toBeNull()
  })

  it('answers 404 for a refused path and 405 for anything but GET/HEAD', async () => {
    const handle = createAppProtocolHandler(root)
    const r = await handle(new Request('app://renderer/%2e%2e/secret.txt'))
    expect(r.status).toBe(404)
    expect(await r.text()).not.toContain('secret')
    expect((await handle(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405)
  })
})
