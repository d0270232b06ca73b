import type { Finding } from '../../../shared/schemas/common'
import type {
  BimiReport,
  DmarcReport,
  MtaStsPolicy,
  MtaStsReport,
  TlsRptReport
} from '../../../shared/schemas/domain'
import type { DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'
import type { FetchPolicy } from './fetch-policy'
import { text, type Text } from '../../../shared/text'
import { joinTexts } from '../text/finding'
import { renderText } from '../text/render'
import { couldNotCheck, finding, getTxt, parseTags } from './util'

/** RFC 8461 §3.2: max_age up to 31557600 s; shorter than a day defeats the TOFU cache, so warn. */
const MAX_AGE_MAX = 31557600
const MAX_AGE_MIN_ADVISED = 86400

export function parseStsPolicy(raw: string): { policy: MtaStsPolicy; errors: string[]; errorTexts: Text[] } {
  const policy: MtaStsPolicy = { mx: [], raw }
  const errorTexts: Text[] = []
  const err = (code: string, params?: Record<string, string | number>) =>
    errorTexts.push(text(`checks:stsPolicy.${code}`, params))
  for (const line of raw.split(/\r?\n/)) {
    if (!line.trim()) continue
    const m = /^([A-Za-z0-9_]+):[ \t]*(.*?)\s*$/.exec(line)
    if (!m) {
      err('line', { line })
      continue
    }
    const [, key, value] = m
    if (key === 'version') policy.version = value
    else if (key === 'mode') policy.mode = value
    else if (key === 'mx') policy.mx.push(value.toLowerCase())
    else if (key === 'max_age') policy.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : NaN
  }
  if (policy.version !== 'STSv1') err('version')
  if (!['enforce', 'testing', 'none'].includes(policy.mode ?? '')) err('mode', { mode: policy.mode ?? '' })
  if (policy.maxAge === undefined || Number.isNaN(policy.maxAge)) err('maxAgeMissing')
  else if (policy.maxAge > MAX_AGE_MAX) err('maxAgeTooLong', { maxAge: policy.maxAge, limit: MAX_AGE_MAX })
  if (policy.mode !== 'none' && policy.mx.length === 0) err('noMx')
  return { policy, errors: errorTexts.map((t) => renderText('en', t)), errorTexts }
}

/** RFC 8461 §4.1: "*.example.com" matches exactly one extra left-most label. */
export function mxMatches(pattern: string, host: string): boolean {
  const p = pattern.replace(/\.$/, '').toLowerCase()
  const h = host.replace(/\.$/, '').toLowerCase()
  if (p.startsWith('*.')) {
    const rest = p.slice(2)
    const dot = h.indexOf('.')
    return dot > 0 && h.slice(dot + 1) === rest
  }
  return p === h
}

export async function checkMtaSts(input: {
  domain: string
  client: DnsClient
  mxHosts: string[]
  fetchPolicy: FetchPolicy
}): Promise<{ report: MtaStsReport; findings: Finding[] }> {
  const { domain, client } = input
  const findings: Finding[] = []
  const policyUrl = `https://mta-sts.${domain}/.well-known/mta-sts.txt`
  const report: MtaStsReport = { state: 'none', policyUrl, uncoveredMx: [] }
  const txt = await getTxt(client, `_mta-sts.${domain}`)
  if (!isDefinitive(txt.answer)) {
    report.state = 'could_not_check'
    findings.push(couldNotCheck('mta-sts', text('checks:what.mtaSts'), txt.answer))
    return { report, findings }
  }
  const recs = txt.texts.filter((t) => /^v=STSv1\s*(;|$)/.test(t))
  if (recs.length === 0) {
    findings.push(
      finding({
        id: 'mta-sts.missing',
        severity: 'info',
        title: text('checks:mtaSts.missing.title'),
        detail: text('checks:mtaSts.missing.detail'),
        fix: text('checks:mtaSts.missing.fix', { url: policyUrl }),
        fixRecord: `_mta-sts.${domain}. TXT "v=STSv1; id=${new Date().toISOString().slice(0, 10).replace(/-/g, '')}01"`
      })
    )
    return { report, findings }
  }
  report.record = recs[0]
  if (recs.length > 1) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'mta-sts.multiple',
        severity: 'error',
        title: text('checks:mtaSts.multiple.title'),
        detail: text('checks:mtaSts.multiple.detail'),
        current: recs.join('\n'),
        fix: text('checks:mtaSts.multiple.fix')
      })
    )
    return { report, findings }
  }
  const { tags, order } = parseTags(recs[0])
  report.id = tags.id
  if (order[0] !== 'v' || !tags.id || !/^[A-Za-z0-9]{1,32}$/.test(tags.id)) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'mta-sts.record-syntax',
        severity: 'error',
        title: text('checks:mtaSts.recordSyntax.title'),
        detail: text('checks:mtaSts.recordSyntax.detail'),
        current: recs[0],
        fix: text('checks:mtaSts.recordSyntax.fix'),
        fixRecord: `_mta-sts.${domain}. TXT "v=STSv1; id=${new Date().toISOString().slice(0, 10).replace(/-/g, '')}01"`
      })
    )
  }
  let res: { status: number; body: string }
  try {
    res = await input.fetchPolicy(policyUrl)
  } catch (err) {
    report.state = 'fail'
    report.fetchError = (err as Error).message
    findings.push(
      finding({
        id: 'mta-sts.policy-unreachable',
        severity: 'error',
        title: text('checks:mtaSts.unreachable.title'),
        detail: text('checks:mtaSts.unreachable.detail', {
          url: policyUrl,
          error: report.fetchError,
          domain
        }),
        fix: text('checks:mtaSts.unreachable.fix', { url: policyUrl, domain })
      })
    )
    return { report, findings }
  }
  if (res.status !== 200) {
    report.state = 'fail'
    report.fetchError = `HTTP ${res.status}`
    findings.push(
      finding({
        id: 'mta-sts.policy-unreachable',
        severity: 'error',
        title: text('checks:mtaSts.httpStatus.title', { status: res.status }),
        detail: text('checks:mtaSts.httpStatus.detail'),
        fix: text('checks:mtaSts.httpStatus.fix', { url: policyUrl })
      })
    )
    return { report, findings }
  }
  const { policy, errors, errorTexts } = parseStsPolicy(res.body)
  report.policy = policy
  if (errors.length) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'mta-sts.policy-syntax',
        severity: 'error',
        title: text('checks:mtaSts.policySyntax.title'),
        detail: text('checks:mtaSts.policySyntax.detail', { problems: joinTexts(errorTexts) }),
        current: res.body,
        fix: text('checks:mtaSts.policySyntax.fix'),
        fixRecord: [
          'version: STSv1',
          'mode: testing',
          ...(input.mxHosts.length ? input.mxHosts : [`mail.${domain}`]).map((m) => `mx: ${m}`),
          'max_age: 604800'
        ].join('\n')
      })
    )
  } else if (policy.maxAge !== undefined && policy.maxAge < MAX_AGE_MIN_ADVISED && policy.mode !== 'none')
    findings.push(
      finding({
        id: 'mta-sts.max-age-short',
        severity: 'warning',
        title: text('checks:mtaSts.maxAgeShort.title', { maxAge: policy.maxAge }),
        detail: text('checks:mtaSts.maxAgeShort.detail'),
        current: `max_age: ${policy.maxAge}`,
        fix: text('checks:mtaSts.maxAgeShort.fix')
      })
    )
  report.uncoveredMx = input.mxHosts.filter((h) => !policy.mx.some((p) => mxMatches(p, h)))
  if (report.uncoveredMx.length && policy.mode !== 'none') {
    const enforce = policy.mode === 'enforce'
    findings.push(
      finding({
        id: 'mta-sts.mx-not-covered',
        severity: enforce ? 'error' : 'warning',
        title: text('checks:mtaSts.mxNotCovered.title', { hosts: report.uncoveredMx.join(', ') }),
        detail: text(
          enforce ? 'checks:mtaSts.mxNotCovered.detailEnforce' : 'checks:mtaSts.mxNotCovered.detailTesting'
        ),
        current: res.body,
        fix: text('checks:mtaSts.mxNotCovered.fix'),
        fixRecord: [
          'version: STSv1',
          `mode: ${policy.mode}`,
          ...[...new Set([...policy.mx, ...report.uncoveredMx])].map((m) => `mx: ${m}`),
          `max_age: ${policy.maxAge ?? 604800}`
        ].join('\n')
      })
    )
  }
  if (policy.mode === 'testing' && !errors.length)
    findings.push(
      finding({
        id: 'mta-sts.testing',
        severity: 'info',
        title: text('checks:mtaSts.testing.title'),
        detail: text('checks:mtaSts.testing.detail'),
        current: `mode: testing`,
        fix: text('checks:mtaSts.testing.fix')
      })
    )
  report.state = findings.some((f) => f.severity === 'error')
    ? 'fail'
    : policy.mode === 'enforce' && !findings.some((f) => f.severity === 'warning')
      ? 'pass'
      : 'warn'
  return { report, findings }
}

