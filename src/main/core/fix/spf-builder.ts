import ipaddr from 'ipaddr.js'
import catalogue from '../../../../resources/spf-services.json'
import { SpfService, type SpfBuildResult } from '../../../shared/schemas/fix'
import { z } from 'zod'
import { line, quoteTxt, snippet, splitTxt } from './snippet'
import { countDirectLookups, parseSpf, type SpfTerm } from './spf-record'

/**
 * SPF builder (RFC 7208). Assembles one record from catalogue services, own IPs and the mechanisms worth
 * keeping from the current record, counts DNS lookups (limit 10, RFC 7208 §4.6.4) with an injected live counter,
 * and offers a flattened alternative through an injected include resolver when the limit is exceeded.
 */

export const spfServices: SpfService[] = z.array(SpfService).parse(catalogue.services)

export function findSpfService(id: string): SpfService | undefined {
  return spfServices.find((s) => s.id === id)
}

export interface BuildSpfInput {
  /** Domain that will publish the record (used for the zone-file line). */
  domain?: string
  /** Catalogue ids (resources/spf-services.json). */
  services: string[]
  /** Replacement mechanisms for account-specific services, e.g. { hubspot: ['include:123.spf01.hubspotemail.net'] }. */
  serviceOverrides?: Record<string, string[]>
  /** Own sending IPs or CIDR ranges, IPv4 or IPv6. */
  ips?: string[]
  /** Terms to keep from the current record (see keepMechanisms()). */
  keepMechanisms?: string[]
  all: '-all' | '~all'
  /** Live lookup counter (e.g. the domain checker evaluating the candidate record against DNS). */
  lookupCounter?: (record: string) => Promise<number>
  /** Resolves one include target to its ip4:/ip6: terms, recursively, for flattening. */
  includeResolver?: (domain: string) => Promise<string[]>
}

const LIMIT = 10
/** Keep answers within a 512-octet UDP response where possible (RFC 7208 §3.4). */
const UDP_SAFE = 450

function ipTerm(value: string): { term?: string; error?: string } {
  const v = value.trim()
  try {
    if (v.includes('/')) {
      const [addr, len] = ipaddr.parseCIDR(v)
      const kind = addr.kind() === 'ipv6' ? 'ip6' : 'ip4'
      const full = kind === 'ip4' ? 32 : 128
      return { term: len === full ? `${kind}:${addr.toString()}` : `${kind}:${addr.toString()}/${len}` }
    }
    const addr = ipaddr.parse(v)
    return { term: `${addr.kind() === 'ipv6' ? 'ip6' : 'ip4'}:${addr.toString()}` }
  } catch {
    return { error: `"${value}" is not an IP address or CIDR range; skipped.` }
  }
}

function explainTerm(t: SpfTerm, services: SpfService[]): string {
  const svc = services.find((s) =>
    s.mechanisms.some((m) => m.toLowerCase() === t.raw.toLowerCase().replace(/^\+/, ''))
  )
  const q =
    t.qualifier === '-'
      ? 'fail'
      : t.qualifier === '~'
        ? 'soft-fail'
        : t.qualifier === '?'
          ? 'neutral'
          : 'pass'
  switch (t.name) {
    case 'ip4':
    case 'ip6':
      return `Authorises ${t.value} directly (no DNS lookup).`
    case 'include':
      return svc
        ? `Authorises ${svc.name}'s servers (${t.value}); usually costs about ${svc.typicalLookups} lookup(s).${svc.verified === 'vendor-docs' ? '' : " Check the value in the vendor's documentation."}`
        : `Authorises the servers listed in ${t.value}'s SPF record (1 lookup plus its own nested lookups).`
    case 'a':
      return `Authorises the IPs of ${t.value ?? 'the domain'}'s A/AAAA records (1 lookup).`
    case 'mx':
      return `Authorises the IPs of ${t.value ?? 'the domain'}'s MX hosts (1 lookup plus one per MX host, max 10, RFC 7208 §4.6.4).`
    case 'ptr':
      return 'Authorises by reverse DNS: slow and unreliable; RFC 7208 §5.5 says it SHOULD NOT be used.'
    case 'exists':
      return `Passes when ${t.value} resolves (1 lookup); used by macro-based services.`
    case 'all':
      return q === 'fail'
        ? '-all: every other server fails SPF; receivers may reject it.'
        : q === 'soft-fail'
          ? '~all: every other server soft-fails; usually accepted but marked. Use while you are still finding senders.'
          : `${t.raw}: ${q} for every other server.`
    case 'redirect':
      return `Uses ${t.value}'s SPF record for everything not matched above (1 lookup).`
    default:
      return `Modifier ${t.name}.`
  }
}

