import { getServers as systemServers, promises as dnsPromises } from 'node:dns'
import type {
  DnsAnswer,
  DnsClient,
  DnsRecord,
  DnsRrType,
  DnsStatus,
  MxRecord,
  ResolverOptions
} from '../../core/dns/types'
import { normaliseQueryName } from '../../core/dns/caching'
import { isWireLegal, wireLabels, wireQuery, type NodeShapedRecords } from './wire-query'

/**
 * DnsClient over node's c-ares `dns.promises.Resolver`.
 *
 * Why not `dns.lookup`: it goes through getaddrinfo (hosts file, nsswitch, no TXT/MX, no distinction between
 * NXDOMAIN and a broken resolver), so it cannot tell "missing" from "could not check".
 * c-ares sends the query over UDP and retries over TCP when the answer has TC=1 (RFC 1035 §4.2.1, RFC 7766),
 * which matters for large SPF/DKIM TXT records; test/support/dns-server.test.ts checks that.
 * Names c-ares refuses to send (EBADNAME: characters outside the host-name set, legal in DNS) go through
 * wire-query.ts instead, with the same servers, timeout, tries and result shapes.
 */

const DEFAULT_TIMEOUT_MS = 5000
const DEFAULT_TRIES = 2

/** Map a c-ares error code to a status. NXDOMAIN and NODATA are answers (RFC 2308); the rest are not. */
export function statusFromErrorCode(code: string | undefined): DnsStatus {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain'
    case 'ENODATA':
      return 'nodata'
    case 'ESERVFAIL':
      return 'servfail'
    case 'EREFUSED':
      return 'refused'
    case 'ETIMEOUT':
      return 'timeout'
    default:
      return 'error'
  }
}

type NodeResolver = InstanceType<typeof dnsPromises.Resolver>

/** The c-ares query, returning what node's Resolver method returns (the shape wireQuery also produces). */
async function caresQuery(r: NodeResolver, name: string, type: DnsRrType): Promise<NodeShapedRecords> {
  switch (type) {
    case 'A':
      return r.resolve4(name)
    case 'AAAA':
      return r.resolve6(name)
    case 'TXT':
      return r.resolveTxt(name)
    case 'MX':
      return r.resolveMx(name)
    case 'PTR':
      return r.resolvePtr(name)
    case 'CNAME':
      return r.resolveCname(name)
    case 'NS':
      return r.resolveNs(name)
    case 'SOA':
      return r.resolveSoa(name)
  }
}

/** Node's result → DnsRecord[] (see types.ts), the same for the c-ares and the wireQuery path. */
function toRecords(type: DnsRrType, raw: NodeShapedRecords): DnsRecord[] {
  switch (type) {
    case 'MX':
      return (raw as MxRecord[]).map((m) => ({
        exchange: normaliseQueryName(m.exchange),
        priority: m.priority
      }))
    case 'PTR':
    case 'CNAME':
    case 'NS':
      return (raw as string[]).map(normaliseQueryName)
    case 'SOA':
      return [{ ...raw } as Record<string, unknown>]
    default:
      return raw as string[] | string[][]
  }
}

/**
 * A name that cannot exist on the wire (label over 63 octets or name over 253, RFC 1035 §2.3.4) is answered
 * as NXDOMAIN without a query, as RFC 7208 §4.3/§4.8 asks ("treated as non-existent"); c-ares would only say
 * EBADNAME, which callers would have to read as "could not check".
 */
export function impossibleName(name: string): boolean {
  if (Buffer.byteLength(name) > 253) return true
  return name.split('.').some((l) => Buffer.byteLength(l) > 63)
}

export function createDnsClient(opts: ResolverOptions = {}): DnsClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const tries = opts.tries ?? DEFAULT_TRIES
  const resolver = new dnsPromises.Resolver({ timeout: timeoutMs, tries })
  // c-ares accepts "IP", "IP:port" and "[IPv6]:port" directly.
  if (opts.servers && opts.servers.length > 0) resolver.setServers(opts.servers)

  return {
    async query(rawName: string, type: DnsRrType): Promise<DnsAnswer> {
      const name = normaliseQueryName(rawName)
      const started = performance.now()
      if (impossibleName(name)) return { status: 'nxdomain', name, type, records: [], ms: 0 }
      const ms = (): number => Math.round((performance.now() - started) * 10) / 10
      const answer = (status: DnsStatus, records: DnsRecord[], error?: string): DnsAnswer =>
        error === undefined || status === 'nxdomain' || status === 'nodata'
          ? { status, name, type, records, ms: ms() }
          : { status, name, type, records, error, ms: ms() }
      try {
        const records = toRecords(type, await caresQuery(resolver, name, type))
        // c-ares reports an empty answer section as ENODATA, but be defensive.
        return answer(records.length ? 'ok' : 'nodata', records)
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'EBADNAME') {
          /*
           * c-ares only sends names made of host-name characters, but a DNS label may hold any octet (RFC 2181
           * §11) and SPF target names may hold any visible character (RFC 7208 §7.1; the RFC 7208/4408 test
           * suites query `foo:bar/baz.example.com` and `macro%percent  space%20url-space.example.com`). So a
           * name that fits on the wire is sent by wireQuery to the same servers with the same timeout/tries;
           * one that does not (empty or over-long label, name over 255 octets) does not exist (RFC 7208 §4.3).
           */
          const labels = wireLabels(name)
          if (!isWireLegal(labels)) return { status: 'nxdomain', name, type, records: [], ms: 0 }
          // The servers c-ares itself uses: opts.servers when set, else the system's (as dns.getServers() lists).
          const configured = resolver.getServers()
          const servers = configured.length ? configured : systemServers()
          const res = await wireQuery(name, type, { servers, timeoutMs, tries })
          if (res.status !== 'ok') return answer(res.status, [], res.error ?? res.status)
          const records = toRecords(type, res.records)
          return answer(records.length ? 'ok' : 'nodata', records)
        }
        return answer(statusFromErrorCode(code), [], `${code ?? 'error'}: ${(err as Error).message}`)
      }
    }
  }
}
