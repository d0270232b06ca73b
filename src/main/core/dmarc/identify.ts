import ipaddr from 'ipaddr.js'
import type { DnsClient } from '../dns/types'

/**
 * Which sending service an IP in a DMARC report belongs to, from three independent signals:
 * - SPF: the IP is inside the ranges the service's SPF include publishes (resolved live, RFC 7208 §5.2);
 * - PTR: the reverse name ends with one of the service's outbound host suffixes;
 * - DKIM: the record's auth_results carry a d= of the service (or one of its default selectors, which only
 *   counts together with another signal: "s1" or "selector1" alone are too common to name anyone).
 */

export type Signal = 'spf' | 'ptr' | 'dkim'

export interface ServiceDef {
  id: string
  name: string
  /** SPF include targets (from resources/spf-services.json), e.g. "_spf.google.com". */
  includes: string[]
  ptr: string[]
  dkimDomains: string[]
  selectors: string[]
}

export interface IdentifiedService {
  id: string
  name: string
  signals: Signal[]
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

/** Whole-label suffix match: "a.mail.google.com" ends with "google.com"; "notgoogle.com" does not. */
export const labelSuffix = (name: string, suffix: string) => {
  const n = name.toLowerCase().replace(/\.$/, '')
  const s = suffix.toLowerCase()
  return n === s || n.endsWith(`.${s}`)
}

function inRanges(ip: string, ranges: Range[]): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6
  try {
    addr = ipaddr.process(ip)
  } catch {
    return false
  }
  return ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net as never, bits))
}

/**
 * The ip4:/ip6: ranges an SPF record authorises, following include: and redirect= (RFC 7208 §5.2, §6.1) up
 * to the RFC's limit of 10 DNS-querying terms. a/mx/exists/ptr are not expanded: services publish ranges.
 */
export async function resolveSpfRanges(
  client: DnsClient,
  domain: string,
  budget = { lookups: 10 }
): Promise<string[]> {
  if (budget.lookups-- <= 0) return []
  const a = await client.query(domain, 'TXT')
  if (a.status !== 'ok') return []
  const record = a.records
    .map((r) => (Array.isArray(r) ? r.join('') : String(r)))
    .find((t) => /^v=spf1(\s|$)/i.test(t))
  if (!record) return []
  const out: string[] = []
  for (const term of record.split(/\s+/).slice(1)) {
    const m = /^[+?~-]?(ip4|ip6|include):(.+)$/i.exec(term) ?? /^(redirect)=(.+)$/i.exec(term)
    if (!m) continue
    const kind = m[1].toLowerCase()
    if (kind === 'ip4' || kind === 'ip6') out.push(m[2])
    else out.push(...(await resolveSpfRanges(client, m[2], budget)))
  }
  return out
}

function parseRanges(cidrs: string[]): Range[] {
  const out: Range[] = []
  for (const c of cidrs) {
    try {
      out.push(
        c.includes('/')
          ? ipaddr.parseCIDR(c)
          : [ipaddr.parse(c), ipaddr.parse(c).kind() === 'ipv4' ? 32 : 128]
      )
    } catch {
      // A malformed term in someone's SPF record names no range.
    }
  }
  return out
}

export interface Identifier {
  identify(
    ip: string,
    ptr: string | null,
    dkim: { domain: string; selector?: string }[]
  ): IdentifiedService | null
}

/**
 * Builds the identifier for one summary: resolves each service's SPF includes once through `client`
 * (placeholders such as ACCOUNT.spf.pphosted.com are skipped: they are per customer).
 */
export async function createIdentifier(
  services: ServiceDef[],
  client: DnsClient | null
): Promise<Identifier> {
  const ranges = new Map<string, Range[]>()
  if (client) {
    await Promise.all(
      services.map(async (s) => {
        const cidrs: string[] = []
        for (const inc of s.includes.filter((i) => !/ACCOUNT|0N\./.test(i)))
          cidrs.push(...(await resolveSpfRanges(client, inc)))
        ranges.set(s.id, parseRanges(cidrs))
      })
    )
  }
  return {
    identify(ip, ptr, dkim) {
      let best: IdentifiedService | null = null
      for (const s of services) {
        const signals: Signal[] = []
        if (inRanges(ip, ranges.get(s.id) ?? [])) signals.push('spf')
        if (ptr && s.ptr.some((p) => labelSuffix(ptr, p))) signals.push('ptr')
        const byDomain = dkim.some((d) => s.dkimDomains.some((x) => labelSuffix(d.domain, x)))
        const bySelector = dkim.some((d) => d.selector && s.selectors.includes(d.selector.toLowerCase()))
        if (byDomain || (bySelector && signals.length > 0)) signals.push('dkim')
        if (signals.length > (best?.signals.length ?? 0)) best = { id: s.id, name: s.name, signals }
      }
      return best
    }
  }
}
