import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { EventName, EventPayload } from '../../shared/events'
import type { Settings } from '../../shared/settings'
import { base64Length } from '../services/cases-service'
import type { Backend } from './backend'

/**
 * The web host: the same dispatcher over node:http, bound to 127.0.0.1 only.
 *
 * Why each guard exists:
 * - a random per-launch token: other local users and processes cannot call the API just because they can reach
 *   the port. Only the page load takes it from the URL (the printed link); the page removes it from the address
 *   bar and sends it as `Authorization: Bearer` (RFC 6750 §2.1). The API and the event stream refuse it in the
 *   query string, where it would end up in history, logs and Referer headers (RFC 6750 §5.3);
 * - the request body is capped by the `maxFileMb` setting (see `uploadBodyLimit`) and counted while it streams
 *   in: an oversized upload is answered 413 without being held in memory;
 * - Host and Origin must be our loopback address: a DNS-rebinding page (evil.example resolving to 127.0.0.1)
 *   sends its own Host/Origin and is refused, even if it somehow learned the token;
 * - no CORS headers at all: browsers refuse cross-origin reads.
 */
export interface WebHostOptions {
  backend: Backend
  /** Directory with the built renderer (out/renderer). */
  staticDir: string
  port?: number
  token?: string
  /** Largest accepted request body, bytes; by default derived from the `maxFileMb` setting at each request. */
  maxBodyBytes?: number | (() => Promise<number>)
}

/**
 * The largest API request body for a file limit: the file in base64 (4/3 of its size, RFC 4648 §4) plus 1 MiB
 * for the JSON around it (names, options, pasted text).
 */
export function uploadBodyLimit(maxFileMb: number): number {
  return base64Length(maxFileMb * 1048576) + 1048576
}

/** A refusal with its HTTP status, answered as JSON by the request handler. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

export interface WebHost {
  server: Server
  port: number
  token: string
  url: string
  close(): Promise<void>
}

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Mantine writes CSS variables in a <style> element and components use style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // The message body preview is a sandboxed srcdoc iframe; srcdoc inherits this policy, so remote images,
  // CSS and fonts in a message never load (tracking pixels do not fire).
  "frame-src 'self' about:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

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

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers
  })
  res.end(text)
}

const UNAUTHORIZED =
  'Missing or wrong token: send it as "Authorization: Bearer <token>", or open the URL printed by `npm run web`.'

const tooLarge = (limit: number) =>
  new HttpError(
    413,
    'TOO_LARGE',
    `The request body is larger than ${(limit / 1048576).toFixed(0)} MB, the upload limit for the Maximum file size setting (base64 included). Add large files one at a time, or raise Settings → Maximum file size.`
  )

/**
 * Reads the body, counting bytes as they arrive: a declared Content-Length over the limit is refused before a
 * byte is read, and a chunked body stops being kept as soon as it passes the limit. The rest of an oversized
 * body is left to node, which discards it once the response is sent (keep-alive: it must read to the end of
 * the request anyway), so the client reads our 413 instead of a reset connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolvePromise, reject) => {
    // With a declared length the body is copied once into its final buffer; chunked bodies are joined at the end.
    const whole = declared >= 0 ? Buffer.allocUnsafe(declared) : undefined
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer) => {
      if (size + c.length > limit || (whole && size + c.length > whole.length)) {
        chunks.length = 0
        req.off('data', onData)
        req.resume()
        reject(
          size + c.length > limit
            ? tooLarge(limit)
            : new HttpError(400, 'INVALID_INPUT', 'Body longer than its Content-Length.')
        )
        return
      }
      if (whole) c.copy(whole, size)
      else chunks.push(c)
      size += c.length
    }
    req.on('data', onData)
    req.on('end', () => resolvePromise(whole ? whole.subarray(0, size) : Buffer.concat(chunks, size)))
    req.on('error', reject)
  })
}

/** Parses the body; a separate function so the Buffer and its text are garbage once the JSON value exists. */
function parseBody(body: Buffer): unknown {
  if (!body.length) return {}
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'Body is not valid JSON.')
  }
}

