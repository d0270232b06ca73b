import type { DnsAnswer, DnsClient, DnsRrType } from '../dns/types'

/**
 * Spread queries over several DnsClients (each its own c-ares channel). One node `dns.Resolver` is one c-ares
 * channel with its own socket(s) and timeout state; the benchmark (scripts/bench-blocklist.ts) measures whether a
 * pool helps at sweep concurrency. Least-loaded first, ties round-robin.
 */
export interface PooledClient extends DnsClient {
  readonly size: number
  /** Queries currently in flight per member (for benchmarks). */
  inFlight(): number[]
}

export function createPooledClient(factory: () => DnsClient, size: number): PooledClient {
  const n = Math.max(1, Math.floor(size))
  const members = Array.from({ length: n }, factory)
  const load = new Array<number>(n).fill(0)
  let rr = 0
  return {
    size: n,
    inFlight: () => [...load],
    async query(name: string, type: DnsRrType): Promise<DnsAnswer> {
      let best = rr % n
      for (let i = 0; i < n; i++) {
        const j = (rr + i) % n
        if (load[j] < load[best]) best = j
      }
      rr = (rr + 1) % n
      load[best]++
      try {
        return await members[best].query(name, type)
      } finally {
        load[best]--
      }
    }
  }
}
