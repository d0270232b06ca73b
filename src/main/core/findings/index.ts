/**
 * The case's findings: collect them from every source, deduplicate by id, map each to a workflow step, and decide
 * what a later check means for an earlier finding (still there, gone, or unknown because the check failed).
 *
 * Pure: sources arrive as plain data (stored analyses, domain reports, sweep results, re-verifications); the
 * workflow service replays them against the `findings` table.
 */
import type { Finding } from '../../../shared/schemas/common'
import { joinTexts } from '../text/finding'
import type { DomainReport } from '../../../shared/schemas/domain'
import type { TargetReport } from '../../../shared/schemas/blocklist'
import type { AuthCheck } from '../../../shared/schemas/message'
import type { Verdict } from '../../../shared/schemas/verdict'
import type { FindingStep, Step, StepProgress, CaseFinding } from '../../../shared/schemas/workflow'

/** Remedies that one of the fix generators answers (core/fix; ids from schemas/verdict.ts and the analyses). */
export const FIX_REMEDIES = new Set([
  'spf-builder',
  'dmarc-planner',
  'dkim-keygen',
  'relay-fix',
  'rdns-request',
  'reverse-dns',
  'content-lint',
  'enable-tls'
])

export function isActionable(f: Pick<Finding, 'severity'>): boolean {
  return f.severity === 'warning' || f.severity === 'error' || f.severity === 'critical'
}

/**
 * Which step deals with a finding. Listings go to Delist; anything with a generator, a corrected record or a
 * concrete remedy goes to Fix; the rest (could-not-check, context, the rejection itself) stays in Diagnose.
 */
export function stepFor(f: Finding): FindingStep {
  if (f.remedy === 'delist' || f.id.startsWith('bl.listed:')) return 'delist'
  if (f.id.startsWith('verdict.')) return f.remedy && FIX_REMEDIES.has(f.remedy) ? 'fix' : 'diagnose'
  if (f.id.includes('could-not-check') || f.id.startsWith('bl.')) return 'diagnose'
  if (f.remedy && FIX_REMEDIES.has(f.remedy)) return 'fix'
  if (f.fixRecord || f.id.startsWith('content.')) return 'fix'
  if (f.fix && isActionable(f)) return 'fix'
  return 'diagnose'
}

/** Family of an id: "spf" for "spf.lookups-exceeded", "bl" for "bl.listed:zen:192.0.2.1". */
export const familyOf = (id: string): string => id.split(/[.:]/)[0]

/** Ids that only a re-check of their own source can clear; everything else from evidence is a "symptom". */
const RECHECKABLE = /^(auth|spf|dkim|dmarc|mx|ptr|helo|mta-sts|tls-rpt|bimi|bl|content)[.:]/
export function isSymptom(f: Pick<CaseFinding, 'id' | 'source'>): boolean {
  return f.source.startsWith('evidence:') && !RECHECKABLE.test(f.id)
}

export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding>()
  for (const f of findings) if (!seen.has(f.id)) seen.set(f.id, f)
  return [...seen.values()]
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

/**
 * One look at the world by one source. For a finding this source did not report, `absence` says whether the
 * source actually re-checked it ('absent': it is gone), could not tell ('unknown': DNS failed, the list refused
 * us — never a pass), or does not cover it at all ('out-of-scope').
 */
export interface Observation {
  source: string
  observedAt: string
  findings: Finding[]
  absence(id: string, findingSource: string): Absence
}
/** 'present': still there although this source names it differently (e.g. DMARC still fails today). */
export type Absence = 'absent' | 'present' | 'unknown' | 'out-of-scope'

const outOfScope = () => 'out-of-scope' as const

/** Minimal shape of a stored analysis: only what the findings need (older rows may lack the newer fields). */
export interface AnalysisLike {
  findings?: Finding[]
  verdict?: Verdict
  auth?: { recorded?: { findings?: Finding[] } }
  original?: { auth?: { recorded?: { findings?: Finding[] } } }
  antispam?: { findings?: Finding[] }
}

