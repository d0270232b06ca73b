/**
 * Declarative fixture zones, shared by the loopback DNS server (test/support/dns-server.ts) and by
 * `zoneClient` so unit tests and integration tests describe DNS the same way and get the same semantics.
 *
 * Format: `{ 'name.example': ZoneEntry }`. Names are case-insensitive, without trailing dot.
 *   - `A`, `AAAA`, `PTR`, `NS`: string[]; `CNAME`: string; `MX`: {exchange, priority}[]
 *   - `TXT`: one entry per RR; a string is one RR with that text (split into 255-byte character-strings on the
 *     wire), a string[] is one RR with exactly those character-strings (to test unsplit/oddly split records).
 *   - `SPF`: same as TXT, served as RR type 99 (RFC 4408 §3.1.1, only needed by the SPF test suite).
 *   - `behaviour`: 'servfail' | 'refused' | 'timeout' (never answer), for this name only (use a wildcard
 *     `*.zone` next to `zone` to break a whole zone). Not inherited: the SPF test suite times out a parent while
 *     its children answer. Types the entry has data for are still answered (as in the SPF suite, where a name
 *     with TXT data and TIMEOUT answers TXT and times out for the rest).
 *   - `delayMs`: answer latency. Inherited by every name below, so one entry `'zen.example': { delayMs: 40 }`
 *     gives a whole zone a latency (used by bench:blocklist).
 *   - `ttl`: seconds (default 0 so c-ares' query cache never hides a fixture change made with setRecord).
 *   - Wildcards: `'*.zone.example'` answers any name below zone.example that does not exist itself
 *     (RFC 4592, simplified: the closest wildcard wins).
 * Semantics: unknown name → NXDOMAIN; existing name (or empty non-terminal) without the type → NODATA
 * (RFC 2308 §2.1/§2.2); CNAMEs are chased inside the fixture (RFC 1034 §3.6.2), up to 8 hops.
 */
import type { MxRecord } from './types'

export type ZoneBehaviour = 'servfail' | 'refused' | 'timeout'

export interface ZoneEntry {
  A?: string[]
  AAAA?: string[]
  TXT?: (string | string[])[]
  SPF?: (string | string[])[]
  MX?: MxRecord[]
  CNAME?: string
  PTR?: string[]
  NS?: string[]
  behaviour?: ZoneBehaviour
  delayMs?: number
  ttl?: number
}

export type Zones = Record<string, ZoneEntry>

export type ZoneRrType = 'A' | 'AAAA' | 'TXT' | 'SPF' | 'MX' | 'CNAME' | 'PTR' | 'NS' | 'SOA'

export interface ZoneRr {
  name: string
  type: ZoneRrType
  ttl: number
  /** A/AAAA/PTR/NS/CNAME: string; TXT/SPF: string[] (character-strings); MX: MxRecord. */
  data: string | string[] | MxRecord
}

export interface ZoneLookup {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED'
  /** True when the server must not answer at all. */
  drop: boolean
  delayMs: number
  answers: ZoneRr[]
}

export function normaliseName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase()
}

/** Split text into DNS character-strings of at most 255 bytes (RFC 1035 §3.3.14, RFC 7208 §3.3). */
export function splitTxt(text: string): string[] {
  const buf = Buffer.from(text, 'utf8')
  if (buf.length <= 255) return [text]
  const parts: string[] = []
  for (let i = 0; i < buf.length; i += 255) parts.push(buf.subarray(i, i + 255).toString('utf8'))
  return parts
}

export function normaliseZones(zones: Zones): Zones {
  const out: Zones = {}
  for (const [name, entry] of Object.entries(zones)) out[normaliseName(name)] = entry
  return out
}

/** Find the entry for a name: exact match, else the closest wildcard `*.<ancestor>`. */
function findEntry(zones: Zones, name: string): { owner: string; entry: ZoneEntry } | undefined {
  if (zones[name]) return { owner: name, entry: zones[name] }
  const labels = name.split('.')
  for (let i = 1; i < labels.length; i++) {
    const wild = '*.' + labels.slice(i).join('.')
    if (zones[wild]) return { owner: wild, entry: zones[wild] }
  }
  return undefined
}