export async function checkTlsRpt(input: {
  domain: string
  client: DnsClient
  mtaStsPresent: boolean
}): Promise<{ report: TlsRptReport; findings: Finding[] }> {
  const { domain, client } = input
  const findings: Finding[] = []
  const report: TlsRptReport = { state: 'none', rua: [] }
  const name = `_smtp._tls.${domain}`
  const txt = await getTxt(client, name)
  if (!isDefinitive(txt.answer)) {
    report.state = 'could_not_check'
    findings.push(couldNotCheck('tls-rpt', text('checks:what.tlsRpt'), txt.answer))
    return { report, findings }
  }
  const recs = txt.texts.filter((t) => /^v=TLSRPTv1\s*(;|$)/.test(t))
  if (recs.length === 0) {
    findings.push(
      finding({
        id: 'tls-rpt.missing',
        severity: input.mtaStsPresent ? 'warning' : 'info',
        title: text('checks:tlsRpt.missing.title'),
        detail: text(
          input.mtaStsPresent ? 'checks:tlsRpt.missing.detailSts' : 'checks:tlsRpt.missing.detail',
          {
            name
          }
        ),
        fixRecord: `${name}. TXT "v=TLSRPTv1; rua=mailto:tls-reports@${domain}"`
      })
    )
    return { report, findings }
  }
  report.record = recs[0]
  const { tags } = parseTags(recs[0])
  const uris = (tags.rua ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
  report.rua = uris
  const bad = uris.filter((u) => !/^mailto:[^@\s]+@[^@\s]+$/i.test(u) && !/^https:\/\/\S+$/i.test(u))
  if (recs.length > 1 || !uris.length || bad.length) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'tls-rpt.syntax',
        severity: 'error',
        title: text('checks:tlsRpt.syntax.title'),
        detail: [
          ...(recs.length > 1 ? [text('checks:tlsRpt.syntax.multiple')] : []),
          ...(!uris.length ? [text('checks:tlsRpt.syntax.noRua')] : []),
          ...(bad.length ? [text('checks:tlsRpt.syntax.badUris', { uris: bad.join(', ') })] : []),
          text('checks:tlsRpt.syntax.detail')
        ],
        current: recs.join('\n'),
        fixRecord: `${name}. TXT "v=TLSRPTv1; rua=mailto:tls-reports@${domain}"`
      })
    )
  } else report.state = 'pass'
  return { report, findings }
}

