import type { Handlers } from '../../../shared/api'
import type { ScanResult } from '../../../shared/contract/blocklist'
import { AppError } from '../../../shared/result'
import type { Analysis } from '../../../shared/schemas/analysis'
import type { Finding } from '../../../shared/schemas/common'
import type { DomainReport } from '../../../shared/schemas/domain'
import type { AuthCheck } from '../../../shared/schemas/message'
import type { CaseCause, CaseFinding, CoverageNote, StepProgress } from '../../../shared/schemas/workflow'
import { text } from '../../../shared/text'
import {
  contentObservation,
  delistObservation,
  domainObservation,
  evidenceObservation,
  isActionable,
  isSymptom,
  reconcile,
  reverifyObservation,
  scanObservation,
  stepFor,
  stepProgress,
  type AnalysisLike,
  type Observation
} from '../../core/findings'
import { lintMessage } from '../../core/findings/fixes'
import { groupCauses, isCoverage, rootCauseOf } from '../../core/findings/root-cause'
import { createFindingRepo, type FindingRow } from '../../db/repos/findings'
import type { Repos, ServiceContext } from '../context'

/** The other areas' use-cases the workflow calls, built once in services/index.ts and injected. */
export type WorkflowPeers = Pick<
  Handlers,
  | 'domain.checkCase'
  | 'blocklist.scan'
  | 'blocklist.caseTargets'
  | 'blocklist.catalogue'
  | 'evidence.reverify'
  | 'delist.list'
>

/** Timeline code of a report export: the Report step counts these events, never their rendered words. */
export const REPORT_EVENT = 'timeline:report.exported'
/** Content lint parses whole messages; beyond this the lint is left to the explicit generator. */
const AUTO_LINT_MAX_BYTES = 5 * 1024 * 1024

/**
 * The case's findings and root causes: every source replayed against the `findings` table (core/findings), grouped
 * by cause (core/findings/root-cause), with coverage notes for checks that gave no usable answer.
 */