/** behaviour from the name itself (or its wildcard); delayMs from the name or the closest ancestor setting it. */
function inherited(zones: Zones, name: string): { behaviour?: ZoneBehaviour; delayMs: number } {
  const found = findEntry(zones, name)
  let delayMs = found?.entry.delayMs
  const labels = name.split('.')
  for (let i = 1; i < labels.length && delayMs === undefined; i++) {
    const suffix = labels.slice(i).join('.')
    delayMs = zones[suffix]?.delayMs ?? zones['*.' + suffix]?.delayMs
  }
  return { behaviour: found?.entry.behaviour, delayMs: delayMs ?? 0 }
}

function rrsOf(owner: string, entry: ZoneEntry, type: ZoneRrType): ZoneRr[] {
  const ttl = entry.ttl ?? 0
  const mk = (data: ZoneRr['data']): ZoneRr => ({ name: owner, type, ttl, data })
  switch (type) {
    case 'A':
      return (entry.A ?? []).map(mk)
    case 'AAAA':
      return (entry.AAAA ?? []).map(mk)
    case 'PTR':
      return (entry.PTR ?? []).map(mk)
    case 'NS':
      return (entry.NS ?? []).map(mk)
    case 'MX':
      return (entry.MX ?? []).map(mk)
    case 'CNAME':
      return entry.CNAME ? [mk(entry.CNAME)] : []
    case 'TXT':
    case 'SPF':
      return ((type === 'TXT' ? entry.TXT : entry.SPF) ?? []).map((t) =>
        mk(typeof t === 'string' ? splitTxt(t) : t)
      )
    default:
      return []
  }
}

/** Resolve one question against fixture zones, with the semantics documented at the top of this file. */
export function lookupZone(zonesIn: Zones, qname: string, type: ZoneRrType, normalised = false): ZoneLookup {
  const zones = normalised ? zonesIn : normaliseZones(zonesIn)
  let name = normaliseName(qname)
  const first = inherited(zones, name)
  const own = findEntry(zones, name)?.entry
  if (own && (rrsOf(name, own, type).length > 0 || (own.CNAME && type !== 'CNAME')))
    first.behaviour = undefined
  if (first.behaviour === 'timeout')
    return { rcode: 'NOERROR', drop: true, delayMs: first.delayMs, answers: [] }
  if (first.behaviour === 'servfail')
    return { rcode: 'SERVFAIL', drop: false, delayMs: first.delayMs, answers: [] }
  if (first.behaviour === 'refused')
    return { rcode: 'REFUSED', drop: false, delayMs: first.delayMs, answers: [] }
  const answers: ZoneRr[] = []
  for (let hop = 0; hop < 8; hop++) {
    const found = findEntry(zones, name)
    if (!found) {
      if (hop > 0) return { rcode: 'NOERROR', drop: false, delayMs: first.delayMs, answers }
      // Empty non-terminal: a name with descendants exists (RFC 8020), so NODATA rather than NXDOMAIN.
      const ent = Object.keys(zones).some((z) => z.endsWith('.' + name) && !z.startsWith('*.'))
      return { rcode: ent ? 'NOERROR' : 'NXDOMAIN', drop: false, delayMs: first.delayMs, answers }
    }
    const { entry } = found
    if (hop > 0) {
      const inh = inherited(zones, name)
      if (inh.behaviour === 'timeout')
        return { rcode: 'NOERROR', drop: true, delayMs: first.delayMs, answers: [] }
      if (inh.behaviour)
        return {
          rcode: inh.behaviour === 'servfail' ? 'SERVFAIL' : 'REFUSED',
          drop: false,
          delayMs: first.delayMs,
          answers: []
        }
    }
    // Records are owned by the queried name even when a wildcard synthesised them (RFC 4592 §3.3.1).
    if (entry.CNAME && type !== 'CNAME') {
      answers.push({ name, type: 'CNAME', ttl: entry.ttl ?? 0, data: normaliseName(entry.CNAME) })
      name = normaliseName(entry.CNAME)
      continue
    }
    answers.push(...rrsOf(name, entry, type))
    return { rcode: 'NOERROR', drop: false, delayMs: first.delayMs, answers }
  }
  return { rcode: 'SERVFAIL', drop: false, delayMs: first.delayMs, answers: [] }
}
