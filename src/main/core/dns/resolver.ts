import { promises as dnsPromises } from 'node:dns'
import type { DnsAnswer, DnsClient, DnsRecord, DnsRrType, DnsStatus, ResolverOptions } from './types'

/**
 * DnsClient over node's c-ares `dns.promises.Resolver`.
 *
 * Why not `dns.lookup`: it goes through getaddrinfo (hosts file, nsswitch, no TXT/MX, no distinction between
 * NXDOMAIN and a broken resolver), so it cannot tell "missing" from "could not check".
 * c-ares sends the query over UDP and retries over TCP when the answer has TC=1 (RFC 1035 §4.2.1, RFC 7766),
 * which matters for large SPF/DKIM TXT records; test/support/dns-server.test.ts checks that.
 */

const DEFAULT_TIMEOUT_MS = 5000
const DEFAULT_TRIES = 2

/** Map a c-ares error code to a status. NXDOMAIN and NODATA are answers (RFC 2308); the rest are not. */
export function statusFromErrorCode(code: string | undefined): DnsStatus {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain'
    case 'ENODATA':
      return 'nodata'
    case 'ESERVFAIL':
      return 'servfail'
    case 'EREFUSED':
      return 'refused'
    case 'ETIMEOUT':
      return 'timeout'
    default:
      return 'error'
  }
}

/** Lowercase, no trailing dot: the form every analysis compares names in. */
export function normaliseQueryName(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase()
}

type NodeResolver = InstanceType<typeof dnsPromises.Resolver>

async function runQuery(r: NodeResolver, name: string, type: DnsRrType): Promise<DnsRecord[]> {
  switch (type) {
    case 'A':
      return r.resolve4(name)
    case 'AAAA':
      return r.resolve6(name)
    case 'TXT':
      return r.resolveTxt(name)
    case 'MX':
      return (await r.resolveMx(name)).map((m) => ({
        exchange: normaliseQueryName(m.exchange),
        priority: m.priority
      }))
    case 'PTR':
      return (await r.resolvePtr(name)).map(normaliseQueryName)
    case 'CNAME':
      return (await r.resolveCname(name)).map(normaliseQueryName)
    case 'NS':
      return (await r.resolveNs(name)).map(normaliseQueryName)
    case 'SOA':
      return [{ ...(await r.resolveSoa(name)) } as Record<string, unknown>]
  }
}

/**
 * A name that cannot exist on the wire (label over 63 octets or name over 253, RFC 1035 §2.3.4) is answered
 * as NXDOMAIN without a query, as RFC 7208 §4.3/§4.8 asks ("treated as non-existent"); c-ares would only say
 * EBADNAME, which callers would have to read as "could not check".
 */
export function impossibleName(name: string): boolean {
  if (Buffer.byteLength(name) > 253) return true
  return name.split('.').some((l) => Buffer.byteLength(l) > 63)
}

export function createDnsClient(opts: ResolverOptions = {}): DnsClient {
  const resolver = new dnsPromises.Resolver({
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    tries: opts.tries ?? DEFAULT_TRIES
  })
  // c-ares accepts "IP", "IP:port" and "[IPv6]:port" directly.
  if (opts.servers && opts.servers.length > 0) resolver.setServers(opts.servers)

  return {
    async query(rawName: string, type: DnsRrType): Promise<DnsAnswer> {
      const name = normaliseQueryName(rawName)
      const started = performance.now()
      if (impossibleName(name)) return { status: 'nxdomain', name, type, records: [], ms: 0 }
      const ms = (): number => Math.round((performance.now() - started) * 10) / 10
      try {
        const records = await runQuery(resolver, name, type)
        // c-ares reports an empty answer section as ENODATA, but be defensive.
        return { status: records.length ? 'ok' : 'nodata', name, type, records, ms: ms() }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        const status = statusFromErrorCode(code)
        const answer: DnsAnswer = { status, name, type, records: [], ms: ms() }
        if (status !== 'nxdomain' && status !== 'nodata')
          answer.error = `${code ?? 'error'}: ${(err as Error).message}`
        return answer
      }
    }
  }
}

export interface CachingDnsClient extends DnsClient {
  /** Number of queries that reached the inner client (for tests and benchmarks). */
  readonly misses: number
  clear(): void
}

/**
 * Cache answers for the lifetime of one check and share in-flight identical queries, so an SPF tree and the
 * DMARC/MX checks that touch the same names see one consistent view of DNS and do not repeat slow timeouts.
 * Failed answers are cached too: retrying inside one check would only double the wait.
 */
export function createCachingClient(inner: DnsClient): CachingDnsClient {
  const cache = new Map<string, Promise<DnsAnswer>>()
  let misses = 0
  return {
    get misses() {
      return misses
    },
    clear() {
      cache.clear()
    },
    query(rawName: string, type: DnsRrType): Promise<DnsAnswer> {
      const key = `${type} ${normaliseQueryName(rawName)}`
      let p = cache.get(key)
      if (!p) {
        misses++
        p = inner.query(rawName, type).catch((err: unknown): DnsAnswer => ({
          status: 'error',
          name: normaliseQueryName(rawName),
          type,
          records: [],
          error: String(err),
          ms: 0
        }))
        cache.set(key, p)
      }
      return p
    }
  }
}
