/**
 * A local HTTPS server with its own CA, generated at test time with the openssl CLI, for MTA-STS policy fetch
 * tests. The certificate covers the given host names (SAN), so the client verifies the real name (SNI) while
 * connecting to 127.0.0.1 through createHttpsFetch's `connectTo`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'

export interface HttpsRoute {
  status: number
  body: string
  headers?: Record<string, string>
}

export interface HttpsTestServer {
  port: number
  /** PEM of the CA that signed the server certificate. */
  ca: string
  /** Routes keyed "host/path", e.g. "mta-sts.example.com/.well-known/mta-sts.txt". */
  routes: Map<string, HttpsRoute>
  close(): Promise<void>
}

function makeCerts(hostnames: string[]): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dd-https-'))
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  }
  try {
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Delivery Desk Test CA'
    ])
    run([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'srv.key',
      '-out',
      'srv.csr',
      '-subj',
      `/CN=${hostnames[0]}`
    ])
    writeFileSync(
      join(dir, 'ext.cnf'),
      `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')}\nbasicConstraints=CA:FALSE\n`
    )
    run([
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf'
    ])
    return {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      key: readFileSync(join(dir, 'srv.key'), 'utf8'),
      cert: readFileSync(join(dir, 'srv.pem'), 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function startHttpsServer(opts: {
  hostnames: string[]
  routes?: Record<string, HttpsRoute>
}): Promise<HttpsTestServer> {
  const { ca, key, cert } = makeCerts(opts.hostnames)
  const routes = new Map(Object.entries(opts.routes ?? {}))
  const server = https.createServer({ key, cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase()
    const route = routes.get(`${host}${req.url ?? '/'}`)
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
      return
    }
    res.writeHead(route.status, { 'content-type': 'text/plain', ...(route.headers ?? {}) })
    res.end(route.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as AddressInfo).port,
    ca,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
