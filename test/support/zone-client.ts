import type { DnsAnswer, DnsClient, DnsRecord, DnsRrType } from '../../src/main/core/dns/types'
import { lookupZone, normaliseName, normaliseZones, type Zones } from '../../src/main/core/dns/zone'

export type { Zones, ZoneEntry } from '../../src/main/core/dns/zone'

/**
 * An in-memory DnsClient over the same declarative zones as test/support/dns-server.ts (format documented in
 * ./zone.ts), for unit tests that need no sockets. Mirrors what c-ares returns for the server's answers: CNAME
 * chains are followed and only the records of the requested type are returned; 'timeout' resolves (after
 * delayMs) to status 'timeout' instead of hanging.
 */
export function zoneClient(
  zonesIn: Zones
): DnsClient & { zones: Zones; calls: { name: string; type: DnsRrType }[] } {
  const zones = normaliseZones(zonesIn)
  /** Every query, for assertions on what a check asked. */
  const calls: { name: string; type: DnsRrType }[] = []
  return {
    zones,
    calls,
    async query(rawName: string, type: DnsRrType): Promise<DnsAnswer> {
      const name = normaliseName(rawName)
      calls.push({ name, type })
      const res = lookupZone(zones, name, type, true)
      if (res.delayMs > 0) await new Promise((r) => setTimeout(r, res.delayMs))
      const base = { name, type, ms: res.delayMs }
      if (res.drop)
        return { ...base, status: 'timeout', records: [], error: 'ETIMEOUT: fixture never answers' }
      if (res.rcode === 'SERVFAIL') return { ...base, status: 'servfail', records: [], error: 'ESERVFAIL' }
      if (res.rcode === 'REFUSED') return { ...base, status: 'refused', records: [], error: 'EREFUSED' }
      if (res.rcode === 'NXDOMAIN') return { ...base, status: 'nxdomain', records: [] }
      const records: DnsRecord[] = res.answers
        .filter((rr) => rr.type === type)
        .map((rr) => (typeof rr.data === 'object' && !Array.isArray(rr.data) ? { ...rr.data } : rr.data))
      return { ...base, status: records.length ? 'ok' : 'nodata', records }
    }
  }
}