export async function buildSpf(input: BuildSpfInput): Promise<SpfBuildResult> {
  const warnings: string[] = []
  const services: SpfService[] = []
  const serviceTerms: string[] = []
  for (const id of input.services) {
    const svc = findSpfService(id)
    if (!svc) {
      warnings.push(`Unknown service "${id}"; skipped.`)
      continue
    }
    services.push(svc)
    const override = input.serviceOverrides?.[id]
    if (svc.accountSpecific && !override?.length) {
      warnings.push(
        `${svc.name} uses an account-specific include; copy it from the vendor's settings and pass it as an override.`
      )
      continue
    }
    for (const m of override?.length ? override : svc.mechanisms) serviceTerms.push(m)
    if (svc.notes) warnings.push(`${svc.name}: ${svc.notes}`)
  }
  const ipTerms: string[] = []
  for (const ip of input.ips ?? []) {
    const r = ipTerm(ip)
    if (r.error) warnings.push(r.error)
    else if (r.term && !ipTerms.includes(r.term)) ipTerms.push(r.term)
  }
  const seen = new Set<string>()
  const ordered: string[] = []
  const push = (t: string): void => {
    const key = t.toLowerCase().replace(/^\+/, '')
    if (seen.has(key)) return
    seen.add(key)
    ordered.push(t)
  }
  // ip4/ip6 first: they are matched without any DNS query, so the common case stops early.
  ipTerms.forEach(push)
  for (const t of input.keepMechanisms ?? []) {
    if (/^[+\-~?]?all$/i.test(t) || /^v=spf1$/i.test(t)) continue
    push(t)
  }
  serviceTerms.forEach(push)
  const record = ['v=spf1', ...ordered, input.all].join(' ')
  const parsed = parseSpf(record)
  warnings.push(...parsed.errors)
  if (parsed.terms.some((t) => t.name === 'ptr'))
    warnings.push('The ptr mechanism SHOULD NOT be used (RFC 7208 §5.5); replace it with ip4/ip6 or include.')
  if (parsed.terms.some((t) => t.name === 'all' && t.qualifier === '+'))
    warnings.push('+all authorises the whole Internet; never publish it.')
  if (parsed.terms.filter((t) => t.name === 'all').length > 1)
    warnings.push('More than one "all" term: only the first is reached.')

  const direct = countDirectLookups(parsed.terms)
  let estimated = 0
  for (const t of parsed.terms) {
    if (t.name === 'include') {
      const svc = services.find((s) =>
        s.mechanisms.some((m) => m.toLowerCase() === t.raw.toLowerCase().replace(/^\+/, ''))
      )
      estimated += svc ? svc.typicalLookups : 1
    } else if (['a', 'mx', 'ptr', 'exists', 'redirect'].includes(t.name)) estimated += 1
  }
  let live: number | undefined
  let liveError: string | undefined
  if (input.lookupCounter) {
    try {
      live = await input.lookupCounter(record)
    } catch (e) {
      liveError = e instanceof Error ? e.message : String(e)
      warnings.push(
        `Live lookup count failed (${liveError}); the estimate from the catalogue is shown instead.`
      )
    }
  }
  const effective = live ?? estimated
  if (effective > LIMIT)
    warnings.push(
      `The record needs ${effective} DNS lookups; SPF allows 10 (RFC 7208 §4.6.4). Receivers return permerror and DMARC treats SPF as failed. Remove unused services, move senders to subdomains, or flatten.`
    )

  const strings = splitTxt(record)
  if (record.length > UDP_SAFE)
    warnings.push(
      `The record is ${record.length} characters; answers above ~512 octets need TCP or EDNS and some receivers fail them (RFC 7208 §3.4).`
    )
  const owner = input.domain ? `${input.domain.replace(/\.$/, '')}.` : '@'
  const spfSnippet = snippet(
    'spf-record',
    `SPF record${input.domain ? ` for ${input.domain}` : ''}`,
    'dns-txt',
    [
      line(
        'v=spf1',
        'Marks the TXT record as SPF version 1 (RFC 7208 §4.5). Publish exactly one such record per name.'
      ),
      ...parsed.terms.map((t) => line(t.raw, explainTerm(t, services)))
    ],
    { name: input.domain, record, text: `${owner} 3600 IN TXT ${quoteTxt(strings)}`, warnings: [...warnings] }
  )

  let flattened: SpfBuildResult['flattened']
  if (effective > LIMIT && input.includeResolver) {
    const flatTerms: string[] = [...ipTerms]
    const kept: string[] = []
    const notes: string[] = []
    for (const t of parsed.terms) {
      if (t.name === 'include' && t.value) {
        try {
          const ips = await input.includeResolver(t.value)
          for (const ip of ips) if (!flatTerms.includes(ip)) flatTerms.push(ip)
          notes.push(`${t.raw} → ${ips.length} address term(s)`)
        } catch (e) {
          kept.push(t.raw)
          notes.push(
            `${t.raw} could not be resolved (${e instanceof Error ? e.message : String(e)}); kept as include.`
          )
        }
      } else if (t.name !== 'all' && t.name !== 'ip4' && t.name !== 'ip6') kept.push(t.raw)
    }
    const flatRecord = ['v=spf1', ...flatTerms, ...kept, input.all].join(' ')
    const flatParsed = parseSpf(flatRecord)
    const flatWarnings = [
      'Flattened records go stale: when a provider changes its IPs, mail from the new IPs fails SPF until you update the record. Re-run the flattening regularly or use a service that does it automatically.',
      'Providers publish includes precisely so they can change IPs without you; prefer removing unused services or moving a sender to its own subdomain when possible.'
    ]
    if (flatRecord.length > UDP_SAFE)
      flatWarnings.push(
        `The flattened record is ${flatRecord.length} characters; split it into several records chained with include (e.g. _spf1.${input.domain ?? 'example.com'}).`
      )
    flattened = snippet(
      'spf-record-flattened',
      'Flattened alternative (under 10 lookups)',
      'dns-txt',
      [
        line('v=spf1', 'SPF version 1.'),
        ...flatParsed.terms.map((t) => line(t.raw, explainTerm(t, services))),
        ...notes.map((n) =>
          line(`; ${n}`, 'How the include was flattened (comment, not part of the record).')
        )
      ],
      {
        name: input.domain,
        record: flatRecord,
        text: `${owner} 3600 IN TXT ${quoteTxt(splitTxt(flatRecord))}`,
        warnings: flatWarnings
      }
    )
  }

  return { record, snippet: spfSnippet, lookups: { direct, estimated, live, liveError }, flattened, warnings }
}
