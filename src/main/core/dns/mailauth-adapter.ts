import type { DnsClient, DnsRrType, DnsStatus } from './types'

/**
 * mailauth calls `resolver(name, type)` with the contract of `dns.promises.resolve`: arrays on success and
 * errors carrying c-ares codes otherwise. Its SPF code branches on those codes: ENOTFOUND/ENODATA are void
 * lookups (RFC 7208 §4.6.4), ETIMEOUT/EREFUSED become temperror, anything else temperror too. So each DnsStatus
 * must map back to the code c-ares would have produced.
 */
export type MailauthResolver = (name: string, type: string) => Promise<unknown[]>

const CODE: Record<Exclude<DnsStatus, 'ok'>, string> = {
  nxdomain: 'ENOTFOUND',
  nodata: 'ENODATA',
  servfail: 'ESERVFAIL',
  refused: 'EREFUSED',
  timeout: 'ETIMEOUT',
  error: 'EBADRESP'
}

const TYPES: DnsRrType[] = ['A', 'AAAA', 'TXT', 'MX', 'PTR', 'CNAME', 'NS', 'SOA']

export function toMailauthAdapter(client: DnsClient): MailauthResolver {
  return async (name: string, type: string): Promise<unknown[]> => {
    const t = type.toUpperCase() as DnsRrType
    if (!TYPES.includes(t)) {
      const err = new Error(`queryNotImplemented ${type}`) as NodeJS.ErrnoException
      err.code = 'ENOTIMP'
      throw err
    }
    const a = await client.query(name, t)
    if (a.status === 'ok') return a.records
    const err = new Error(
      `${CODE[a.status]} ${name} ${t}${a.error ? `: ${a.error}` : ''}`
    ) as NodeJS.ErrnoException
    err.code = CODE[a.status]
    throw err
  }
}
