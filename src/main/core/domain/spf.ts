import ipaddr from 'ipaddr.js'
import type { CheckState, Finding } from '../../../shared/schemas/common'
import type { SpfNode, SpfReport, SpfTerm } from '../../../shared/schemas/domain'
import type { DnsAnswer, DnsClient, MxRecord } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { couldNotCheck, finding, getTxt } from './util'
import { evaluateSpf } from './spf-evaluate'

/**
 * Static SPF analysis: the whole include/redirect tree with RFC 7208 §4.6.4 lookup and void-lookup counts,
 * like checkdmarc but (a) every include is expanded even past the limit, so the admin sees which ones are
 * over (checkdmarc #172), and (b) a/mx address lookups only count as void when both A and AAAA are empty
 * (checkdmarc #94/#211 over-count single-stack hosts).
 */

export const LOOKUP_LIMIT = 10
export const VOID_LIMIT = 2
/** RFC 7208 §3.4: keep the TXT answer small enough for one UDP datagram; 450 octets leaves room for headers. */
export const SPF_SIZE_GUIDANCE = 450

const MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']
const LOOKUP_TERMS = ['include', 'a', 'mx', 'ptr', 'exists']

export interface ParsedTerm {
  term: string
  kind: 'mechanism' | 'modifier' | 'unknown'
  name: string
  qualifier?: '+' | '-' | '~' | '?'
  value?: string
  cidr?: string
  error?: string
}

