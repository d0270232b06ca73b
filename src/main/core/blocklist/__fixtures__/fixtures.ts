import { BlocklistEntry, type BlocklistEntryInput } from '../../../../shared/schemas/blocklist'
import type { DnsAnswer, DnsClient, DnsRrType } from '../../dns/types'

/** A catalogue entry for tests, validated by the real schema. */
export function makeList(id: string, zone: string, over: Partial<BlocklistEntryInput> = {}): BlocklistEntry {
  return BlocklistEntry.parse({
    id,
    name: `List ${id}`,
    zone,
    type: ['ip4'],
    kind: 'block',
    returnCodes: { '127.0.0.2': 'listed', '127.0.0.3': 'listed (other reason)' },
    errorCodes: { '127.255.255.254': 'public resolver refused' },
    testPoints: { ip4: { listed: ['127.0.0.2'], notListed: ['127.0.0.1'] } },
    removal: { method: 'self-service', url: `https://${zone}/remove`, expectedDelayHours: 24 },
    weight: { level: 'high', note: 'test' },
    requiresKey: false,
    rejectionPatterns: [],
    docs: `https://${zone}/docs`,
    ...over
  })
}

export type FakeBehaviour = 'servfail' | 'refused' | 'timeout' | 'throw'
export interface FakeEntry {
  A?: string[]
  TXT?: string[]
  behaviour?: FakeBehaviour
}

/**
 * In-memory DnsClient with exact names and `*.suffix` wildcards, answering asynchronously after `delayMs`
 * (setTimeout) so tests can observe concurrency. Counts queries and the maximum number in flight.
 */
export class FakeDns implements DnsClient {
  inFlight = 0
  maxInFlight = 0
  readonly log: { name: string; type: DnsRrType }[] = []
  constructor(
    public zones: Record<string, FakeEntry>,
    public delayMs = 1
  ) {}

  private find(name: string): FakeEntry | undefined {
    if (this.zones[name]) return this.zones[name]
    const labels = name.split('.')
    for (let i = 1; i < labels.length; i++) {
      const w = this.zones['*.' + labels.slice(i).join('.')]
      if (w) return w
    }
    return undefined
  }

  async query(name: string, type: DnsRrType): Promise<DnsAnswer> {
    this.log.push({ name, type })
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      const e = this.find(name.toLowerCase())
      if (e?.behaviour === 'timeout') return await new Promise<DnsAnswer>(() => undefined)
      await new Promise((r) => setTimeout(r, this.delayMs))
      if (e?.behaviour === 'throw') throw new Error('socket exploded')
      if (e?.behaviour)
        return { status: e.behaviour, name, type, records: [], error: e.behaviour, ms: this.delayMs }
      if (!e) return { status: 'nxdomain', name, type, records: [], ms: this.delayMs }
      const records = type === 'A' ? (e.A ?? []) : type === 'TXT' ? (e.TXT ?? []).map((t) => [t]) : []
      return { status: records.length ? 'ok' : 'nodata', name, type, records, ms: this.delayMs }
    } finally {
      this.inFlight--
    }
  }
}