/** The verdict as findings: the primary cause and each secondary cause, with the first remedy it suggests. */
export function verdictFindings(v: Verdict): Finding[] {
  const out: Finding[] = [
    {
      id: `verdict.${v.cause}`,
      severity: 'error',
      title: v.title,
      detail: v.summary,
      ...(v.titleText ? { titleText: v.titleText } : {}),
      ...(v.summaryText?.length ? { detailText: v.summaryText } : {}),
      evidence: v.evidence.map((e) => ({
        ...e,
        text: v.quotes.find((q) => q.source === e.source)?.text ?? e.text
      })),
      ...(v.nextSteps[0]
        ? {
            fix: v.nextSteps.map((s) => s.label).join(' '),
            remedy: v.nextSteps[0].remedy,
            // Every next step, each as the Text it carries, in the reader's language.
            ...(v.nextSteps.every((s) => s.text)
              ? { fixText: joinTexts(v.nextSteps.map((s) => s.text!)) }
              : {})
          }
        : {})
    }
  ]
  for (const s of v.secondary ?? []) {
    if (s.cause === v.cause) continue
    out.push({
      id: `verdict.${s.cause}`,
      severity: 'warning',
      title: s.title,
      detail: s.summary,
      ...(s.titleText ? { titleText: s.titleText } : {}),
      ...(s.summaryText?.length ? { detailText: s.summaryText } : {}),
      evidence: s.evidence
    })
  }
  return out
}

export function evidenceObservation(evidenceId: number, createdAt: string, a: AnalysisLike): Observation {
  const findings = dedupe([
    ...(a.verdict ? verdictFindings(a.verdict) : []),
    ...(a.findings ?? []),
    ...(a.auth?.recorded?.findings ?? []),
    ...(a.original?.auth?.recorded?.findings ?? []),
    ...(a.antispam?.findings ?? [])
  ])
  // What a receiver recorded is history: only a re-verification (reverifyObservation) can clear it.
  return { source: `evidence:${evidenceId}`, observedAt: createdAt, findings, absence: outOfScope }
}

const DOMAIN_FAMILIES = new Set(['spf', 'dkim', 'dmarc', 'mx', 'ptr', 'helo', 'mta-sts', 'tls-rpt', 'bimi'])

export function domainObservation(
  report: Pick<DomainReport, 'domain' | 'checkedAt' | 'findings'>,
  at?: string
): Observation {
  const source = `domain:${report.domain}`
  // A family that could not be checked this time says nothing about its earlier findings.
  const blind = new Set(
    report.findings.filter((f) => f.id.includes('could-not-check')).map((f) => familyOf(f.id))
  )
  return {
    source,
    observedAt: at ?? report.checkedAt,
    findings: report.findings,
    absence(id, findingSource) {
      if (findingSource !== source || !DOMAIN_FAMILIES.has(familyOf(id))) return 'out-of-scope'
      return blind.has(familyOf(id)) ? 'unknown' : 'absent'
    }
  }
}

export interface ScanLike {
  checkedAt: string
  reports: Pick<TargetReport, 'target' | 'results'>[]
  findings: Finding[]
}

/**
 * A blocklist sweep. A listing is gone only when the same list answered "clean" for the same target in this sweep
 * and in the one before (`previous`, when given); refused, unreliable and error answers leave it open ("could not
 * check" is never "delisted").
 */
export function scanObservation(
  scan: ScanLike,
  at?: string,
  previous?: Pick<ScanLike, 'reports'>
): Observation {
  const statusOf = (s: Pick<ScanLike, 'reports'>) => {
    const m = new Map<string, string>()
    for (const r of s.reports) for (const res of r.results) m.set(`${res.list}:${r.target}`, res.status)
    return m
  }
  const status = statusOf(scan)
  const before = previous ? statusOf(previous) : undefined
  const lists = new Set<string>()
  for (const r of scan.reports) for (const res of r.results) lists.add(res.list)
  return {
    source: 'blocklist',
    observedAt: at ?? scan.checkedAt,
    findings: scan.findings,
    absence(id) {
      // bl.named: the listing a rejection text names; for a DNS list the sweep re-checks it like its own.
      const m = /^bl\.(listed|named|allow|refused|unreliable|error):([^:]+)(?::(.+))?$/.exec(id)
      if (!m) return 'out-of-scope'
      const [, found, list, target] = m
      const kind = found === 'named' ? 'listed' : found
      if (kind === 'listed' || kind === 'allow') {
        const s = status.get(`${list}:${target}`)
        if (s === undefined) return 'out-of-scope'
        if (s !== 'clean' && s !== 'listed') return 'unknown'
        // A listing is gone after two clean answers in a row, the delisting tracker's rule (core/blocklist/
        // delisting.ts): one clean answer may be a list's replication lag or a cached negative answer.
        if (kind === 'listed' && before && before.get(`${list}:${target}`) !== 'clean') return 'present'
        return 'absent'
      }
      return lists.has(list) ? 'absent' : 'out-of-scope'
    }
  }
}

