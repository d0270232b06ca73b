import ipaddr from 'ipaddr.js'
import type { CheckState, Finding } from '../../../shared/schemas/common'
import type { SpfNode, SpfReport, SpfTerm } from '../../../shared/schemas/domain'
import type { DnsAnswer, DnsClient, MxRecord } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'
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
  /** English wording of `errorText`. */
  error?: string
  errorText?: Text
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
  const t = parseTerm(term)
  if (t.errorText) t.error = renderText('en', t.errorText)
  return t
}

const termError = (code: string, params?: Record<string, string | undefined>): Text =>
  text(`checks:spfTerm.${code}`, params)

function parseTerm(term: string): ParsedTerm {
  const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term)
  if (mod) {
    const name = mod[1].toLowerCase()
    const value = mod[2]
    const t: ParsedTerm = { term, kind: 'modifier', name, value }
    if ((name === 'redirect' || name === 'exp') && !validDomainSpec(value))
      t.errorText = termError('needsDomain', { name: `${name}=` })
    return t
  }
  const m = /^([+\-~?]?)([a-z0-9]+)(?::([^/]*))?(\/\/?\d+(?:\/\/\d+)?)?$/i.exec(term)
  if (!m) return { term, kind: 'unknown', name: term, errorText: termError('invalid', { term }) }
  const qualifier = (m[1] || '+') as ParsedTerm['qualifier']
  const name = m[2].toLowerCase()
  const value = m[3]
  const cidr = m[4]
  const t: ParsedTerm = { term, kind: 'mechanism', name, qualifier, value, cidr }
  if (!MECHANISMS.includes(name)) {
    t.kind = 'unknown'
    t.errorText = termError('unknownMechanism', { name })
    return t
  }
  if (term.includes(':') && value === '') t.errorText = termError('emptyValue', { name })
  switch (name) {
    case 'all':
      if (value !== undefined || cidr) t.errorText = termError('allNoValue')
      break
    case 'include':
    case 'exists':
      if (!value || !validDomainSpec(value)) t.errorText = termError('needsDomain', { name })
      if (cidr) t.errorText = termError('noCidr', { name })
      break
    case 'ptr':
      if (cidr) t.errorText = termError('noCidr', { name })
      if (value !== undefined && !validDomainSpec(value)) t.errorText = termError('ptrDomain')
      break
    case 'a':
    case 'mx': {
      if (value !== undefined && value !== '' && !validDomainSpec(value))
        t.errorText = termError('invalidDomain', { name, value })
      const c = /^(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(cidr ?? '')
      if (!c || (c[1] && Number(c[1]) > 32) || (c[2] && Number(c[2]) > 128))
        t.errorText = termError('invalidCidrLength', { name, cidr })
      break
    }
    case 'ip4':
    case 'ip6': {
      const v = value ?? ''
      const ok =
        name === 'ip4' ? ipaddr.IPv4.isValidFourPartDecimal(v) : ipaddr.IPv6.isValid(v) && v.includes(':')
      if (!ok) t.errorText = termError(name === 'ip4' ? 'notIp4' : 'notIp6', { name, value: v })
      const len = cidr ? Number(cidr.replace(/^\//, '')) : undefined
      if (cidr && (!/^\/\d+$/.test(cidr) || (len ?? 0) > (name === 'ip4' ? 32 : 128)))
        t.errorText = termError('invalidCidr', { name, cidr })
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

/** A record's problem, as a Text for the reader's language and in English (`error`), as terms carry theirs. */
function nodeError(node: SpfNode, t: Text) {
  node.errorText = t
  node.error = renderText('en', t)
}

/** Fetch and analyse one SPF record and its children. `path` holds the domains above (loop detection). */
async function walk(ctx: Ctx, domain: string, via: SpfNode['via'], path: string[]): Promise<SpfNode> {
  const node: SpfNode = { domain, via, state: 'pass', terms: [], totalLookups: 0, children: [] }
  const txt = await getTxt(ctx.client, domain)
  if (!isDefinitive(txt.answer)) {
    ctx.couldNotCheck = true
    node.state = 'could_not_check'
    nodeError(node, text('checks:spfNode.dns', { status: txt.answer.status }))
    ctx.findings.push(couldNotCheck('spf', text('checks:what.spfRecordOf', { domain }), txt.answer))
    return node
  }
  const spf = txt.texts.filter((t) => /^v=spf1(\s|$)/i.test(t))
  if (spf.length === 0) {
    node.state = 'none'
    nodeError(
      node,
      text(txt.answer.status === 'nxdomain' ? 'checks:spfNode.nxdomain' : 'checks:spfNode.none')
    )
    return node
  }
  if (spf.length > 1) {
    node.state = 'fail'
    nodeError(node, text('checks:spfNode.multiple'))
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
      term.errorText = p.errorText
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
        term.errorText = text('checks:spfTerm.loop', { path: [...path, domain, target].join(' → ') })
        node.state = 'fail'
        ctx.findings.push(
          finding({
            id: 'spf.loop',
            severity: 'error',
            title: text('checks:spf.loop.title'),
            detail: text('checks:spf.loop.detail', { path: [...path, domain, target].join(' → ') }),
            current: record,
            fix: text('checks:spf.loop.fix', { term: p.term, domain })
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
        term.errorText = text('checks:spfTerm.noSpf', { target })
        term.error = renderText('en', term.errorText)
        node.state = 'fail'
        ctx.findings.push(
          finding({
            id: `spf.${p.name}-unresolved`,
            severity: 'error',
            title: text('checks:spf.unresolved.title', { mechanism: p.name }),
            detail: text(
              child.errorText?.code === 'checks:spfNode.nxdomain'
                ? 'checks:spf.unresolved.detailNxdomain'
                : 'checks:spf.unresolved.detail',
              { term: p.term, domain, target }
            ),
            current: record,
            fix: text('checks:spf.unresolved.fix', { term: p.term }),
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
        ctx.findings.push(
          couldNotCheck(
            'spf',
            text('checks:what.spfTerm', { term: p.term, domain }),
            !isDefinitive(a4) ? a4 : a6
          )
        )
      } else if (isVoid(a4) && isVoid(a6)) {
        term.voidLookups = 1
        ctx.voids++
      }
    } else if (p.name === 'exists') {
      const a = await ctx.client.query(target, 'A')
      if (!isDefinitive(a))
        ctx.findings.push(couldNotCheck('spf', text('checks:what.spfTerm', { term: p.term, domain }), a))
      else if (isVoid(a)) {
        term.voidLookups = 1
        ctx.voids++
      }
    } else if (p.name === 'mx') {
      const mx = await ctx.client.query(target, 'MX')
      if (!isDefinitive(mx)) {
        ctx.couldNotCheck = true
        ctx.findings.push(couldNotCheck('spf', text('checks:what.spfTerm', { term: p.term, domain }), mx))
      } else if (isVoid(mx)) {
        term.voidLookups = 1
        ctx.voids++
      } else {
        const names = (mx.records as MxRecord[]).filter((r) => r.exchange && r.exchange !== '.')
        term.addressNames = names.length
        if (names.length > 10) {
          term.errorText = text('checks:spfTerm.mxTooMany', { count: names.length })
          term.error = renderText('en', term.errorText)
          node.state = 'fail'
          ctx.findings.push(
            finding({
              id: 'spf.mx-too-many',
              severity: 'error',
              title: text('checks:spf.mxTooMany.title'),
              detail: text('checks:spf.mxTooMany.detail', { term: p.term, domain, count: names.length }),
              current: record,
              fix: text('checks:spf.mxTooMany.fix')
            })
          )
        }
      }
    } else if (p.name === 'ptr') {
      ctx.findings.push(
        finding({
          id: 'spf.ptr-deprecated',
          severity: 'warning',
          title: text('checks:spf.ptr.title'),
          detail: text('checks:spf.ptr.detail', { term: p.term, domain }),
          current: record,
          fix: text('checks:spf.ptr.fix'),
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
    findings.push(couldNotCheck('spf', text('checks:what.spfRecord'), txt.answer))
    return { report, findings }
  }
  const idx = txt.texts.map((t, i) => (/^v=spf1(\s|$)/i.test(t) ? i : -1)).filter((i) => i >= 0)
  report.records = idx.map((i) => txt.texts[i])
  if (idx.length === 0) {
    findings.push(
      finding({
        id: 'spf.missing',
        severity: 'error',
        title: text('checks:spf.missing.title'),
        detail: text('checks:spf.missing.detail', { domain }),
        fix: text('checks:spf.missing.fix'),
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
        title: text('checks:spf.multiple.title'),
        detail: text('checks:spf.multiple.detail', { domain, count: idx.length }),
        current: report.records.join('\n'),
        fix: text('checks:spf.multiple.fix'),
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
        title: text('checks:spf.stringTooLong.title'),
        detail: text('checks:spf.stringTooLong.detail'),
        current: record,
        fix: text('checks:spf.stringTooLong.fix'),
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
            title: text('checks:spf.splitJoined.title'),
            detail: text('checks:spf.splitJoined.detail', { joined }),
            current: rawStrings.map((s) => `"${s}"`).join(' '),
            fix: text('checks:spf.splitJoined.fix'),
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
        title: text('checks:spf.tooLarge.title'),
        detail: text('checks:spf.tooLarge.detail', { domain, size }),
        current: record,
        fix: text('checks:spf.tooLarge.fix')
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
        x.errorText?.code !== 'checks:spfTerm.noSpf' &&
        x.errorText?.code !== 'checks:spfTerm.mxTooMany'
    )) {
      findings.push(
        finding({
          id: `spf.syntax:${t.term}`,
          severity: 'error',
          title: text('checks:spf.syntax.title'),
          detail: text('checks:spf.syntax.detail', { term: t.term, error: t.errorText ?? t.error ?? '' }),
          current: record,
          fix: text('checks:spf.syntax.fix', { term: t.term }),
          fixRecord: ['v=spf1', ...terms.filter((x) => x !== t.term)].join(' ')
        })
      )
    }
    for (const t of tree.terms.filter((x) => x.error && x.kind === 'modifier')) {
      findings.push(
        finding({
          id: `spf.syntax:${t.term}`,
          severity: 'error',
          title: text('checks:spf.modifier.title'),
          detail: text('checks:spf.modifier.detail', { term: t.term, error: t.errorText ?? t.error ?? '' }),
          current: record,
          fix: text('checks:spf.syntax.fix', { term: t.term })
        })
      )
    }
    if (ctx.lookups > LOOKUP_LIMIT) {
      report.state = 'fail'
      findings.push(
        finding({
          id: 'spf.lookups-exceeded',
          severity: 'error',
          title: text('checks:spf.lookups.title', { count: ctx.lookups, limit: LOOKUP_LIMIT }),
          detail: text('checks:spf.lookups.detail', { terms: ctx.pastLimit.join(', ') }),
          current: record,
          fix: text('checks:spf.lookups.fix')
        })
      )
    }
    if (ctx.voids > VOID_LIMIT) {
      report.state = 'fail'
      findings.push(
        finding({
          id: 'spf.void-lookups-exceeded',
          severity: 'error',
          title: text('checks:spf.voids.title', { count: ctx.voids, limit: VOID_LIMIT }),
          detail: text('checks:spf.voids.detail'),
          current: record,
          fix: text('checks:spf.voids.fix')
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
          title: text('checks:spf.allPass.title'),
          detail: text('checks:spf.allPass.detail'),
          current: record,
          fix: text('checks:spf.allPass.fix'),
          fixRecord: withAll(terms, '~all')
        })
      )
    } else if (all?.qualifier === '?') {
      findings.push(
        finding({
          id: 'spf.all-neutral',
          severity: 'warning',
          title: text('checks:spf.allNeutral.title'),
          detail: text('checks:spf.allNeutral.detail'),
          current: record,
          fix: text('checks:spf.allNeutral.fix'),
          fixRecord: withAll(terms, '~all')
        })
      )
    } else if (!all && !redirect) {
      findings.push(
        finding({
          id: 'spf.no-all',
          severity: 'warning',
          title: text('checks:spf.noAll.title'),
          detail: text('checks:spf.noAll.detail'),
          current: record,
          fix: text('checks:spf.noAll.fix'),
          fixRecord: withAll(terms, '~all')
        })
      )
    }
    if (all && redirect) {
      findings.push(
        finding({
          id: 'spf.redirect-ignored',
          severity: 'warning',
          title: text('checks:spf.redirectIgnored.title'),
          detail: text('checks:spf.redirectIgnored.detail'),
          current: record,
          fix: text('checks:spf.redirectIgnored.fix', { term: redirect.term })
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
          title: text('checks:spf.ok.title', {
            lookups: ctx.lookups,
            limit: LOOKUP_LIMIT,
            voids: ctx.voids,
            voidLimit: VOID_LIMIT
          }),
          detail: text('checks:record', { record }),
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
        title: text('checks:spf.ipResult.title', { ip, result: ev.result, domain }),
        detail: [
          // The result in our words (auth:spf.result.*, RFC 7208 §2.6); mailauth's comment is English prose.
          text(
            `auth:spf.result.${['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'].includes(ev.result) ? ev.result : 'other'}`,
            { ip, domain, result: ev.result }
          ),
          ...(ev.path.length ? [text('checks:spf.ipResult.path', { path: ev.path.join(' ; ') })] : [])
        ],
        current: record,
        fix:
          ev.result === 'temperror'
            ? text('checks:spf.ipResult.fixTemperror')
            : text('checks:spf.ipResult.fix', { ip }),
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
