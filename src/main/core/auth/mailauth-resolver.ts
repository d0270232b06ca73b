import type { DnsAnswer, DnsClient, DnsRrType, MxRecord } from '../dns/types'

/**
 * Adapter from the project's DNS seam (`DnsClient`, status-based) to mailauth's resolver contract
 * (`(name, rrtype) => Promise<records>`, shaped like `dns.promises.resolve` and throwing Node-style errors).
 *
 * Why the error codes matter: mailauth decides between "none" and "temperror" from `err.code`
 * (lib/spf/index.js, lib/dmarc/get-dmarc-record.js, lib/dkim/dkim-verifier.js). NXDOMAIN/NODATA are answers
 * (RFC 2308) and become ENOTFOUND/ENODATA → none / void lookup (RFC 7208 §4.6.4); SERVFAIL, REFUSED and timeouts
 * are not answers and must surface as temperror (RFC 7208 §2.6.6, RFC 7489 §6.6.3) — never as "no record".
 */

export type MailauthResolver = (name: string, rrtype: string) => Promise<unknown[]>

export interface DnsLookupError extends Error {
  code: string
  hostname: string
  rrtype: string
}

const CODES: Record<Exclude<DnsAnswer['status'], 'ok'>, string> = {
  nxdomain: 'ENOTFOUND',
  nodata: 'ENODATA',
  servfail: 'ESERVFAIL',
  refused: 'EREFUSED',
  timeout: 'ETIMEOUT',
  error: 'EBADRESP'
}

const SUPPORTED = new Set<DnsRrType>(['A', 'AAAA', 'TXT', 'MX', 'PTR', 'CNAME', 'NS', 'SOA'])

function dnsError(code: string, name: string, rrtype: string, cause?: string): DnsLookupError {
  const err = new Error(`query${rrtype} ${code} ${name}${cause ? `: ${cause}` : ''}`) as DnsLookupError
  err.code = code
  err.hostname = name
  err.rrtype = rrtype
  return err
}

/** Shape one record like node:dns does: TXT → string[] chunks, MX → {exchange, priority}, others → string. */
function toNodeRecord(type: DnsRrType, r: unknown): unknown {
  if (type === 'TXT') return Array.isArray(r) ? r.map(String) : [String(r)]
  if (type === 'MX') {
    const mx = r as Partial<MxRecord>
    return { exchange: String(mx?.exchange ?? ''), priority: Number(mx?.priority ?? 0) }
  }
  return r
}

/** Errors raised by the adapter carry the DNS cause so reports can say *why* a check could not run. */
export function toMailauthResolver(client: DnsClient, onAnswer?: (a: DnsAnswer) => void): MailauthResolver {
  return async (name: string, rrtype: string) => {
    const type = String(rrtype || 'A').toUpperCase() as DnsRrType
    const qname = String(name ?? '').replace(/\.+$/, '')
    if (!SUPPORTED.has(type)) throw dnsError('ENOTIMP', qname, type, 'unsupported record type')
    let answer: DnsAnswer
    try {
      answer = await client.query(qname, type)
    } catch (e) {
      throw dnsError('ESERVFAIL', qname, type, e instanceof Error ? e.message : String(e))
    }
    onAnswer?.(answer)
    if (answer.status === 'ok') {
      // An "ok" with no records of the asked type is NODATA as far as mailauth is concerned.
      if (!answer.records.length) throw dnsError('ENODATA', qname, type)
      return answer.records.map((r) => toNodeRecord(type, r))
    }
    throw dnsError(CODES[answer.status] ?? 'EBADRESP', qname, type, answer.error)
  }
}