/** Percent-decoding that answers 400 for a malformed escape (`%zz`, a lone `%`) instead of throwing. */
function decodePath(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'Malformed percent-escape in the URL.')
  }
}

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const maxBody = async (): Promise<number> => {
    if (typeof opts.maxBodyBytes === 'number') return opts.maxBodyBytes
    if (opts.maxBodyBytes) return opts.maxBodyBytes()
    const r = await opts.backend.dispatch('settings.get', {})
    if (!r.ok) throw new Error(r.error.message)
    return uploadBodyLimit((r.data as Settings).maxFileMb)
  }
  const staticRoot = resolve(opts.staticDir)
  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  const sseClients = new Set<ServerResponse>()

  const unsubscribe = opts.backend.subscribe(<E extends EventName>(name: E, payload: EventPayload<E>) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const c of sseClients) c.write(frame)
  })

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? ''
      if (!allowedHosts().has(host))
        return send(res, 403, {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'Foreign Host header refused.' }
        })
      const origin = req.headers.origin
      if (origin !== undefined && !allowedOrigins().has(origin)) {
        return send(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'Foreign Origin refused.' } })
      }
      let url: URL
      try {
        url = new URL(req.url ?? '/', `http://${host}`)
      } catch {
        throw new HttpError(400, 'INVALID_INPUT', 'Malformed URL.')
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
      const authorised = safeEqual(bearer, token)

      if (url.pathname.startsWith('/api/')) {
        if (!authorised)
          return send(res, 401, {
            ok: false,
            error: { code: 'UNAUTHORIZED', message: UNAUTHORIZED }
          })
        if (req.method !== 'POST')
          return send(res, 405, { ok: false, error: { code: 'METHOD', message: 'Use POST.' } })
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          // Also blocks "simple" cross-site form posts, which cannot set this content type.
          return send(res, 415, {
            ok: false,
            error: { code: 'INVALID_INPUT', message: 'Content-Type must be application/json.' }
          })
        }
        const method = decodePath(url.pathname.slice('/api/'.length))
        const input = parseBody(await readBody(req, await maxBody()))
        const result = await opts.backend.dispatch(method, input)
        return send(res, 200, result)
      }

      if (url.pathname === '/events') {
        if (!authorised)
          return send(res, 401, {
            ok: false,
            error: { code: 'UNAUTHORIZED', message: UNAUTHORIZED }
          })
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive'
        })
        res.write(': connected\n\n')
        sseClients.add(res)
        req.on('close', () => sseClients.delete(res))
        return
      }

      // Static renderer. The page load is the one request that takes the token from the URL (the printed link);
      // it is handed to the app in a meta tag, and the app moves it to sessionStorage (per tab and per origin,
      // port included) and removes it from the address bar. A reload then asks for the page without a token:
      // it gets the app shell, which holds no secret (its scripts are public files), and no token.
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false })
      const rel = url.pathname === '/' ? '/index.html' : url.pathname
      const file = normalize(join(staticRoot, decodePath(rel)))
      if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
        return send(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Not found' } })
      }
      const headers: Record<string, string> = {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CSP,
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY'
      }
      if (extname(file) === '.html') {
        const urlToken = url.searchParams.get('token')
        if (urlToken !== null && !safeEqual(urlToken, token)) {
          res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
          return res.end('Open the URL printed by `npm run web` (it carries the access token).')
        }
        const html = readFileSync(file, 'utf8')
        const page =
          urlToken !== null || authorised
            ? html.replace('<head>', `<head><meta name="delivery-desk-token" content="${token}">`)
            : html
        res.writeHead(200, { ...headers, 'cache-control': 'no-store' })
        return res.end(page)
      }
      res.writeHead(200, headers)
      createReadStream(file).pipe(res)
    } catch (e) {
      if (e instanceof HttpError)
        return send(res, e.status, { ok: false, error: { code: e.code, message: e.message } })
      send(res, 500, { ok: false, error: { code: 'INTERNAL', message: (e as Error).message } })
    }
  })

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port
      resolvePromise({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/?token=${token}`,
        close: () =>
          new Promise<void>((r) => {
            unsubscribe()
            for (const c of sseClients) c.end()
            sseClients.clear()
            server.close(() => r())
            server.closeAllConnections?.()
          })
      })
    })
  })
}
