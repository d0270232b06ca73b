import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import { CSP } from './http'

/**
 * The desktop app's renderer is served from `app://renderer/…` instead of `file://`. A file:// page shares an origin
 * with every file on disk (and Electron grants file:// extra privileges); a custom standard scheme gives the page an
 * origin of its own, so the CSP's 'self' means "the built renderer" and nothing else.
 *
 * Written without importing `electron` (the handler takes and returns web-standard Request/Response), so the
 * traversal rules are unit-tested under plain Node.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * For `protocol.registerSchemesAsPrivileged`, before the app is ready. `standard` gives the scheme real origins and
 * relative URL resolution; `secure` makes it a secure context (like https); `supportFetchAPI` lets the page fetch
 * its own assets. No `bypassCSP`, no `corsEnabled`: the page gets no more than an https page would.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

/**
 * The file under `root` that `rawUrl` names, or null when the URL must be refused: another scheme or host, a
 * malformed escape, a NUL byte, `..` or an encoded separator that climbs out of `root`, or a symlink leading out.
 */
export function resolveAppPath(root: string, rawUrl: string): string | null {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let rel: string
  try {
    rel = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (rel.includes('\0')) return null
  if (rel === '/' || rel === '') rel = '/index.html'
  const base = normalize(root)
  const file = normalize(join(base, rel))
  if (!file.startsWith(base + sep)) return null
  if (!existsSync(file)) return null
  // A symlink inside the build pointing elsewhere is refused as well: the real path must stay under the real root.
  const real = realpathSync(file)
  if (!real.startsWith(realpathSync(base) + sep) || !statSync(real).isFile()) return null
  return real
}

/** The `protocol.handle` callback: the built renderer's files with the same CSP as the web host, nothing else. */
export function createAppProtocolHandler(root: string): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response(null, { status: 405 })
    const file = resolveAppPath(root, req.url)
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } })
    return new Response(req.method === 'HEAD' ? null : readFileSync(file), {
      status: 200,
      headers: {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store'
      }
    })
  }
}