function validDomainSpec(d: string): boolean {
  // RFC 7208 §7.1 domain-spec: macro-string with a toplabel unless it ends in a macro.
  if (d.includes('%')) return /^[\x21-\x7e]+$/.test(d)
  return (
    /^([a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$/i.test(d) &&
    /[a-z]/i.test(d.split('.').filter(Boolean).pop() ?? '')
  )
}

export function parseSpfTerm(term: string): ParsedTerm {
  const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term)
  if (mod) {
    const name = mod[1].toLowerCase()
    const value = mod[2]
    const t: ParsedTerm = { term, kind: 'modifier', name, value }
    if ((name === 'redirect' || name === 'exp') && !validDomainSpec(value))
      t.error = `${name}= needs a domain name`
    return t
  }
  const m = /^([+\-~?]?)([a-z0-9]+)(?::([^/]*))?(\/\/?\d+(?:\/\/\d+)?)?$/i.exec(term)
  if (!m) return { term, kind: 'unknown', name: term, error: `"${term}" is not a valid SPF term` }
  const qualifier = (m[1] || '+') as ParsedTerm['qualifier']
  const name = m[2].toLowerCase()
  const value = m[3]
  const cidr = m[4]
  const t: ParsedTerm = { term, kind: 'mechanism', name, qualifier, value, cidr }
  if (!MECHANISMS.includes(name)) {
    t.kind = 'unknown'
    t.error = `unknown mechanism "${name}"`
    return t
  }
  if (term.includes(':') && value === '') t.error = `${name}: has an empty value`
  switch (name) {
    case 'all':
      if (value !== undefined || cidr) t.error = 'all takes no value'
      break
    case 'include':
    case 'exists':
      if (!value || !validDomainSpec(value)) t.error = `${name} needs a domain name`
      if (cidr) t.error = `${name} takes no CIDR length`
      break
    case 'ptr':
      if (cidr) t.error = 'ptr takes no CIDR length'
      if (value !== undefined && !validDomainSpec(value)) t.error = 'ptr: invalid domain'
      break
    case 'a':
    case 'mx': {
      if (value !== undefined && value !== '' && !validDomainSpec(value))
        t.error = `${name}: invalid domain "${value}"`
      const c = /^(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(cidr ?? '')
      if (!c || (c[1] && Number(c[1]) > 32) || (c[2] && Number(c[2]) > 128))
        t.error = `${name}: invalid CIDR length ${cidr}`
      break
    }
    case 'ip4':
    case 'ip6': {
      const v = value ?? ''
      const ok =
        name === 'ip4' ? ipaddr.IPv4.isValidFourPartDecimal(v) : ipaddr.IPv6.isValid(v) && v.includes(':')
      if (!ok) t.error = `${name}: "${v}" is not an IPv${name === 'ip4' ? 4 : 6} address`
      const len = cidr ? Number(cidr.replace(/^\//, '')) : undefined
      if (cidr && (!/^\/\d+$/.test(cidr) || (len ?? 0) > (name === 'ip4' ? 32 : 128)))
        t.error = `${name}: invalid CIDR ${cidr}`
      break
    }
  }
  return t
}

interface Ctx {
  client: DnsClient
  findings: Finding[]
  lookups: number
  voids: number
  /** Term strings in evaluation order that happen after lookup 10 (would be permerror at a receiver). */
  pastLimit: string[]
  couldNotCheck: boolean
}

function isVoid(a: DnsAnswer): boolean {
  return a.status === 'nxdomain' || a.status === 'nodata'
}

function renderTerm(t: ParsedTerm): string {
  return t.term
}

/** Fetch and analyse one SPF record and its children. `path` holds the domains above (loop detection). */
async function walk(ctx: Ctx, domain: string, via: SpfNode['via'], path: string[]): Promise<SpfNode> {
  const node: SpfNode = { domain, via, state: 'pass', terms: [], totalLookups: 0, children: [] }
  const txt = await getTxt(ctx.client, domain)
  if (!isDefinitive(txt.answer)) {
    ctx.couldNotCheck = true
    node.state = 'could_not_check'
    node.error = `DNS ${txt.answer.status}`
    ctx.findings.push(couldNotCheck('spf', `the SPF record of ${domain}`, txt.answer))
    return node
  }
  const spf = txt.texts.filter((t) => /^v=spf1(\s|$)/i.test(t))
  if (spf.length === 0) {
    node.state = 'none'
    node.error = txt.answer.status === 'nxdomain' ? 'domain does not exist' : 'no SPF record'
    return node
  }
  if (spf.length > 1) {
    node.state = 'fail'
    node.error = 'multiple SPF records (permerror, RFC 7208 §4.5)'
    node.record = spf[0]
    return node
  }
  const record = spf[0]
  node.record = record
  const terms = record.trim().split(/ +/).slice(1)
  const parsed = terms.map(parseSpfTerm)
  const hasAll = parsed.some((p) => p.kind === 'mechanism' && p.name === 'all')
  for (const p of parsed) {
    const term: SpfTerm = {
      term: renderTerm(p),
      kind: p.kind,
      name: p.name,
      lookups: 0,
      voidLookups: 0
    }
    if (p.qualifier) term.qualifier = p.qualifier
    if (p.value !== undefined) term.value = p.value
    if (p.error) {
      term.error = p.error
      node.state = 'fail'
    }
    node.terms.push(term)
    if (p.error) continue
    const costs =
      (p.kind === 'mechanism' && LOOKUP_TERMS.includes(p.name)) ||
      (p.kind === 'modifier' && p.name === 'redirect' && !hasAll)
    if (!costs) continue
    term.lookups = 1
    ctx.lookups++
    if (ctx.lookups > LOOKUP_LIMIT) ctx.pastLimit.push(`${domain}: ${p.term}`)
    const target = (p.value || domain).replace(/\.$/, '').toLowerCase()
    if (target.includes('%')) continue // macro: depends on the sender, cannot be resolved statically
    if (p.name === 'include' || p.name === 'redirect') {
      if (path.includes(target) || target === domain) {
        term.error = `loop: ${[...path, domain, target].join(' → ')}`
        node.state = 'fail'
        ctx.findings.push(
          finding({
            id: 'spf.loop',
            severity: 'error',
            title: 'SPF include/redirect loop',
            detail: `${[...path, domain, target].join(' → ')} points back to a record already being evaluated; receivers stop with permerror (RFC 7208 §4.6.4 limits exist to end such loops).`,
            current: record,
            fix: `Remove ${p.term} from the SPF record of ${domain}.`
          })
        )
        continue
      }
      if (ctx.lookups > 40) continue // runaway trees: stop expanding, the count is already far over
      const child = await walk(ctx, target, p.name === 'include' ? 'include' : 'redirect', [...path, domain])
      node.children.push(child)
      if (child.state === 'none') {
        term.voidLookups = 1
        ctx.voids++
        term.error = `${target} has no SPF record`
        node.state = 'fail'
        ctx.findings.push(
          finding({
            id: `spf.${p.name}-unresolved`,
            severity: 'error',
            title: `SPF ${p.name} target has no SPF record`,
            detail: `${p.term} in ${domain}'s record points at ${target}, which ${child.error}. RFC 7208 §5.2/§6.1 make that a permerror, so every message fails SPF evaluation.`,
            current: record,
            fix: `Fix or remove ${p.term}.`,
            fixRecord: terms.filter((t) => t !== p.term).length
              ? ['v=spf1', ...terms.filter((t) => t !== p.term)].join(' ')
              : undefined
          })
        )
      } else if (child.state === 'fail') node.state = node.state === 'could_not_check' ? node.state : 'fail'
      else if (child.state === 'could_not_check') node.state = 'could_not_check'
      continue
    }
    if (p.name === 'a') {
      const [a4, a6] = await Promise.all([ctx.client.query(target, 'A'), ctx.client.query(target, 'AAAA')])
      if (!isDefinitive(a4) || !isDefinitive(a6)) {
        ctx.couldNotCheck = true
        ctx.findings.push(couldNotCheck('spf', `${p.term} in ${domain}`, !isDefinitive(a4) ? a4 : a6))
      } else if (isVoid(a4) && isVoid(a6)) {
        term.voidLookups = 1
        ctx.voids++
      }
    } else if (p.name === 'exists') {
      const a = await ctx.client.query(target, 'A')
      if (!isDefinitive(a)) ctx.findings.push(couldNotCheck('spf', `${p.term} in ${domain}`, a))
      else if (isVoid(a)) {
        term.voidLookups = 1
        ctx.voids++
      }
    } else if (p.name === 'mx') {
      const mx = await ctx.client.query(target, 'MX')
      if (!isDefinitive(mx)) {
        ctx.couldNotCheck = true
        ctx.findings.push(couldNotCheck('spf', `${p.term} in ${domain}`, mx))
      } else if (isVoid(mx)) {
        term.voidLookups = 1
        ctx.voids++
      } else {
        const names = (mx.records as MxRecord[]).filter((r) => r.exchange && r.exchange !== '.')
        term.addressNames = names.length
        if (names.length > 10) {
          term.error = `${names.length} MX hosts; at most 10 may be looked up`
          node.state = 'fail'
          ctx.findings.push(
            finding({
              id: 'spf.mx-too-many',
              severity: 'error',
              title: 'SPF mx mechanism expands to more than 10 hosts',
              detail: `${p.term} in ${domain}'s record resolves to ${names.length} MX hosts; RFC 7208 §4.6.4 allows at most 10 address lookups per mx, so receivers return permerror.`,
              current: record,
              fix: 'Replace mx with ip4:/ip6: ranges of the servers that really send mail.'
            })
          )
        }
      }
    } else if (p.name === 'ptr') {
      ctx.findings.push(
        finding({
          id: 'spf.ptr-deprecated',
          severity: 'warning',
          title: 'SPF uses the deprecated ptr mechanism',
          detail: `${domain}'s record contains ${p.term}. RFC 7208 §5.5: "ptr" SHOULD NOT be published; it is slow, unreliable and some receivers (e.g. large mailbox providers) ignore it, so mail may fail SPF.`,
          current: record,
          fix: 'Replace ptr with ip4:/ip6: ranges or a:/include: of the sending hosts.',
          fixRecord: ['v=spf1', ...terms.filter((t) => t !== p.term)].join(' ')
        })
      )
    }
  }
  node.totalLookups =
    node.terms.reduce((s, t) => s + t.lookups, 0) + node.children.reduce((s, c) => s + c.totalLookups, 0)
  return node
}

function withAll(terms: string[], all: string): string {
  const rest = terms.filter((t) => !/^[+\-~?]?all$/i.test(t) && !/^redirect=/i.test(t))
  return ['v=spf1', ...rest, all].join(' ')
}

export interface SpfCheckInput {
  domain: string
  client: DnsClient
  ips?: string[]
}

export async function checkSpf(input: SpfCheckInput): Promise<{ report: SpfReport; findings: Finding[] }> {
  const { domain, client } = input
  const findings: Finding[] = []
  const report: SpfReport = {
    state: 'none',
    records: [],
    lookupCount: 0,
    voidLookupCount: 0,
    evaluations: []
  }
  const txt = await getTxt(client, domain)
  if (!isDefinitive(txt.answer)) {
    report.state = 'could_not_check'
    findings.push(couldNotCheck('spf', 'the SPF record', txt.answer))
    return { report, findings }
  }
  const idx = txt.texts.map((t, i) => (/^v=spf1(\s|$)/i.test(t) ? i : -1)).filter((i) => i >= 0)
  report.records = idx.map((i) => txt.texts[i])
  if (idx.length === 0) {
    findings.push(
      finding({
        id: 'spf.missing',
        severity: 'error',
        title: 'No SPF record',
        detail: `${domain} publishes no v=spf1 TXT record, so receivers get SPF "none" (RFC 7208 §4.5) and many (Gmail, Microsoft, Yahoo) reject or junk unauthenticated bulk mail.`,
        fix: 'Publish one TXT record listing the servers and services that send for this domain.',
        fixRecord: `${domain}. TXT "v=spf1 mx ~all"`
      })
    )
    return { report, findings }
  }
  if (idx.length > 1) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'spf.multiple',
        severity: 'error',
        title: 'More than one SPF record',
        detail: `${domain} has ${idx.length} TXT records starting with v=spf1. RFC 7208 §4.5: that is a permerror, so SPF fails for every message.`,
        current: report.records.join('\n'),
        fix: 'Merge them into one record and delete the others.',
        fixRecord: mergeRecords(report.records)
      })
    )
  }
  const rawStrings = txt.raw[idx[0]]
  const record = report.records[0]
  report.record = record
  // RFC 7208 §3.3: one RR may hold several character-strings, each at most 255 octets, joined without spaces.
  if (rawStrings.some((s) => Buffer.byteLength(s) > 255)) {
    findings.push(
      finding({
        id: 'spf.string-too-long',
        severity: 'error',
        title: 'SPF TXT string longer than 255 characters',
        detail:
          'A single DNS character-string holds at most 255 octets (RFC 1035 §3.3, RFC 7208 §3.3); longer text must be split into several quoted strings in the same record, or the DNS provider truncates or rejects it.',
        current: record,
        fix: 'Split the record into quoted strings of at most 255 characters each ("part 1" "part 2").',
        fixRecord: splitQuoted(record)
      })
    )
  }
  for (let i = 0; i + 1 < rawStrings.length; i++) {
    const a = rawStrings[i]
    const b = rawStrings[i + 1]
    if (a && b && !/\s$/.test(a) && !/^\s/.test(b)) {
      const joined = (a.split(' ').pop() ?? '') + (b.split(' ')[0] ?? '')
      if (parseSpfTerm(joined).error) {
        findings.push(
          finding({
            id: 'spf.split-joined',
            severity: 'error',
            title: 'SPF strings are joined without a space',
            detail: `The record is split into several strings; they are concatenated with no separator (RFC 7208 §3.3), producing "${joined}".`,
            current: rawStrings.map((s) => `"${s}"`).join(' '),
            fix: 'End each string with a space (or start the next one with one).',
            fixRecord: splitQuoted(rawStrings.join(' ').replace(/ +/g, ' '))
          })
        )
      }
    }
  }
  // Approximate answer size: header + question + one RR per TXT record (RFC 1035 §4.1).
  const size =
    12 +
    domain.length +
    6 +
    txt.raw.reduce((s, r) => s + 12 + r.reduce((x, str) => x + 1 + Buffer.byteLength(str), 0), 0)
  if (size > SPF_SIZE_GUIDANCE) {
    findings.push(
      finding({
        id: 'spf.record-too-large',
        severity: 'warning',
        title: 'TXT answer too large for a plain UDP DNS reply',
        detail: `The TXT answer for ${domain} is about ${size} bytes. RFC 7208 §3.4 advises keeping it under ~450 octets so it fits a 512-byte UDP reply; larger answers need TCP or EDNS and some receivers' resolvers fail them (temperror).`,
        current: record,
        fix: 'Move ranges into an include: on a subdomain, or remove TXT records that are no longer needed at the apex.'
      })
    )
  }

  const ctx: Ctx = { client, findings, lookups: 0, voids: 0, pastLimit: [], couldNotCheck: false }
  if (idx.length === 1) {
    const tree = await walk(ctx, domain, 'root', [])
    report.tree = tree
    report.lookupCount = ctx.lookups
    report.voidLookupCount = ctx.voids
    report.state = tree.state
    const terms = record.trim().split(/ +/).slice(1)
    for (const t of tree.terms.filter(
      (x) =>
        x.error &&
        x.kind !== 'modifier' &&
        !x.error.startsWith('loop') &&
        !x.error.includes('has no SPF') &&
        !x.error.includes('MX hosts')
    )) {
      findings.push(
        finding({
          id: `spf.syntax:${t.term}`,
          severity: 'error',
          title: 'SPF syntax error',
          detail: `${t.term}: ${t.error}. Receivers return permerror for the whole record (RFC 7208 §4.6).`,
          current: record,
          fix: `Correct or remove ${t.term}.`,
          fixRecord: ['v=spf1', ...terms.filter((x) => x !== t.term)].join(' ')
        })
      )
    }
    for (const t of tree.terms.filter((x) => x.error && x.kind === 'modifier')) {
      findings.push(
        finding({
          id: `spf.syntax:${t.term}`,
          severity: 'error',
          title: 'SPF modifier error',
          detail: `${t.term}: ${t.error} (RFC 7208 §6).`,
          current: record,
          fix: `Correct or remove ${t.term}.`
        })
      )
    }
    if (ctx.lookups > LOOKUP_LIMIT) {
      report.state = 'fail'
      findings.push(
        finding({
          id: 'spf.lookups-exceeded',
          severity: 'error',
          title: `SPF needs ${ctx.lookups} DNS lookups (limit ${LOOKUP_LIMIT})`,
          detail: `RFC 7208 §4.6.4 allows 10 terms that cause DNS lookups (include, a, mx, ptr, exists, redirect) across the whole tree; receivers return permerror beyond that. Terms past the limit: ${ctx.pastLimit.join(', ')}.`,
          current: record,
          fix: 'Remove includes of services you no longer use, replace a/mx with ip4:/ip6:, or move rarely-used senders to a subdomain.'
        })
      )
    }
    if (ctx.voids > VOID_LIMIT) {
      report.state = 'fail'
      findings.push(
        finding({
          id: 'spf.void-lookups-exceeded',
          severity: 'error',
          title: `SPF has ${ctx.voids} void lookups (limit ${VOID_LIMIT})`,
          detail:
            'RFC 7208 §4.6.4: more than two lookups that return NXDOMAIN or no records SHOULD produce permerror. Mechanisms that point at names without records are also dead weight.',
          current: record,
          fix: 'Remove mechanisms whose targets no longer exist.'
        })
      )
    }
    const all = tree.terms.find((t) => t.kind === 'mechanism' && t.name === 'all')
    const redirect = tree.terms.find((t) => t.kind === 'modifier' && t.name === 'redirect')
    if (all?.qualifier === '+') {
      findings.push(
        finding({
          id: 'spf.all-pass',
          severity: 'critical',
          title: 'SPF allows the whole Internet (+all)',
          detail:
            'With +all every IP address passes SPF for this domain (RFC 7208 §5.1), so SPF protects nothing and spammers can use it to pass DMARC SPF alignment.',
          current: record,
          fix: 'End the record with ~all (or -all once all senders are listed).',
          fixRecord: withAll(terms, '~all')
        })
      )
    } else if (all?.qualifier === '?') {
      findings.push(
        finding({
          id: 'spf.all-neutral',
          severity: 'warning',
          title: 'SPF ends with ?all (neutral)',
          detail:
            '?all says nothing about unlisted senders (RFC 7208 §8.2); receivers treat it like no policy.',
          current: record,
          fix: 'Use ~all, then -all once reports show all legitimate senders are listed.',
          fixRecord: withAll(terms, '~all')
        })
      )
    } else if (!all && !redirect) {
      findings.push(
        finding({
          id: 'spf.no-all',
          severity: 'warning',
          title: 'SPF record has no "all" mechanism',
          detail:
            'Without all or redirect=, unmatched senders get the default result "neutral" (RFC 7208 §4.7), which gives no protection.',
          current: record,
          fix: 'End the record with ~all or -all.',
          fixRecord: withAll(terms, '~all')
        })
      )
    }
    if (all && redirect) {
      findings.push(
        finding({
          id: 'spf.redirect-ignored',
          severity: 'warning',
          title: 'redirect= is ignored because the record has "all"',
          detail: 'RFC 7208 §6.1: redirect is only used when no mechanism matches, and "all" always matches.',
          current: record,
          fix: `Remove ${redirect.term} or the all mechanism.`
        })
      )
    }
    if (report.state === 'pass' && ctx.couldNotCheck) report.state = 'could_not_check'
    if (
      report.state === 'pass' &&
      findings.filter((f) => f.severity === 'error' || f.severity === 'critical').length === 0
    )
      findings.push(
        finding({
          id: 'spf.ok',
          severity: 'ok',
          title: `SPF record valid (${ctx.lookups}/${LOOKUP_LIMIT} lookups, ${ctx.voids}/${VOID_LIMIT} void)`,
          detail: record,
          current: record
        })
      )
  }

  for (const ip of input.ips ?? []) {
    const ev = await evaluateSpf({ domain, ip, client })
    report.evaluations.push(ev)
    if (ev.result === 'pass') continue
    const v6 = ip.includes(':')
    const terms = record.trim().split(/ +/).slice(1)
    const allIdx = terms.findIndex((t) => /^[+\-~?]?all$/i.test(t) || /^redirect=/i.test(t))
    const withIp = [...terms]
    withIp.splice(allIdx < 0 ? withIp.length : allIdx, 0, `${v6 ? 'ip6' : 'ip4'}:${ip}`)
    findings.push(
      finding({
        id: `spf.ip-not-permitted:${ip}`,
        severity: ev.result === 'temperror' ? 'warning' : 'error',
        title: `${ip} gets SPF ${ev.result} for ${domain}`,
        detail: `${ev.comment}${ev.path.length ? ` Decided by: ${ev.path.join(' ; ')}.` : ''}`,
        current: record,
        fix:
          ev.result === 'temperror'
            ? 'DNS failed during evaluation; re-check.'
            : `If ${ip} is a legitimate sender, authorise it (or include its provider's SPF record).`,
        fixRecord: ev.result === 'temperror' ? undefined : ['v=spf1', ...withIp].join(' ')
      })
    )
  }
  return { report, findings }
}

function mergeRecords(records: string[]): string {
  const terms: string[] = []
  let all: string | undefined
  for (const r of records)
    for (const t of r.trim().split(/ +/).slice(1)) {
      if (/^[+\-~?]?all$/i.test(t)) all = all ?? t
      else if (!terms.includes(t)) terms.push(t)
    }
  return ['v=spf1', ...terms, all ?? '~all'].join(' ')
}

function splitQuoted(text: string): string {
  const parts: string[] = []
  for (let i = 0; i < text.length; i += 255) parts.push(text.slice(i, i + 255))
  return parts.map((p) => `"${p}"`).join(' ')
}

export function spfState(r: SpfReport): CheckState {
  return r.state
}