export function createCaseFindings(ctx: ServiceContext, repos: Repos, peers: WorkflowPeers) {
  const findings = createFindingRepo(ctx.db, ctx.now)
  /** Lint results per evidence (sha256): the stored bytes never change, so neither does their lint. */
  const lintCache = new Map<string, Finding[]>()

  const mustCase = (id: number) => {
    const c = repos.cases.get(id)
    if (!c) throw new AppError('NOT_FOUND', `Case ${id} does not exist (it may have been deleted).`)
    return c
  }

  /** The case's delisting requests; the tracker failing must not hide the rest of the case. */
  const delistRequests = (caseId: number) => peers['delist.list']({ caseId }).catch(() => [])

  function analysesOf(caseId: number) {
    return repos.evidence.listForCase(caseId).map((e) => ({
      summary: e,
      analysis: (repos.evidence.get(e.id)?.analysis ?? {}) as Analysis
    }))
  }

  /** Today's re-verification stored on the analysis (evidence.reverify): the returned original's for a bounce. */
  const authNow = (a: Analysis): AuthCheck | undefined =>
    (a.kind === 'bounce' ? a.original?.auth?.now : a.auth?.now) ?? a.auth?.now

  async function contentFindings(evidenceId: number, sha: string, size: number): Promise<Finding[]> {
    const hit = lintCache.get(sha)
    if (hit) return hit
    if (size > AUTO_LINT_MAX_BYTES) return []
    const bytes = repos.evidence.content(evidenceId)
    const out = bytes ? await lintMessage(new Uint8Array(bytes)) : []
    lintCache.set(sha, out)
    return out
  }

  function latestScan(caseId: number) {
    const run = repos.checkRuns.latest<ScanResult>(caseId, 'blocklist')
    return run && Array.isArray(run.result?.reports) ? run : undefined
  }

  /** The newest domain run per checked domain: older runs are superseded, not contradicting. */
  function latestDomainRuns(caseId: number) {
    const seen = new Set<string>()
    const out: { result: DomainReport; createdAt: string }[] = []
    for (const run of repos.checkRuns.list<DomainReport>(caseId, 'domain', 200)) {
      if (seen.has(run.target) || !Array.isArray(run.result?.findings)) continue
      seen.add(run.target)
      out.push(run)
    }
    return out
  }

  /** Every source the case has, as observations (see core/findings). */
  async function observations(caseId: number): Promise<Observation[]> {
    const obs: Observation[] = []
    for (const { summary, analysis } of analysesOf(caseId)) {
      obs.push(evidenceObservation(summary.id, summary.createdAt, analysis as AnalysisLike))
      const now = authNow(analysis)
      if (now) obs.push(reverifyObservation(summary.id, now))
      if (analysis.kind === 'message' || analysis.kind === 'bounce')
        obs.push(
          contentObservation(
            summary.id,
            summary.createdAt,
            await contentFindings(summary.id, summary.sha256, summary.size)
          )
        )
    }
    for (const run of latestDomainRuns(caseId)) obs.push(domainObservation(run.result, run.createdAt))
    const [scan, previous] = repos.checkRuns
      .list<ScanResult>(caseId, 'blocklist', 2)
      .filter((r) => Array.isArray(r.result?.reports))
    if (scan)
      obs.push(
        scanObservation(
          { ...scan.result, findings: scan.result.findings ?? [] },
          scan.createdAt,
          previous?.result ?? { reports: [] }
        )
      )
    obs.push(...delistObservation(await delistRequests(caseId)))
    return obs
  }

  const toCaseFinding = (r: FindingRow): CaseFinding => ({
    ...r.finding,
    evidence: r.finding.evidence ?? [],
    source: r.source,
    step: stepFor(r.finding),
    // Coverage is never a to-do: it is reported once per check run (coverage()), not per list.
    actionable: isActionable(r.finding) && !isCoverage(r.finding.id),
    status: r.status,
    note: r.note,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    resolvedAt: r.resolvedAt,
    rootCause: rootCauseOf(r.finding.id)?.id ?? 'coverage'
  })

  /**
   * Replays every source against the stored findings, then lets the receiver's symptoms follow their causes: the
   * bounce's "the IP is on a Spamhaus list" resolves once every listing of the case is gone (two clean checks for
   * the tracker, a clean answer from the same list for a sweep). Returns the ids a covering check could not verify.
   */
  async function refresh(caseId: number): Promise<{ unknown: Set<string> }> {
    const obs = await observations(caseId)
    const known = findings
      .list(caseId)
      .map((r) => ({ id: r.finding.id, source: r.source, status: r.status, lastSeen: r.lastSeen }))
    const rec = reconcile(known, obs)
    ctx.db.transaction(() => {
      for (const o of rec.observed) findings.observe(caseId, o.finding, o.source, o.seenAt)
      for (const r of rec.resolved) findings.resolve(caseId, r.id, r.at, `No longer seen by ${r.source}.`)
      followCauses(caseId)
    })()
    return { unknown: new Set(rec.unknown.map((u) => u.id)) }
  }

  /** Resolves open symptoms whose kind of cause is gone: every re-checkable finding of that kind is closed. */
  function followCauses(caseId: number) {
    const rows = findings.list(caseId).map(toCaseFinding)
    const checkable = new Map<string, { open: number; closed: number; lastClosed: string }>()
    for (const f of rows) {
      const kind = rootCauseOf(f.id)?.kind
      // Context ("DMARC record found", severity ok/info) is not a condition to clear.
      if (!kind || isSymptom(f) || !f.actionable) continue
      const k = checkable.get(kind) ?? { open: 0, closed: 0, lastClosed: '' }
      if (f.status === 'open') k.open++
      else {
        k.closed++
        if ((f.resolvedAt ?? '') > k.lastClosed) k.lastClosed = f.resolvedAt ?? ''
      }
      checkable.set(kind, k)
    }
    for (const f of rows) {
      if (f.status !== 'open' || !isSymptom(f)) continue
      const kind = rootCauseOf(f.id)?.kind
      const k = kind ? checkable.get(kind) : undefined
      // Only a cause that was seen and is gone closes the symptom; a symptom seen again later stays open.
      if (k && k.open === 0 && k.closed > 0 && k.lastClosed >= f.lastSeen)
        findings.resolve(caseId, f.id, k.lastClosed, 'Every check behind this rejection is clean again.')
    }
  }

  async function list(caseId: number): Promise<CaseFinding[]> {
    mustCase(caseId)
    await refresh(caseId)
    return findings.list(caseId).map(toCaseFinding)
  }

  /** The findings as they are stored, without a refresh (for work that just refreshed). */
  const stored = (caseId: number) => findings.list(caseId).map(toCaseFinding)

  /** One note per check run that left something unanswered (never counted as a to-do, never as resolved). */
  async function coverage(caseId: number): Promise<CoverageNote[]> {
    const out: CoverageNote[] = []
    const scan = latestScan(caseId)
    if (scan) {
      const blind = new Map<string, string>()
      for (const r of scan.result.reports)
        for (const x of r.results)
          if (x.status === 'error' || x.status === 'refused' || x.status === 'unreliable')
            blind.set(x.list, x.status)
      if (blind.size) {
        const catalogue = await peers['blocklist.catalogue']({}).catch(() => null)
        const nameOf = (id: string) => catalogue?.lists.find((l) => l.id === id)?.name ?? id
        const resolver = scan.result.resolver
        // Spamhaus refuses queries through public resolvers and answers 127.255.255.x instead (its DQS docs);
        // a free DQS key or one's own recursive resolver gets real answers.
        const refusedOrUnreliable = [...blind.values()].some((s) => s !== 'error')
        out.push({
          check: 'blocklist',
          at: scan.createdAt,
          count: blind.size,
          items: [...blind.keys()].map(nameOf).sort(),
          text: text('workflow:coverage.blocklist', {
            count: blind.size,
            resolver: resolver === 'system' ? text('timeline:blocklist.systemResolver') : resolver
          }),
          advice: text(
            refusedOrUnreliable ? 'workflow:coverage.blocklistRefused' : 'workflow:coverage.blocklistErrors'
          )
        })
      }
    }
    for (const run of latestDomainRuns(caseId)) {
      const families = run.result.findings
        .filter((f) => f.id.includes('could-not-check'))
        .map((f) => f.id.split('.')[0].toUpperCase())
      if (families.length)
        out.push({
          check: 'domain',
          at: run.createdAt,
          count: families.length,
          items: families,
          text: text('workflow:coverage.domain', {
            count: families.length,
            domain: run.result.domain,
            items: families.join(', ')
          }),
          advice: text('workflow:coverage.domainAdvice')
        })
    }
    const blindMessages = analysesOf(caseId)
      .filter(({ analysis }) => {
        const now = authNow(analysis)
        return now && !now.dnsAvailable
      })
      .map(({ summary }) => summary.name)
    if (blindMessages.length)
      out.push({
        check: 'messages',
        at: ctx.now().toISOString(),
        count: blindMessages.length,
        items: blindMessages,
        text: text('workflow:coverage.messages', { count: blindMessages.length })
      })
    return out
  }

  async function causes(caseId: number): Promise<{ causes: CaseCause[]; coverage: CoverageNote[] }> {
    const all = await list(caseId)
    return { causes: groupCauses(all), coverage: await coverage(caseId) }
  }

  const exportsOf = (caseId: number) => repos.notes.countEvents(caseId, REPORT_EVENT)

  async function status(caseId: number): Promise<{
    steps: StepProgress[]
    open: number
    lastVerifiedAt: string | null
    coverage: CoverageNote[]
    causes: CaseCause[]
  }> {
    const { causes: all, coverage: cov } = await causes(caseId)
    const last = repos.checkRuns.latest(caseId, 'verify')
    const steps = stepProgress({
      findings: all,
      evidenceCount: repos.evidence.listForCase(caseId).length,
      verified: !!last,
      exports: exportsOf(caseId)
    })
    return {
      steps,
      open: all.filter((c) => c.actionable && c.status === 'open').length,
      lastVerifiedAt: last?.createdAt ?? null,
      coverage: cov,
      causes: all
    }
  }

  /** Accepting a finding accepts its root cause: every open finding that is evidence of it. */
  function accept(caseId: number, findingId: string, note: string) {
    mustCase(caseId)
    const rc = rootCauseOf(findingId)?.id
    const rows = findings.list(caseId)
    const target = rows.find((r) => r.finding.id === findingId)
    if (!target) throw new AppError('NOT_FOUND', `Finding ${findingId} is not part of case ${caseId}.`)
    let lead = target
    ctx.db.transaction(() => {
      for (const r of rows)
        if (
          r.finding.id === findingId ||
          (rc && r.status === 'open' && rootCauseOf(r.finding.id)?.id === rc)
        ) {
          const a = findings.accept(caseId, r.finding.id, note)
          if (a && r.finding.id === findingId) lead = a
        }
    })()
    repos.notes.event(
      caseId,
      text('timeline:finding.accepted', { title: lead.finding.titleText ?? lead.finding.title, note })
    )
    ctx.emit('case:changed', { caseId })
    return toCaseFinding(lead)
  }

  function reopen(caseId: number, findingId: string) {
    mustCase(caseId)
    const rc = rootCauseOf(findingId)?.id
    const rows = findings.list(caseId)
    if (!rows.some((r) => r.finding.id === findingId))
      throw new AppError('NOT_FOUND', `Finding ${findingId} is not part of case ${caseId}.`)
    let lead: FindingRow | undefined
    ctx.db.transaction(() => {
      for (const r of rows)
        if (
          r.finding.id === findingId ||
          (rc && r.status === 'accepted' && rootCauseOf(r.finding.id)?.id === rc)
        ) {
          const o = findings.reopen(caseId, r.finding.id)
          if (o && r.finding.id === findingId) lead = o
        }
    })()
    if (!lead) throw new AppError('NOT_FOUND', `Finding ${findingId} is not part of case ${caseId}.`)
    repos.notes.event(
      caseId,
      text('timeline:finding.reopened', { title: lead.finding.titleText ?? lead.finding.title })
    )
    ctx.emit('case:changed', { caseId })
    return toCaseFinding(lead)
  }

  return {
    repo: findings,
    mustCase,
    analysesOf,
    latestScan,
    delistRequests,
    refresh,
    list,
    stored,
    causes,
    coverage,
    status,
    accept,
    reopen,
    toCaseFinding
  }
}
export type CaseFindings = ReturnType<typeof createCaseFindings>
