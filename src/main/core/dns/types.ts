/**
 * The DNS seam shared by every analysis (domain health, blocklists, authentication re-verification).
 *
 * Why a status instead of exceptions: a mail admin must never read "missing" or "clean" when the truth is
 * "could not check". NXDOMAIN and NODATA are answers (RFC 2308 §2.1, §2.2); SERVFAIL, REFUSED and timeouts are
 * not, so callers branch on `status` and only treat `ok`/`nxdomain`/`nodata` as facts about the zone.
 */
export type DnsRrType = 'A' | 'AAAA' | 'TXT' | 'MX' | 'PTR' | 'CNAME' | 'NS' | 'SOA'

export type DnsStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'error'

export interface MxRecord {
  exchange: string
  priority: number
}

/** Record shapes per type: A/AAAA/PTR/CNAME/NS → string; TXT → string[] (the character-strings of one RR); MX → MxRecord. */
export type DnsRecord = string | string[] | MxRecord | Record<string, unknown>

export interface DnsAnswer {
  status: DnsStatus
  name: string
  type: DnsRrType
  records: DnsRecord[]
  /** Human-readable cause when status is not ok/nxdomain/nodata. */
  error?: string
  /** Wall-clock time the lookup took, for the UI and the benchmarks. */
  ms: number
}

export interface DnsClient {
  query(name: string, type: DnsRrType): Promise<DnsAnswer>
}

export interface ResolverOptions {
  /** "IP" or "IP:port" (IPv6 as "[::1]:53"); empty means the system resolver's servers. */
  servers?: string[]
  timeoutMs?: number
  tries?: number
}

/** True when the answer is a fact about the zone (the name exists with data, or authoritatively does not). */
export function isDefinitive(a: DnsAnswer): boolean {
  return a.status === 'ok' || a.status === 'nxdomain' || a.status === 'nodata'
}
