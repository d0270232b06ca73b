import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebHost, uploadBodyLimit, type WebHost } from './http'
import { tempBackend } from './test-backend'

let host: WebHost
const backend = tempBackend('web')

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path,
          method: opts.method ?? 'GET',
          headers: { host: `127.0.0.1:${host.port}`, ...opts.headers }
        },
        (res) => {
          let body = ''
          res.on('data', (d) => (body += d))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
        }
      )
      req.on('error', reject)
      if (opts.body) req.write(opts.body)
      req.end()
    }
  )
}
const api = (
  method: string,
  input: unknown,
  headers: Record<string, string> = {},
  opts: { body?: string; contentLength?: boolean } = {}
) => {
  const body = opts.body ?? JSON.stringify(input)
  return raw(`/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${host.token}`,
      // Without it node sends the body chunked (Transfer-Encoding: chunked, RFC 9112 §7.1).
      ...(opts.contentLength ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...headers
    },
    body
  })
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-static-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head></head><body>app</body></html>')
  host = await startWebHost({ backend, staticDir: dir })
})
afterAll(async () => {
  await host.close()
  backend.close()
})

describe('web host', () => {
  it('listens on loopback only', () => {
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1')
  })

  it('requires the per-launch token for the API, events and the page', async () => {
    expect((await api('cases.list', {}, { authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await raw('/events')).status).toBe(401)
    expect((await raw('/?token=wrong')).status).toBe(401)
    const page = await raw(`/?token=${host.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain(`content="${host.token}"`)
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'")
    // A reload (the app removed the token from the address bar) gets the shell, without the token.
    const shell = await raw('/')
    expect(shell.status).toBe(200)
    expect(shell.body).not.toContain(host.token)
  })

  it('takes the URL token only for the page load: the API and events want the bearer header', async () => {
    const viaQuery = await raw(`/api/cases.list?token=${host.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    })
    expect(viaQuery.status).toBe(401)
    expect(JSON.parse(viaQuery.body).error.code).toBe('UNAUTHORIZED')
    expect((await raw(`/events?token=${host.token}`)).status).toBe(401)
    expect((await api('cases.list', {})).status).toBe(200)
  })

  it('answers 400, not 500, to a malformed percent-escape', async () => {
    const apiCall = await api('cases.list%E0%A4%A', {})
    expect(apiCall.status).toBe(400)
    expect(JSON.parse(apiCall.body).error).toMatchObject({ code: 'INVALID_INPUT', message: /percent-escape/ })
    expect((await raw(`/%zz?token=${host.token}`)).status).toBe(400)
    expect((await raw('/assets/%')).status).toBe(400)
  })

  it('refuses foreign Host and Origin headers (DNS rebinding)', async () => {
    expect((await api('cases.list', {}, { host: `evil.example:${host.port}` })).status).toBe(403)
    expect((await api('cases.list', {}, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await api('cases.list', {}, { origin: `http://localhost:${host.port}` })).status).toBe(200)
  })

  it('refuses non-JSON bodies (no simple cross-site form posts)', async () => {
    const r = await raw('/api/cases.list', {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'text/plain' },
      body: '{}'
    })
    expect(r.status).toBe(415)
  })

  it('returns exactly what the dispatcher returns for the same input', async () => {
    for (const [m, input] of [
      ['cases.create', { title: 'Via HTTP' }],
      ['cases.get', { id: 'nope' }],
      ['settings.get', {}],
      ['no.such', {}]
    ] as const) {
      const viaHttp = JSON.parse((await api(m, input)).body)
      const direct = await backend.dispatch(m, input)
      if (m === 'cases.create') {
        expect(viaHttp.ok).toBe(true)
        expect(viaHttp.data.title).toBe(direct.ok && (direct.data as { title: string }).title)
      } else expect(viaHttp).toEqual(JSON.parse(JSON.stringify(direct)))
    }
  })

  it('does not serve files outside the renderer directory', async () => {
    expect((await raw(`/../../etc/passwd?token=${host.token}`)).status).toBe(404)
    expect((await raw(`/%2e%2e/%2e%2e/etc/passwd?token=${host.token}`)).status).toBe(404)
  })

  it('streams events over SSE', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/events',
          headers: { host: `127.0.0.1:${host.port}`, authorization: `Bearer ${host.token}` }
        },
        (res) => {
          let buf = ''
          res.on('data', (d) => {
            buf += d
            if (buf.includes('event: toast')) {
              req.destroy()
              resolve(buf)
            }
          })
          setTimeout(() => backend.ctx.emit('toast', { level: 'info', title: 't', message: 'hello' }), 50)
        }
      )
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)))
      req.end()
    })
    expect(got).toContain('"message":"hello"')
  })

  describe('request body limit (Settings → Maximum file size = 1 MB)', () => {
    const limit = uploadBodyLimit(1)
    beforeAll(async () => {
      expect((await api('settings.set', { maxFileMb: 1 })).status).toBe(200)
    })

    it('derives the cap from the file limit in base64, plus room for the JSON', () => {
      expect(limit).toBe(4 * Math.ceil(1048576 / 3) + 1048576)
    })

    it('answers 413 with a JSON error to a declared Content-Length over the cap, not a reset', async () => {
      const body = JSON.stringify({ file: { name: 'big.eml', base64: 'A'.repeat(limit) } })
      const r = await api('diagnose.analyze', undefined, {}, { body, contentLength: true })
      expect(r.status).toBe(413)
      expect(JSON.parse(r.body)).toMatchObject({
        ok: false,
        error: { code: 'TOO_LARGE', message: /Maximum file size/ }
      })
    })

    it('counts a chunked body while it streams and answers 413 once it passes the cap', async () => {
      const body = JSON.stringify({ file: { name: 'big.eml', base64: 'A'.repeat(limit) } })
      const r = await api('diagnose.analyze', undefined, {}, { body })
      expect(r.status).toBe(413)
      expect(JSON.parse(r.body).error.code).toBe('TOO_LARGE')
      // The connection was drained, not broken: the next call works.
      expect((await api('cases.list', {})).status).toBe(200)
    })

    it('lets a body under the cap through; the service refuses an oversized file by its base64 length', async () => {
      const base64 = Buffer.alloc(1048576 + 3, 'x').toString('base64')
      const r = await api('diagnose.analyze', { file: { name: 'big.eml', base64 } })
      expect(r.status).toBe(200)
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
      // Refused by its length alone, before decoding: even text that is not base64 at all.
      const junk = await api('diagnose.analyze', { file: { name: 'junk.eml', base64: '!'.repeat(1500000) } })
      expect(JSON.parse(junk.body)).toMatchObject({
        ok: false,
        error: { code: 'TOO_LARGE', message: /junk\.eml is about 1\.1 MB; the limit is 1 MB/ }
      })
    })
  })
})
