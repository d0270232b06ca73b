import type { DnsAnswer, DnsClient, DnsRecord, DnsRrType } from './types'
import { lookupZone, normaliseName, normaliseZones, type Zones } from './zone'

export type { Zones, ZoneEntry } from './zone'

/**
 * An in-memory DnsClient over the same declarative zones as test/support/dns-server.ts (format documented in
 * ./zone.ts), for unit tests that need no sockets. Mirrors what c-ares returns for the server's answers: CNAME
 * chains are followed and only the records of the requested type are returned; 'timeout' resolves (after
 * delayMs) to status 'timeout' instead of hanging.
 */
export function zoneClient(zonesIn: Zones): DnsClient & { zones: Zones } {
  const zones = normaliseZones(zonesIn)
  return {
    zones,
    async query(rawName: string, type: DnsRrType): Promise<DnsAnswer> {
      const name = normaliseName(rawName)
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
