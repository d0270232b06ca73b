import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { EventName, EventPayload } from '../../shared/events'
import type { Backend } from './backend'

/**
 * The web host: the same dispatcher over node:http, bound to 127.0.0.1 only.
 *
 * Why each guard exists:
 * - a random per-launch token (in the printed URL, then a bearer header): other local users and processes
 *   cannot call the API just because they can reach the port;
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
  /** Largest accepted request body, bytes. */
  maxBodyBytes?: number
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

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        reject(Object.assign(new Error('too large'), { status: 413 }))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolvePromise(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const maxBody = opts.maxBodyBytes ?? 1500 * 1024 * 1024
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
      const url = new URL(req.url ?? '/', `http://${host}`)
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '')
      const queryToken = url.searchParams.get('token') ?? ''
      const authorised = safeEqual(bearer, token) || safeEqual(queryToken, token)

      if (url.pathname.startsWith('/api/')) {
        if (!authorised)
          return send(res, 401, {
            ok: false,
            error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token.' }
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
        let input: unknown
        try {
          const body = await readBody(req, maxBody)
          input = body.length ? JSON.parse(body.toString('utf8')) : {}
        } catch (e) {
          const status = (e as { status?: number }).status ?? 400
          return send(res, status, {
            ok: false,
            error:
              status === 413
                ? { code: 'TOO_LARGE', message: 'Request body too large.' }
                : { code: 'INVALID_INPUT', message: 'Body is not valid JSON.' }
          })
        }
        const method = decodeURIComponent(url.pathname.slice('/api/'.length))
        const result = await opts.backend.dispatch(method, input)
        return send(res, 200, result)
      }

      if (url.pathname === '/events') {
        if (!authorised)
          return send(res, 401, {
            ok: false,
            error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token.' }
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

      // Static renderer. The page itself needs the token in the URL; it is then handed to the app in a meta tag.
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false })
      const rel = url.pathname === '/' ? '/index.html' : url.pathname
      const file = normalize(join(staticRoot, decodeURIComponent(rel)))
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
        if (!authorised) {
          res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
          return res.end('Open the URL printed by `npm run web` (it carries the access token).')
        }
        const html = readFileSync(file, 'utf8').replace(
          '<head>',
          `<head><meta name="delivery-desk-token" content="${token}">`
        )
        res.writeHead(200, { ...headers, 'cache-control': 'no-store' })
        return res.end(html)
      }
      res.writeHead(200, headers)
      createReadStream(file).pipe(res)
    } catch (e) {
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
