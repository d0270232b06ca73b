import type { DnsAnswer, DnsClient, DnsRecord, DnsRrType, DnsStatus } from '../dns/types'

/**
 * A declarative in-memory DnsClient for tests and offline replays (the mailauth `zoneResolver` pattern).
 *
 *   zoneClient({
 *     'example.com': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'], MX: [{ exchange: 'mx.example.com', priority: 10 }] },
 *     'sel._domainkey.example.com': { TXT: [['v=DKIM1; k=rsa; ', 'p=MIIB...']] },
 *     'broken.example': { status: 'servfail' },          // every type answers SERVFAIL
 *     'slow.example': { TXT: { status: 'timeout' } }      // one type times out
 *   })
 *
 * A name that is absent is NXDOMAIN; a present name without the asked type is NODATA (RFC 2308 §2.1, §2.2). TXT
 * entries may be a string (one character-string) or a string[] (several strings of one RR). Names are
 * case-insensitive and a trailing dot is ignored. `calls` records every query for assertions.
 */

type TypeEntry = DnsRecord[] | { status: DnsStatus; error?: string }
export type ZoneNode = Partial<Record<DnsRrType, TypeEntry>> & { status?: DnsStatus; error?: string }
export type Zone = Record<string, ZoneNode>

export interface ZoneClient extends DnsClient {
  calls: Array<{ name: string; type: DnsRrType }>
}

export function zoneClient(zone: Zone): ZoneClient {
  const norm = new Map<string, ZoneNode>()
  for (const [k, v] of Object.entries(zone)) norm.set(k.toLowerCase().replace(/\.+$/, ''), v)
  const calls: ZoneClient['calls'] = []
  return {
    calls,
    async query(name: string, type: DnsRrType): Promise<DnsAnswer> {
      const key = name.toLowerCase().replace(/\.+$/, '')
      calls.push({ name: key, type })
      const base = { name: key, type, ms: 0 }
      const node = norm.get(key)
      if (!node) return { ...base, status: 'nxdomain', records: [] }
      if (node.status && node.status !== 'ok')
        return { ...base, status: node.status, records: [], error: node.error }
      const entry = node[type]
      if (!entry) return { ...base, status: 'nodata', records: [] }
      if (!Array.isArray(entry)) return { ...base, status: entry.status, records: [], error: entry.error }
      const records = type === 'TXT' ? entry.map((r) => (Array.isArray(r) ? r : [String(r)])) : entry
      return { ...base, status: records.length ? 'ok' : 'nodata', records }
    }
  }
}
