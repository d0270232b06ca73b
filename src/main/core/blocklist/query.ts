import type { DnsAnswer, DnsClient, DnsRrType } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { withTimeout } from './work-queue'

export interface QueryOptions {
  timeoutMs: number
  /** Extra attempts after a non-definitive answer (timeout, SERVFAIL, REFUSED, error). */
  retries: number
  signal?: AbortSignal
}

/**
 * One lookup with our own deadline and retry policy on top of the client's. Only NOERROR/NXDOMAIN/NODATA are
 * facts about the zone (RFC 2308); anything else is retried and, if it persists, reported as "could not check".
 */
export async function runQuery(
  client: DnsClient,
  name: string,
  type: DnsRrType,
  opts: QueryOptions
): Promise<DnsAnswer> {
  let last: DnsAnswer | undefined
  let spent = 0
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    opts.signal?.throwIfAborted()
    const started = performance.now()
    const answer = await withTimeout<DnsAnswer>(
      client.query(name, type).catch((err: unknown): DnsAnswer => ({
        status: 'error',
        name,
        type,
        records: [],
        error: String(err),
        ms: 0
      })),
      opts.timeoutMs,
      () => ({
        status: 'timeout',
        name,
        type,
        records: [],
        error: `no answer within ${opts.timeoutMs} ms`,
        ms: opts.timeoutMs
      }),
      opts.signal
    )
    spent += performance.now() - started
    last = { ...answer, ms: Math.round(spent * 10) / 10 }
    if (isDefinitive(answer)) return last
  }
  return last as DnsAnswer
}
