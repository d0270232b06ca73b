import type { DnsAnswer, DnsClient, DnsRrType } from './types'

/** Lowercase, no trailing dot: the form every analysis compares names in. */
export function normaliseQueryName(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase()
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