export async function checkBimi(input: {
  domain: string
  client: DnsClient
  dmarc: DmarcReport
}): Promise<{ report: BimiReport; findings: Finding[] }> {
  const { domain, client, dmarc } = input
  const findings: Finding[] = []
  const pct = dmarc.pct ?? 100
  const enforced =
    (dmarc.effectivePolicy === 'quarantine' || dmarc.effectivePolicy === 'reject') &&
    pct === 100 &&
    dmarc.state !== 'fail'
  const report: BimiReport = { state: 'none', dmarcEnforced: enforced }
  const name = `default._bimi.${domain}`
  const txt = await getTxt(client, name)
  if (!isDefinitive(txt.answer)) {
    report.state = 'could_not_check'
    findings.push(couldNotCheck('bimi', text('checks:what.bimi'), txt.answer))
    return { report, findings }
  }
  const recs = txt.texts.filter((t) => /^v=BIMI1\s*(;|$)/i.test(t))
  if (!recs.length) {
    findings.push(
      finding({
        id: 'bimi.missing',
        severity: 'info',
        title: text('checks:bimi.missing.title'),
        detail: text(enforced ? 'checks:bimi.missing.detailEnforced' : 'checks:bimi.missing.detail')
      })
    )
    return { report, findings }
  }
  report.record = recs[0]
  const { tags } = parseTags(recs[0])
  report.logo = tags.l
  report.authority = tags.a
  const errs: Text[] = []
  if (recs.length > 1) errs.push(text('checks:bimi.tag.multiple'))
  if (tags.l && !/^https:\/\/\S+\.svg$/i.test(tags.l)) errs.push(text('checks:bimi.tag.logo'))
  if (tags.a && !/^https:\/\/\S+$/i.test(tags.a)) errs.push(text('checks:bimi.tag.authority'))
  if (tags.l === undefined) errs.push(text('checks:bimi.tag.noLogo'))
  report.state = errs.length ? 'fail' : enforced ? 'pass' : 'fail'
  if (errs.length)
    findings.push(
      finding({
        id: 'bimi.syntax',
        severity: 'error',
        title: text('checks:bimi.syntax.title'),
        detail: text('checks:bimi.syntax.detail', { problems: joinTexts(errs) }),
        current: recs[0],
        fixRecord: `${name}. TXT "v=BIMI1; l=https://${domain}/bimi/logo.svg; a="`
      })
    )
  if (!enforced)
    findings.push(
      finding({
        id: 'bimi.dmarc-not-enforced',
        severity: 'error',
        title: text('checks:bimi.notEnforced.title'),
        detail: text('checks:bimi.notEnforced.detail', {
          current: dmarc.effectivePolicy
            ? `${dmarc.effectivePolicy}${dmarc.pct !== undefined ? `, pct=${dmarc.pct}` : ''}`
            : text('checks:bimi.notEnforced.noPolicy')
        }),
        current: dmarc.record,
        fix: text('checks:bimi.notEnforced.fix'),
        fixRecord: dmarc.nextStep?.record,
        remedy: 'dmarc-planner'
      })
    )
  if (!tags.a && !errs.length)
    findings.push(
      finding({
        id: 'bimi.no-vmc',
        severity: 'info',
        title: text('checks:bimi.noVmc.title'),
        detail: text('checks:bimi.noVmc.detail'),
        current: recs[0]
      })
    )
  return { report, findings }
}
