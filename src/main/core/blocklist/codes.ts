import ipaddr from 'ipaddr.js'
import type { BlocklistEntry } from '../../../shared/schemas/blocklist'
import type { DnsAnswer } from '../dns/types'

/**
 * Interpreting A answers from a list.
 *
 * RFC 5782 §2.1: a listing is an A record in 127.0.0.0/8, 127.0.0.2 being the generic "listed". Anything outside
 * 127/8 cannot be a DNSBL answer: it is a parked/wildcarded domain or a resolver rewriting NXDOMAIN (ad-serving
 * ISP resolvers), so the result is "unreliable", never "listed".
 * Spamhaus reserves 127.255.255.0/24 for query errors that "should NOT be interpreted as any sort of reputation"
 * (https://www.spamhaus.org/news/article/788/); no list uses that range for listings, so it is a refusal for all.
 * URIBL and SURBL answer 127.0.0.1 (bit 0x1) when they refuse a resolver (https://uribl.com/refused.shtml).
 */

export type Classification =
  | { status: 'listed'; polarity: 'block' | 'allow' | 'info'; codes: string[]; meanings: string[] }
  | { status: 'clean'; codes: string[]; meanings: string[]; reason?: string }
  | { status: 'refused' | 'unreliable' | 'error'; codes: string[]; meanings: string[]; reason: string }

function lookupCode(map: Record<string, string>, code: string): string | undefined {
  if (map[code]) return map[code]
  const parts = code.split('.')
  for (const [key, meaning] of Object.entries(map)) {
    if (!key.includes('*')) continue
    const kp = key.split('.')
    if (kp.every((p, i) => p === '*' || p === parts[i])) return meaning
  }
  return undefined
}

/** Meanings of one code; bitmask lists (SURBL/URIBL) decode every bit of the last octet. */
export function codeMeanings(list: BlocklistEntry, code: string): string[] {
  const direct = lookupCode(list.returnCodes, code)
  if (!list.bitmask) return direct ? [direct] : []
  const last = Number(code.split('.')[3])
  const out: string[] = []
  for (const [key, meaning] of Object.entries(list.returnCodes)) {
    const bit = Number(key.split('.')[3])
    if (bit > 0 && (bit & (bit - 1)) === 0 && (last & bit) !== 0) out.push(meaning)
  }
  return out.length ? out : direct ? [direct] : []
}

export function errorMeaning(list: BlocklistEntry, code: string): string | undefined {
  const explicit = lookupCode(list.errorCodes, code)
  if (explicit) return explicit
  if (code.startsWith('127.255.255.'))
    return `Error code ${code} (127.255.255.0/24 is reserved for query errors): refused, not a listing`
  // Bitmask lists use bit 0x1 for "blocked"; a 127.0.0.x answer with that bit set is a refusal.
  if (list.bitmask && code.startsWith('127.0.0.') && (Number(code.split('.')[3]) & 1) === 1) {
    return lookupCode(list.errorCodes, '127.0.0.1') ?? `Bit 0x1 set (${code}): query refused, not a listing`
  }
  return undefined
}

/** Numeric order for dotted quads (127.0.0.4 before 127.0.0.10); anything else after, lexically. */
function byAddress(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] || 0) - (pb[i] || 0) || a.localeCompare(b)
  return 0
}

function isLoopback127(code: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(code) && code.startsWith('127.')
}

/** Classify one DNS answer for an A query against `list`. Non-definitive statuses become "error". */
export function classifyAnswer(list: BlocklistEntry, answer: DnsAnswer): Classification {
  switch (answer.status) {
    case 'nxdomain':
      return { status: 'clean', codes: [], meanings: [] }
    case 'nodata':
      // The name exists without an A record: not a listing under RFC 5782 §2.1.
      return { status: 'clean', codes: [], meanings: [], reason: 'NODATA (name exists without an A record)' }
    case 'ok':
      break
    default:
      return { status: 'error', codes: [], meanings: [], reason: describeFailure(answer) }
  }
  const codes = [...new Set(answer.records.filter((r): r is string => typeof r === 'string'))].sort(byAddress)
  if (codes.length === 0) return { status: 'clean', codes, meanings: [] }
  const foreign = codes.filter((c) => !isLoopback127(c))
  if (foreign.length) {
    return {
      status: 'unreliable',
      codes,
      meanings: [],
      reason: `Answer ${foreign.join(', ')} is outside 127.0.0.0/8 (RFC 5782 §2.1): the zone is wildcarded/parked or the resolver rewrites answers`
    }
  }
  const errors = codes.map((c) => errorMeaning(list, c)).filter((m): m is string => !!m)
  if (errors.length) return { status: 'refused', codes, meanings: errors, reason: errors.join('; ') }
  const meanings = codes.flatMap((c) => {
    const m = codeMeanings(list, c)
    return m.length ? m : [`Undocumented return code ${c}`]
  })
  let polarity: 'block' | 'allow' | 'info' =
    list.kind === 'allow' ? 'allow' : list.kind === 'info' ? 'info' : 'block'
  if (list.allowCodes?.length) {
    const allow = new Set(list.allowCodes)
    if (codes.every((c) => allow.has(c))) polarity = 'allow'
  }
  return { status: 'listed', polarity, codes, meanings }
}

export function describeFailure(answer: DnsAnswer): string {
  const what =
    answer.status === 'timeout'
      ? 'timed out'
      : answer.status === 'servfail'
        ? 'SERVFAIL'
        : answer.status === 'refused'
          ? 'the resolver answered REFUSED'
          : 'lookup error'
  return `Could not check: ${what}${answer.error ? ` (${answer.error})` : ''}`
}