/**
 * Re-verification of one stored message today (core/auth verifyAuth). Recorded ids (what the receiver wrote) are
 * judged by today's state of the same mechanism, so "auth.dmarc-fail" clears only when DMARC passes now.
 */
export function reverifyObservation(evidenceId: number, check: AuthCheck): Observation {
  const source = `evidence:${evidenceId}`
  // Only a pass clears a failure: "none" (no record today) is not a fix, and not_checked is not a pass.
  const state = (s: string): Absence =>
    s === 'pass' ? 'absent' : s === 'could_not_check' || s === 'not_checked' ? 'unknown' : 'present'
  const byMechanism = (id: string): Absence | undefined => {
    if (/^auth\.(dmarc|compauth)/.test(id)) return state(check.dmarc.state)
    if (/^auth\.spf/.test(id)) return state(check.spf.state)
    if (/^auth\.dkim/.test(id)) {
      if (check.dkim.some((d) => d.state === 'pass' && d.aligned === true)) return 'absent'
      if (
        check.dkim.length === 0 ||
        check.dkim.some((d) => d.state === 'could_not_check' || d.state === 'not_checked')
      )
        return 'unknown'
      return 'present'
    }
    if (/^auth\.arc/.test(id)) return state(check.arc.state)
    return undefined
  }
  const nowIds = new Set(check.findings.map((f) => f.id))
  return {
    source,
    observedAt: check.checkedAt,
    findings: check.findings,
    absence(id, findingSource) {
      if (!id.startsWith('auth.') || findingSource !== source) return 'out-of-scope'
      if (!check.dnsAvailable) return 'unknown'
      // A mechanism that still fails today keeps the recorded finding open, whatever id today's check uses.
      const m = byMechanism(id)
      if (m) return m
      return nowIds.has('auth.dns-error') ? 'unknown' : 'absent'
    }
  }
}

/**
 * The delisting tracker: a provider block named by the bounce ("bl.named:microsoft:<ip>") cannot be queried over
 * DNS; it is over when its delisting request is confirmed delisted (or expired). Any other state keeps it open.
 * A DNS listing is over when the tracker confirmed it delisted.
 */
export function delistObservation(
  requests: { list: string; target: string; status: string; updatedAt: string }[]
): Observation[] {
  return requests.map((r) => ({
    source: `delist:${r.list}:${r.target}`,
    observedAt: r.updatedAt,
    findings: [],
    absence(id) {
      const m = /^bl\.(named|listed):([^:]+):(.+)$/.exec(id)
      if (!m || m[2] !== r.list || m[3] !== r.target) return 'out-of-scope'
      // For a DNS list the tracker's "delisted" is two clean answers from that list in a row (core/blocklist
      // delisting.ts): the listing is gone. Other states leave a DNS listing to the sweep, which re-checks it.
      if (m[1] === 'listed') return r.status === 'delisted' ? 'absent' : 'out-of-scope'
      return r.status === 'delisted' || r.status === 'expired' ? 'absent' : 'present'
    }
  }))
}

