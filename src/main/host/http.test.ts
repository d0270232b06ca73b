import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebHost, type WebHost } from './http'
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
const api = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  raw(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers },
    body: JSON.stringify(input)
  })

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
    expect((await raw('/')).status).toBe(401)
    const page = await raw(`/?token=${host.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain(`content="${host.token}"`)
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'")
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
          path: `/events?token=${host.token}`,
          headers: { host: `127.0.0.1:${host.port}` }
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
})
