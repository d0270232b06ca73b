import type { AuthDkim, AuthSpf } from './aggregate'
import type { IdentifiedService, Identifier } from './identify'

/**
 * The per-domain analyses of the DMARC view, from stored aggregate records. Every message count is a sum of the
 * records' <count> (one record stands for `count` messages from one IP with one set of results, RFC 7489
 * Appendix C). "Aligned" SPF/DKIM are policy_evaluated's results: the reporter's DMARC evaluation, which already
 * includes identifier alignment (RFC 7489 §3.1); auth_results alone are not aligned.
 */

export interface SummaryRecord {
  orgName: string
  report: number
  day: string
  dateBegin: number
  sourceIp: string
  count: number
  disposition: string
  dkim: string
  spf: string
  headerFrom: string
  authDkim: AuthDkim[]
  authSpf: AuthSpf[]
}

export type SourceCategory = 'legitimate' | 'service' | 'authorised' | 'forwarder' | 'unknown' | 'rejected'

export interface SourceRow {
  ip: string
  ptr: string | null
  service: IdentifiedService | null
  messages: number
  dmarcPass: number
  spfAligned: number
  dkimAligned: number
  /** Messages whose SPF failed alignment while DKIM passed: the mark of forwarding (RFC 7489 §10.4). */
  forwarded: number
  dispositions: Record<string, number>
  dkimDomains: string[]
  category: SourceCategory
  /** The admin's mark: true legitimate, false not ours, null not marked. */
  legitimate: boolean | null
}

export interface DomainSummary {
  domain: string
  reports: number
  messages: number
  dmarcPass: number
  spfAligned: number
  dkimAligned: number
  timeline: { day: string; messages: number; dmarcPass: number }[]
  sources: SourceRow[]
  dispositions: { disposition: string; messages: number }[]
  reporters: { org: string; reports: number; messages: number }[]
}

/** Source keys the admin can mark: one IP, or every IP of an identified service. */
export const ipKey = (ip: string) => `ip:${ip}`
export const serviceKey = (id: string) => `service:${id}`

export function markOf(
  marks: Map<string, boolean>,
  ip: string,
  service: IdentifiedService | null
): boolean | null {
  const byIp = marks.get(ipKey(ip))
  if (byIp !== undefined) return byIp
  const bySvc = service ? marks.get(serviceKey(service.id)) : undefined
  return bySvc ?? null
}

const pass = (v: string) => v === 'pass'

/** Sources: a legitimate mark wins; then a known service; then SPF-authorised; then forwarding; else unknown. */
function categorise(s: Omit<SourceRow, 'category'>): SourceCategory {
  if (s.legitimate === true) return 'legitimate'
  if (s.legitimate === false) return 'rejected'
  if (s.service) return 'service'
  if (s.spfAligned * 2 > s.messages) return 'authorised'
  if (s.forwarded * 2 > s.messages) return 'forwarder'
  return 'unknown'
}

export function summarise(
  domain: string,
  records: SummaryRecord[],
  ptr: (ip: string) => string | null,
  identifier: Identifier,
  marks: Map<string, boolean>
): DomainSummary {
  const byIp = new Map<string, { recs: SummaryRecord[] }>()
  const days = new Map<string, { messages: number; dmarcPass: number }>()
  const dispositions = new Map<string, number>()
  const reporters = new Map<string, { reports: Set<number>; messages: number }>()
  const reports = new Set<number>()
  let messages = 0
  let dmarcPass = 0
  let spfAligned = 0
  let dkimAligned = 0
  for (const r of records) {
    reports.add(r.report)
    const ok = pass(r.dkim) || pass(r.spf)
    messages += r.count
    if (ok) dmarcPass += r.count
    if (pass(r.spf)) spfAligned += r.count
    if (pass(r.dkim)) dkimAligned += r.count
    const d = days.get(r.day) ?? { messages: 0, dmarcPass: 0 }
    d.messages += r.count
    if (ok) d.dmarcPass += r.count
    days.set(r.day, d)
    dispositions.set(r.disposition, (dispositions.get(r.disposition) ?? 0) + r.count)
    const rep = reporters.get(r.orgName) ?? { reports: new Set(), messages: 0 }
    rep.reports.add(r.report)
    rep.messages += r.count
    reporters.set(r.orgName, rep)
    const src = byIp.get(r.sourceIp) ?? { recs: [] }
    src.recs.push(r)
    byIp.set(r.sourceIp, src)
  }
  const sources: SourceRow[] = []
  for (const [ip, { recs }] of byIp) {
    const p = ptr(ip)
    const dkim = recs.flatMap((r) => r.authDkim)
    const service = identifier.identify(ip, p, dkim)
    const row: Omit<SourceRow, 'category'> = {
      ip,
      ptr: p,
      service,
      messages: 0,
      dmarcPass: 0,
      spfAligned: 0,
      dkimAligned: 0,
      forwarded: 0,
      dispositions: {},
      dkimDomains: [...new Set(dkim.map((d) => d.domain).filter(Boolean))].sort(),
      legitimate: markOf(marks, ip, service)
    }
    for (const r of recs) {
      row.messages += r.count
      if (pass(r.dkim) || pass(r.spf)) row.dmarcPass += r.count
      if (pass(r.spf)) row.spfAligned += r.count
      if (pass(r.dkim)) row.dkimAligned += r.count
      if (!pass(r.spf) && pass(r.dkim)) row.forwarded += r.count
      row.dispositions[r.disposition] = (row.dispositions[r.disposition] ?? 0) + r.count
    }
    sources.push({ ...row, category: categorise(row) })
  }
  sources.sort((a, b) => b.messages - a.messages || a.ip.localeCompare(b.ip))
  return {
    domain,
    reports: reports.size,
    messages,
    dmarcPass,
    spfAligned,
    dkimAligned,
    timeline: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
    sources,
    dispositions: [...dispositions]
      .map(([disposition, n]) => ({ disposition, messages: n }))
      .sort((a, b) => b.messages - a.messages),
    reporters: [...reporters]
      .map(([org, v]) => ({ org: org || '(unnamed)', reports: v.reports.size, messages: v.messages }))
      .sort((a, b) => b.messages - a.messages || a.org.localeCompare(b.org))
  }
}