/** Content lint of a stored message: a re-lint of the same bytes is conclusive for the content family. */
export function contentObservation(evidenceId: number, at: string, findings: Finding[]): Observation {
  const source = `content:${evidenceId}`
  return {
    source,
    observedAt: at,
    findings,
    absence: (id, findingSource) =>
      id.startsWith('content.') && findingSource === source ? 'absent' : 'out-of-scope'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reconcile

export interface KnownFinding {
  id: string
  source: string
  status: 'open' | 'resolved' | 'accepted'
  lastSeen: string
}

export interface Reconciliation {
  /** Every finding the observations report, with the source and time of its latest sighting. */
  observed: { finding: Finding; source: string; seenAt: string }[]
  /** Open findings a later observation re-checked and no longer sees. */
  resolved: { id: string; at: string; source: string }[]
  /** Open findings a later observation covered but could not check. */
  unknown: { id: string; source: string }[]
}

/**
 * Replays observations against what the case knows. A finding is resolved only by an observation made after its
 * last sighting that covers it conclusively; a sighting at the same time wins over an absence (two messages, one
 * still failing, keep the finding open).
 */
export function reconcile(known: KnownFinding[], observations: Observation[]): Reconciliation {
  const sorted = [...observations].sort((a, b) => a.observedAt.localeCompare(b.observedAt))
  const state = new Map(known.map((k) => [k.id, { ...k }]))
  const observed: Reconciliation['observed'] = []
  for (const o of sorted)
    for (const f of dedupe(o.findings)) {
      observed.push({ finding: f, source: o.source, seenAt: o.observedAt })
      const k = state.get(f.id)
      if (!k) state.set(f.id, { id: f.id, source: o.source, status: 'open', lastSeen: o.observedAt })
      else if (o.observedAt > k.lastSeen) {
        k.lastSeen = o.observedAt
        k.source = o.source
        // A later sighting reopens a resolved finding (the fix did not hold); accepted stays accepted.
        if (k.status === 'resolved') k.status = 'open'
      }
    }
  const resolved: Reconciliation['resolved'] = []
  const unknown: Reconciliation['unknown'] = []
  for (const k of state.values()) {
    if (k.status !== 'open') continue
    let gone: { at: string; source: string } | undefined
    let blind = false
    for (const o of sorted) {
      if (o.observedAt <= k.lastSeen || o.findings.some((f) => f.id === k.id)) continue
      const a = o.absence(k.id, k.source)
      if (a === 'absent') {
        gone = { at: o.observedAt, source: o.source }
        blind = false
      } else if (a === 'unknown') {
        blind = true
        gone = undefined
      } else if (a === 'present') {
        blind = false
        gone = undefined
      }
    }
    if (gone) resolved.push({ id: k.id, ...gone })
    else if (blind) unknown.push({ id: k.id, source: k.source })
  }
  return { observed, resolved, unknown }
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

export interface StepInputs {
  findings: Pick<CaseFinding, 'step' | 'status' | 'actionable'>[]
  evidenceCount: number
  verified: boolean
  exports: number
}

/** Done/remaining per step; a step is complete when all its actionable findings are resolved or accepted. */
export function stepProgress({ findings, evidenceCount, verified, exports }: StepInputs): StepProgress[] {
  const act = findings.filter((f) => f.actionable)
  const count = (step?: FindingStep) => {
    const of = step ? act.filter((f) => f.step === step) : act
    const remaining = of.filter((f) => f.status === 'open').length
    return { done: of.length - remaining, remaining }
  }
  const out: StepProgress[] = []
  const d = count('diagnose')
  out.push(
    evidenceCount === 0
      ? {
          step: 'diagnose',
          done: 0,
          remaining: Math.max(1, d.remaining),
          complete: false,
          pending: 'no-evidence'
        }
      : { step: 'diagnose', ...d, complete: d.remaining === 0 }
  )
  for (const step of ['fix', 'delist'] as const) {
    const c = count(step)
    out.push({ step, ...c, complete: evidenceCount > 0 && c.remaining === 0 })
  }
  const all = count()
  out.push(
    verified
      ? { step: 'verify', ...all, complete: all.remaining === 0 }
      : { step: 'verify', ...all, complete: false, pending: 'not-verified' }
  )
  const verifyDone = verified && all.remaining === 0
  out.push(
    exports > 0
      ? { step: 'report', done: exports, remaining: 0, complete: verifyDone }
      : { step: 'report', done: 0, remaining: 1, complete: false, pending: 'not-exported' }
  )
  return out
}

export const STEPS: Step[] = ['diagnose', 'fix', 'delist', 'verify', 'report']
