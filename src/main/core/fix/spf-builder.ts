import ipaddr from 'ipaddr.js'
import catalogue from '../../../../resources/spf-services.json'
import { SpfService, type SpfBuildResult } from '../../../shared/schemas/fix'
import { z } from 'zod'
import { text, type Text } from '../../../shared/text'
import { line, quoteTxt, snippet, splitTxt, warningsOf, type Say } from './snippet'
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

function ipTerm(value: string): { term?: string; error?: Text } {
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
    return { error: text('fixgen:spf.warn.notIp', { value }) }
  }
}

function explainTerm(t: SpfTerm, services: SpfService[]): Text {
  const svc = services.find((s) =>
    s.mechanisms.some((m) => m.toLowerCase() === t.raw.toLowerCase().replace(/^\+/, ''))
  )
  const target = t.value ?? null
  switch (t.name) {
    case 'ip4':
    case 'ip6':
      return text('fixgen:spf.term.ip', { value: t.value })
    case 'include':
      return svc
        ? text(
            svc.verified === 'vendor-docs' ? 'fixgen:spf.term.service' : 'fixgen:spf.term.serviceUnverified',
            {
              service: svc.name,
              value: t.value,
              count: svc.typicalLookups
            }
          )
        : text('fixgen:spf.term.include', { value: t.value })
    case 'a':
      return target ? text('fixgen:spf.term.a', { value: target }) : text('fixgen:spf.term.aSelf')
    case 'mx':
      return target ? text('fixgen:spf.term.mx', { value: target }) : text('fixgen:spf.term.mxSelf')
    case 'ptr':
      return text('fixgen:spf.term.ptr')
    case 'exists':
      return text('fixgen:spf.term.exists', { value: t.value })
    case 'all':
      return t.qualifier === '-'
        ? text('fixgen:spf.term.allFail')
        : t.qualifier === '~'
          ? text('fixgen:spf.term.allSoftfail')
          : text(t.qualifier === '?' ? 'fixgen:spf.term.allNeutral' : 'fixgen:spf.term.allPass', {
              term: t.raw
            })
    case 'redirect':
      return text('fixgen:spf.term.redirect', { value: t.value })
    default:
      return text('fixgen:spf.term.modifier', { name: t.name })
  }
}

export async function buildSpf(input: BuildSpfInput): Promise<SpfBuildResult> {
  const warnings: Say[] = []
  const services: SpfService[] = []
  const serviceTerms: string[] = []
  for (const id of input.services) {
    const svc = findSpfService(id)
    if (!svc) {
      warnings.push(text('fixgen:spf.warn.unknownService', { id }))
      continue
    }
    services.push(svc)
    const override = input.serviceOverrides?.[id]
    if (svc.accountSpecific && !override?.length) {
      warnings.push(text('fixgen:spf.warn.accountSpecific', { service: svc.name }))
      continue
    }
    for (const m of override?.length ? override : svc.mechanisms) serviceTerms.push(m)
    // The catalogue's note is data (resources/spf-services.json, in English), quoted as it is.
    if (svc.notes) warnings.push(text('fixgen:spf.warn.serviceNote', { service: svc.name, note: svc.notes }))
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
  warnings.push(...parsed.errorTexts)
  if (parsed.terms.some((t) => t.name === 'ptr')) warnings.push(text('fixgen:spf.warn.ptr'))
  if (parsed.terms.some((t) => t.name === 'all' && t.qualifier === '+'))
    warnings.push(text('fixgen:spf.warn.plusAll'))
  if (parsed.terms.filter((t) => t.name === 'all').length > 1) warnings.push(text('fixgen:spf.warn.twoAll'))

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
      warnings.push(text('fixgen:spf.warn.liveFailed', { error: liveError }))
    }
  }
  const effective = live ?? estimated
  if (effective > LIMIT) warnings.push(text('fixgen:spf.warn.tooManyLookups', { count: effective }))

  const strings = splitTxt(record)
  if (record.length > UDP_SAFE) warnings.push(text('fixgen:spf.warn.tooLong', { length: record.length }))
  const owner = input.domain ? `${input.domain.replace(/\.$/, '')}.` : '@'
  const spfSnippet = snippet(
    'spf-record',
    input.domain ? text('fixgen:spf.titleFor', { domain: input.domain }) : text('fixgen:spf.title'),
    'dns-txt',
    [
      line('v=spf1', text('fixgen:spf.term.version')),
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
    const flatWarnings: Text[] = [text('fixgen:spf.flat.stale'), text('fixgen:spf.flat.prefer')]
    if (flatRecord.length > UDP_SAFE)
      flatWarnings.push(
        text('fixgen:spf.flat.tooLong', { length: flatRecord.length, domain: input.domain ?? 'example.com' })
      )
    flattened = snippet(
      'spf-record-flattened',
      text('fixgen:spf.flat.title'),
      'dns-txt',
      [
        line('v=spf1', text('fixgen:spf.flat.version')),
        ...flatParsed.terms.map((t) => line(t.raw, explainTerm(t, services))),
        ...notes.map((n) => line(`; ${n}`, text('fixgen:spf.flat.note')))
      ],
      {
        name: input.domain,
        record: flatRecord,
        text: `${owner} 3600 IN TXT ${quoteTxt(splitTxt(flatRecord))}`,
        warnings: flatWarnings
      }
    )
  }

  return {
    record,
    snippet: spfSnippet,
    lookups: { direct, estimated, live, liveError },
    flattened,
    ...warningsOf(warnings)
  }
}
