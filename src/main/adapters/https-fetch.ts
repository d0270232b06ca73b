import https from 'node:https'
import { rootCertificates } from 'node:tls'
import type { FetchPolicy, PolicyResponse } from '../core/domain/fetch-policy'

export interface HttpsFetchOptions {
  timeoutMs?: number
  /** Extra trusted CA certificates (PEM), e.g. a test CA. */
  ca?: string | string[]
  /** Connect somewhere else while keeping SNI and certificate checks for the URL's host (tests). */
  connectTo?: (host: string) => { host: string; port: number }
  maxBytes?: number
}

/**
 * Policy fetch for MTA-STS: HTTPS only with a valid certificate for the host, no redirects (RFC 8461 §3.3:
 * "HTTP 3xx redirects MUST NOT be followed"), a timeout, and a size cap (senders use 64 KiB, RFC 8461 §3.2).
 */
export function createHttpsFetch(opts: HttpsFetchOptions = {}): FetchPolicy {
  const timeoutMs = opts.timeoutMs ?? 10000
  const maxBytes = opts.maxBytes ?? 64 * 1024
  return (url: string) =>
    new Promise<PolicyResponse>((resolve, reject) => {
      const u = new URL(url)
      if (u.protocol !== 'https:') return reject(new Error('policy URL must be https'))
      const target = opts.connectTo?.(u.hostname) ?? { host: u.hostname, port: Number(u.port || 443) }
      const req = https.request(
        {
          host: target.host,
          port: target.port,
          path: u.pathname + u.search,
          method: 'GET',
          servername: u.hostname,
          headers: { host: u.host, 'user-agent': 'delivery-desk' },
          ca: opts.ca ? [...rootCertificates, ...(Array.isArray(opts.ca) ? opts.ca : [opts.ca])] : undefined,
          timeout: timeoutMs
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            size += c.length
            if (size > maxBytes) {
              req.destroy(new Error(`policy larger than ${maxBytes} bytes`))
              return
            }
            chunks.push(c)
          })
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              contentType: res.headers['content-type']
            })
          )
          res.on('error', reject)
        }
      )
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)))
      req.on('error', reject)
      req.end()
    })
}