export interface Readiness {
  target: 'quarantine' | 'reject'
  days: number
  threshold: number
  verdict: { code: string; params: Record<string, string | number> }
  legitimate: {
    ip: string
    service: string | null
    messages: number
    dmarcPass: number
    rate: number
    ok: boolean
  }[]
  /** Sources with DMARC-failing mail in the window: what the new policy would quarantine or reject. */
  wouldHit: {
    ip: string
    service: string | null
    failing: number
    legitimate: boolean | null
    category: SourceCategory
  }[]
  failingMessages: number
  /** Suggested rollout: a staged pct ramp when legitimate mail still fails somewhere (RFC 7489 §6.6.4). */
  stagedPct: boolean
}

/**
 * "Can I move to quarantine / reject?" (RFC 7489 §6.6.4 and §10 advise to go stepwise and to watch reports):
 * ready when every source the admin marked legitimate passed DMARC for at least `threshold` of its messages over
 * the window. Sources nobody marked are listed with what the policy would do to their failing mail.
 */
export function readiness(
  summary: DomainSummary,
  target: 'quarantine' | 'reject',
  days: number,
  threshold = 0.98
): Readiness {
  const legit = summary.sources.filter((s) => s.legitimate === true)
  const legitimate = legit.map((s) => {
    const rate = s.messages ? s.dmarcPass / s.messages : 0
    return {
      ip: s.ip,
      service: s.service?.name ?? null,
      messages: s.messages,
      dmarcPass: s.dmarcPass,
      rate,
      ok: rate >= threshold
    }
  })
  const wouldHit = summary.sources
    .filter((s) => s.messages > s.dmarcPass)
    .map((s) => ({
      ip: s.ip,
      service: s.service?.name ?? null,
      failing: s.messages - s.dmarcPass,
      legitimate: s.legitimate,
      category: s.category
    }))
    .sort((a, b) => Number(b.legitimate === true) - Number(a.legitimate === true) || b.failing - a.failing)
  const failingMessages = wouldHit.reduce((n, s) => n + s.failing, 0)
  const bad = legitimate.filter((l) => !l.ok)
  const legitMsgs = legitimate.reduce((n, l) => n + l.messages, 0)
  const legitPass = legitimate.reduce((n, l) => n + l.dmarcPass, 0)
  const pct = (x: number) => Math.round(x * 1000) / 10
  let verdict: Readiness['verdict']
  if (summary.messages === 0) verdict = { code: 'dmarc.readiness.noData', params: { days, target } }
  else if (legitimate.length === 0)
    verdict = {
      code: 'dmarc.readiness.noLegitimate',
      params: { days, target, sources: summary.sources.length }
    }
  else if (bad.length)
    verdict = {
      code: 'dmarc.readiness.notReady',
      params: {
        target,
        days,
        count: bad.length,
        worst: bad.sort((a, b) => a.rate - b.rate)[0].ip,
        rate: pct(Math.min(...bad.map((b) => b.rate))),
        threshold: pct(threshold)
      }
    }
  else
    verdict = {
      code: 'dmarc.readiness.ready',
      params: { target, days, rate: pct(legitMsgs ? legitPass / legitMsgs : 0), failing: failingMessages }
    }
  return {
    target,
    days,
    threshold,
    verdict,
    legitimate,
    wouldHit,
    failingMessages,
    stagedPct: bad.length > 0 || legitimate.some((l) => l.rate < 1)
  }
}
