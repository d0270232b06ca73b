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
import { couldNotCheck, finding, getTxt, parseTags } from './util'

/** RFC 8461 §3.2: max_age up to 31557600 s; shorter than a day defeats the TOFU cache, so warn. */
const MAX_AGE_MAX = 31557600
const MAX_AGE_MIN_ADVISED = 86400

export function parseStsPolicy(raw: string): { policy: MtaStsPolicy; errors: string[] } {
  const policy: MtaStsPolicy = { mx: [], raw }
  const errors: string[] = []
  for (const line of raw.split(/\r?\n/)) {
    if (!line.trim()) continue
    const m = /^([A-Za-z0-9_]+):[ \t]*(.*?)\s*$/.exec(line)
    if (!m) {
      errors.push(`unparseable line "${line}"`)
      continue
    }
    const [, key, value] = m
    if (key === 'version') policy.version = value
    else if (key === 'mode') policy.mode = value
    else if (key === 'mx') policy.mx.push(value.toLowerCase())
    else if (key === 'max_age') policy.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : NaN
  }
  if (policy.version !== 'STSv1') errors.push('version must be STSv1')
  if (!['enforce', 'testing', 'none'].includes(policy.mode ?? ''))
    errors.push(`mode "${policy.mode ?? ''}" must be enforce, testing or none`)
  if (policy.maxAge === undefined || Number.isNaN(policy.maxAge))
    errors.push('max_age is missing or not a number')
  else if (policy.maxAge > MAX_AGE_MAX) errors.push(`max_age ${policy.maxAge} exceeds ${MAX_AGE_MAX}`)
  if (policy.mode !== 'none' && policy.mx.length === 0) errors.push('no mx: patterns')
  return { policy, errors }
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
    findings.push(couldNotCheck('mta-sts', 'MTA-STS', txt.answer))
    return { report, findings }
  }
  const recs = txt.texts.filter((t) => /^v=STSv1\s*(;|$)/.test(t))
  if (recs.length === 0) {
    findings.push(
      finding({
        id: 'mta-sts.missing',
        severity: 'info',
        title: 'No MTA-STS policy',
        detail:
          'Without MTA-STS (RFC 8461), senders deliver over unauthenticated or downgradeable TLS to your MX.',
        fix: `Publish a policy at ${policyUrl} (mode: testing first) and the _mta-sts TXT record.`,
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
        title: 'More than one MTA-STS TXT record',
        detail: 'RFC 8461 §3.1: with several v=STSv1 records senders assume no policy is published.',
        current: recs.join('\n'),
        fix: 'Keep one record.'
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
        title: 'MTA-STS TXT record is invalid',
        detail:
          'RFC 8461 §3.1: the record is "v=STSv1; id=<1-32 letters/digits>", and id must change whenever the policy changes.',
        current: recs[0],
        fix: 'Fix the id value.',
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
        title: 'MTA-STS policy cannot be fetched',
        detail: `Fetching ${policyUrl} failed: ${report.fetchError}. RFC 8461 §3.3 requires HTTPS with a certificate valid for mta-sts.${domain}; senders ignore the policy (or keep a stale cached one).`,
        fix: `Serve the policy at ${policyUrl} with a valid certificate for mta-sts.${domain}.`
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
        title: `MTA-STS policy returns HTTP ${res.status}`,
        detail: `RFC 8461 §3.3: only a 200 response is a policy (redirects are not followed).`,
        fix: `Serve the policy file at ${policyUrl}.`
      })
    )
    return { report, findings }
  }
  const { policy, errors } = parseStsPolicy(res.body)
  report.policy = policy
  if (errors.length) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'mta-sts.policy-syntax',
        severity: 'error',
        title: 'MTA-STS policy is invalid',
        detail: `${errors.join('; ')} (RFC 8461 §3.2). Senders discard an invalid policy.`,
        current: res.body,
        fix: 'Correct the policy file.',
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
        title: `MTA-STS max_age is only ${policy.maxAge} s`,
        detail:
          'RFC 8461 §3.2 suggests weeks or more; a short max_age lets an attacker wait out the cached policy.',
        current: `max_age: ${policy.maxAge}`,
        fix: 'Use max_age: 604800 (a week) or more once the policy is stable.'
      })
    )
  report.uncoveredMx = input.mxHosts.filter((h) => !policy.mx.some((p) => mxMatches(p, h)))
  if (report.uncoveredMx.length && policy.mode !== 'none') {
    const enforce = policy.mode === 'enforce'
    findings.push(
      finding({
        id: 'mta-sts.mx-not-covered',
        severity: enforce ? 'error' : 'warning',
        title: `MX host(s) not in the MTA-STS policy: ${report.uncoveredMx.join(', ')}`,
        detail: `RFC 8461 §4.1: senders only deliver to MX hosts matching an mx: pattern${enforce ? '; in enforce mode mail to these hosts fails' : '; in testing mode this is reported via TLS-RPT'}.`,
        current: res.body,
        fix: 'Add mx: lines for every MX host and change the id in the TXT record.',
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
        title: 'MTA-STS is in testing mode',
        detail:
          'Failures are only reported (TLS-RPT), not enforced. Switch to enforce once reports are clean.',
        current: `mode: testing`,
        fix: 'Set mode: enforce and change the id.'
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
    findings.push(couldNotCheck('tls-rpt', 'TLS-RPT', txt.answer))
    return { report, findings }
  }
  const recs = txt.texts.filter((t) => /^v=TLSRPTv1\s*(;|$)/.test(t))
  if (recs.length === 0) {
    findings.push(
      finding({
        id: 'tls-rpt.missing',
        severity: input.mtaStsPresent ? 'warning' : 'info',
        title: 'No TLS-RPT record',
        detail: `Without ${name} (RFC 8460) you get no reports of TLS failures delivering to you${input.mtaStsPresent ? ', which MTA-STS testing mode relies on' : ''}.`,
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
        title: 'TLS-RPT record is invalid',
        detail: `${recs.length > 1 ? 'More than one v=TLSRPTv1 record. ' : ''}${!uris.length ? 'rua= is missing. ' : ''}${bad.length ? `Invalid URI(s): ${bad.join(', ')}. ` : ''}RFC 8460 §3: rua= is a comma-separated list of mailto: or https: URIs.`,
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
    findings.push(couldNotCheck('bimi', 'BIMI', txt.answer))
    return { report, findings }
  }
  const recs = txt.texts.filter((t) => /^v=BIMI1\s*(;|$)/i.test(t))
  if (!recs.length) {
    findings.push(
      finding({
        id: 'bimi.missing',
        severity: 'info',
        title: 'No BIMI record',
        detail: enforced
          ? 'DMARC is at enforcement, so you could publish a BIMI logo (SVG Tiny PS, usually with a VMC/CMC certificate for Gmail/Apple).'
          : 'BIMI needs DMARC at quarantine or reject with pct=100 first.'
      })
    )
    return { report, findings }
  }
  report.record = recs[0]
  const { tags } = parseTags(recs[0])
  report.logo = tags.l
  report.authority = tags.a
  const errs: string[] = []
  if (recs.length > 1) errs.push('more than one v=BIMI1 record')
  if (tags.l && !/^https:\/\/\S+\.svg$/i.test(tags.l)) errs.push('l= must be an https URL of an SVG file')
  if (tags.a && !/^https:\/\/\S+$/i.test(tags.a)) errs.push('a= must be an https URL of the VMC (PEM)')
  if (tags.l === undefined) errs.push('l= is missing')
  report.state = errs.length ? 'fail' : enforced ? 'pass' : 'fail'
  if (errs.length)
    findings.push(
      finding({
        id: 'bimi.syntax',
        severity: 'error',
        title: 'BIMI record is invalid',
        detail: `${errs.join('; ')}.`,
        current: recs[0],
        fixRecord: `${name}. TXT "v=BIMI1; l=https://${domain}/bimi/logo.svg; a="`
      })
    )
  if (!enforced)
    findings.push(
      finding({
        id: 'bimi.dmarc-not-enforced',
        severity: 'error',
        title: 'BIMI is published but DMARC is not at enforcement',
        detail: `Mailbox providers only show BIMI logos when DMARC is p=quarantine or p=reject with pct=100 (current: ${dmarc.effectivePolicy ?? 'no policy'}${dmarc.pct !== undefined ? `, pct=${dmarc.pct}` : ''}).`,
        current: dmarc.record,
        fix: 'Move DMARC to quarantine or reject first.',
        fixRecord: dmarc.nextStep?.record,
        remedy: 'dmarc-planner'
      })
    )
  if (!tags.a && !errs.length)
    findings.push(
      finding({
        id: 'bimi.no-vmc',
        severity: 'info',
        title: 'BIMI without a mark certificate (a=)',
        detail: 'Gmail and Apple Mail only display logos backed by a VMC or CMC certificate.',
        current: recs[0]
      })
    )
  return { report, findings }
}
