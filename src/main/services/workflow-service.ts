import { senderHelo } from '../core/diagnose/parties'
import { randomUUID } from 'node:crypto'
import type { Handlers, ParsedInput } from '../../shared/api'
import type { workflowApi } from '../../shared/contract/workflow'
import type { ScanResult } from '../../shared/contract/blocklist'
import { AppError } from '../../shared/result'
import type { Analysis } from '../../shared/schemas/analysis'
import type { Finding } from '../../shared/schemas/common'
import type { DomainReport } from '../../shared/schemas/domain'
import type { AuthCheck } from '../../shared/schemas/message'
import type {
  CaseFinding,
  FixKind,
  FixOutput,
  FixPrefill,
  ReportFormat,
  ReportLanguage,
  StepProgress,
  StoredFix,
  VerifyCheck,
  VerifyItem,
  VerifyOutcome,
  VerifyResult
} from '../../shared/schemas/workflow'
import { createFindingRepo, type FindingRow } from '../db/repos/findings'
import { createFixRepo } from '../db/repos/fixes'
import {
  contentObservation,
  delistObservation,
  domainObservation,
  evidenceObservation,
  familyOf,
  isActionable,
  isSymptom,
  reconcile,
  reverifyObservation,
  scanObservation,
  stepFor,
  stepProgress,
  type AnalysisLike,
  type Observation
} from '../core/findings'
import { lintMessage, runGenerator } from '../core/findings/fixes'
import { buildHtml, buildJson, buildMarkdown, type ReportData } from '../core/report'
import { findChromium, htmlToPdf } from './chromium-pdf'
import { keepMechanisms, spfServices } from '../core/fix'
import { createBlocklistHandlers } from './blocklist-service'
import type { Repos, ServiceContext } from './context'
import { createDiagnoseHandlers } from './diagnose-service'
import { dnsClientFor } from './dns'
import { createDomainHandlers } from './domain-service'

type WorkflowHandlers = Pick<Handlers, keyof typeof workflowApi>

/** Timeline events start with this, so the Report step can count exports without a table of its own. */
export const REPORT_EVENT = 'Report exported'
/** Content lint parses whole messages; beyond this the lint is left to the explicit generator. */
const AUTO_LINT_MAX_BYTES = 5 * 1024 * 1024

export interface WorkflowServiceDeps {
  /** Path of a Chromium for PDF export; null disables it (tests of the UNSUPPORTED path). */
  chromium?: string | null
  /** How long headless Chromium may take to print a report (default 60 s, or DELIVERY_DESK_PDF_TIMEOUT_MS). */
  pdfTimeoutMs?: number
}

/** Use-cases for the workflow methods: findings and steps, fix generators, Verify, report export. */
export function createWorkflowHandlers(
  ctx: ServiceContext,
  repos: Repos,
  deps: WorkflowServiceDeps = {}
): WorkflowHandlers {
  const findings = createFindingRepo(ctx.db, ctx.now)
  const fixes = createFixRepo(ctx.db, ctx.now)
  // The other areas' use-cases, called the same way the UI calls them (they store their own check runs).
  let peers:
    | (ReturnType<typeof createDomainHandlers> &
        ReturnType<typeof createBlocklistHandlers> &
        ReturnType<typeof createDiagnoseHandlers>)
    | undefined
  const peer = () =>
    (peers ??= {
      ...createDomainHandlers(ctx, repos),
      ...createBlocklistHandlers(ctx, repos),
      ...createDiagnoseHandlers(ctx, repos)
    })
  /** The case's delisting requests; the tracker failing must not hide the rest of the case. */
  const listDelistRequests = (caseId: number) => {
    const handlers = peer()
    return handlers['delist.list']({ caseId }).catch(() => [])
  }
  /** Lint results per evidence (sha256): the stored bytes never change, so neither does their lint. */
  const lintCache = new Map<string, Finding[]>()

  const mustCase = (id: number) => {
    const c = repos.cases.get(id)
    if (!c) throw new AppError('NOT_FOUND', `Case ${id} does not exist (it may have been deleted).`)
    return c
  }

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
    // The newest domain run per checked domain: older runs are superseded, not contradicting.
    const seen = new Set<string>()
    for (const run of repos.checkRuns.list<DomainReport>(caseId, 'domain', 200)) {
      if (seen.has(run.target) || !Array.isArray(run.result?.findings)) continue
      seen.add(run.target)
      obs.push(domainObservation(run.result, run.createdAt))
    }
    const scan = latestScan(caseId)
    if (scan)
      obs.push(scanObservation({ ...scan.result, findings: scan.result.findings ?? [] }, scan.createdAt))
    const requests = await listDelistRequests(caseId)
    obs.push(...delistObservation(requests))
    return obs
  }

  const toCaseFinding = (r: FindingRow): CaseFinding => ({
    ...r.finding,
    evidence: r.finding.evidence ?? [],
    source: r.source,
    step: stepFor(r.finding),
    actionable: isActionable(r.finding),
    status: r.status,
    note: r.note,
    firstSeen: r.firstSeen,
    lastSeen: r.lastSeen,
    resolvedAt: r.resolvedAt
  })

  /** Replays every source against the stored findings; returns the ids a covering check could not verify. */
  async function refresh(caseId: number): Promise<{ unknown: Set<string> }> {
    const obs = await observations(caseId)
    const known = findings
      .list(caseId)
      .map((r) => ({ id: r.finding.id, source: r.source, status: r.status, lastSeen: r.lastSeen }))
    const rec = reconcile(known, obs)
    ctx.db.transaction(() => {
      for (const o of rec.observed) findings.observe(caseId, o.finding, o.source, o.seenAt)
      for (const r of rec.resolved) findings.resolve(caseId, r.id, r.at, `No longer seen by ${r.source}.`)
    })()
    return { unknown: new Set(rec.unknown.map((u) => u.id)) }
  }

  async function list(caseId: number): Promise<CaseFinding[]> {
    mustCase(caseId)
    await refresh(caseId)
    return findings.list(caseId).map(toCaseFinding)
  }

  function exportsOf(caseId: number): number {
    return repos.notes
      .listForCase(caseId)
      .filter((n) => n.kind === 'event' && n.body.startsWith(REPORT_EVENT)).length
  }

  async function status(
    caseId: number
  ): Promise<{ steps: StepProgress[]; open: number; lastVerifiedAt: string | null }> {
    const all = await list(caseId)
    const last = repos.checkRuns.latest(caseId, 'verify')
    const steps = stepProgress({
      findings: all,
      evidenceCount: repos.evidence.listForCase(caseId).length,
      verified: !!last,
      exports: exportsOf(caseId)
    })
    return {
      steps,
      open: all.filter((f) => f.actionable && f.status === 'open').length,
      lastVerifiedAt: last?.createdAt ?? null
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Verify

  async function verify({ caseId, taskId: given }: ParsedInput<'workflow.verify'>): Promise<VerifyResult> {
    const c = mustCase(caseId)
    await refresh(caseId)
    const before = new Map(findings.list(caseId).map((r) => [r.finding.id, r]))
    const evidence = repos.evidence.listForCase(caseId)
    const taskId = given ?? `verify-${randomUUID()}`
    const total = 2 + evidence.length
    let done = 0
    const tick = (label: string) => ctx.emit('progress', { taskId, label, done: done++, total })
    const checks: VerifyCheck[] = []
    const failedFamilies = new Set<string>()

    tick(c.sendingDomain ? `Domain ${c.sendingDomain}` : 'Domain')
    if (!c.sendingDomain)
      checks.push({ check: 'domain', state: 'skipped', message: 'The case has no sending domain.' })
    else
      try {
        await peer()['domain.checkCase']({ caseId })
        checks.push({ check: 'domain', state: 'done' })
      } catch (e) {
        checks.push({ check: 'domain', state: 'failed', message: (e as Error).message })
        for (const f of ['spf', 'dkim', 'dmarc', 'mx', 'ptr', 'helo', 'mta-sts', 'tls-rpt', 'bimi'])
          failedFamilies.add(f)
      }

    tick('Blocklists')
    try {
      const last = latestScan(caseId)
      // Re-check what was checked before, with the same lists, so before/after compare like with like.
      const targets = last
        ? last.result.reports.map((r) => r.target)
        : (await peer()['blocklist.caseTargets']({ caseId })).targets
            .filter((t) => t.suggested)
            .map((t) => t.value)
      const lists = last
        ? [...new Set(last.result.reports.flatMap((r) => r.results.map((x) => x.list)))]
        : undefined
      if (targets.length === 0)
        checks.push({ check: 'blocklist', state: 'skipped', message: 'No IP or domain to check.' })
      else {
        await peer()['blocklist.scan']({
          targets,
          lists: lists?.length ? lists : undefined,
          caseId,
          taskId: `${taskId}-bl`
        })
        checks.push({ check: 'blocklist', state: 'done' })
      }
    } catch (e) {
      checks.push({ check: 'blocklist', state: 'failed', message: (e as Error).message })
      failedFamilies.add('bl')
    }

    const msgErrors: string[] = []
    for (const ev of evidence) {
      tick(`Re-verifying ${ev.name}`)
      if (ev.kind === 'smtp-text') continue
      try {
        await peer()['evidence.reverify']({ id: ev.id })
      } catch (e) {
        msgErrors.push(`${ev.name}: ${(e as Error).message}`)
        failedFamilies.add('auth')
      }
    }
    checks.push(
      evidence.length === 0
        ? { check: 'messages', state: 'skipped', message: 'No evidence to re-verify.' }
        : msgErrors.length
          ? { check: 'messages', state: 'failed', message: msgErrors.join(' ') }
          : { check: 'messages', state: 'done' }
    )
    ctx.emit('progress', { taskId, label: 'Comparing', done: total, total })

    const { unknown } = await refresh(caseId)
    const at = ctx.now().toISOString()
    // The rejection itself (verdict, bounce text) cannot be re-checked: it is over when every cause is.
    const rows = findings.list(caseId).map(toCaseFinding)
    const causesOpen = rows.some((f) => f.actionable && f.status === 'open' && !isSymptom(f))
    const anyDone = checks.some((x) => x.state === 'done')
    if (!causesOpen && anyDone)
      for (const f of rows)
        if (f.status === 'open' && isSymptom(f))
          findings.resolve(caseId, f.id, at, 'Every cause found for this rejection is resolved.')

    const after = findings.list(caseId).map(toCaseFinding)
    const items: VerifyItem[] = []
    for (const f of after) {
      const b = before.get(f.id)
      if (!f.actionable && !(b && isActionable(b.finding))) continue
      let outcome: VerifyOutcome
      if (f.status === 'accepted') outcome = 'accepted'
      else if (!b) outcome = f.status === 'open' ? 'new' : 'resolved'
      else if (f.status === 'resolved') outcome = 'resolved'
      else if (unknown.has(f.id) || failedFamilies.has(familyOf(f.id))) outcome = 'could-not-check'
      else if (f.lastSeen > (b.lastSeen ?? '') || b.status === 'resolved') outcome = 'still-open'
      else outcome = isSymptom(f) ? 'still-open' : 'not-rechecked'
      items.push({
        findingId: f.id,
        title: f.title,
        severity: f.severity,
        step: f.step,
        before: b ? b.status : 'absent',
        after: f.status,
        outcome,
        ...(f.status === 'resolved' && f.note ? { detail: f.note } : {})
      })
    }
    const counts = Object.fromEntries(
      (
        ['resolved', 'still-open', 'new', 'could-not-check', 'accepted', 'not-rechecked'] as VerifyOutcome[]
      ).map((o) => [o, items.filter((i) => i.outcome === o).length])
    ) as Record<VerifyOutcome, number>
    const result = { checkedAt: at, checks, items, counts }
    const run = repos.checkRuns.add(caseId, 'verify', 'case', result)
    repos.notes.add(
      caseId,
      `Verified: ${counts.resolved} resolved, ${counts['still-open'] + counts.new} open, ${counts['could-not-check']} could not be checked.`,
      'event'
    )
    repos.cases.touch(caseId)
    ctx.emit('case:changed', { caseId })
    return { runId: run.id, ...result }
  }

  function lastVerify(caseId: number): VerifyResult | null {
    mustCase(caseId)
    const run = repos.checkRuns.latest<Omit<VerifyResult, 'runId'>>(caseId, 'verify')
    return run && Array.isArray(run.result?.items) ? { runId: run.id, ...run.result } : null
  }

  // ---------------------------------------------------------------------------------------------------------
  // Fixes

  function latestDomain(caseId: number, domain: string | null): DomainReport | undefined {
    if (!domain) return undefined
    const r = repos.checkRuns.latest<DomainReport>(caseId, 'domain', domain.toLowerCase())
    return r?.result?.spf ? r.result : undefined
  }

  function prefill(caseId: number): FixPrefill {
    const c = mustCase(caseId)
    const report = latestDomain(caseId, c.sendingDomain)
    const currentSpf = report?.spf.record ?? null
    const services = currentSpf
      ? spfServices
          .filter((s) =>
            s.mechanisms.every((m) => currentSpf.toLowerCase().split(/\s+/).includes(m.toLowerCase()))
          )
          .map((s) => s.id)
      : []
    const serviceMechs = spfServices.filter((s) => services.includes(s.id)).flatMap((s) => s.mechanisms)
    const ptrNames: Record<string, string> = {}
    for (const p of report?.ptr ?? []) if (p.names[0]) ptrNames[p.ip] = p.confirmedName ?? p.names[0]
    const helo =
      analysesOf(caseId)
        .map((x) => senderHelo(x.analysis))
        .find((h): h is string => !!h) ?? null
    return {
      domain: c.sendingDomain,
      ips: c.sendingIps,
      currentSpf,
      currentDmarc: report?.dmarc.inherited ? null : (report?.dmarc.record ?? null),
      keepMechanisms: currentSpf ? keepMechanisms(currentSpf, serviceMechs) : [],
      services,
      selectors: (report?.dkim ?? []).filter((d) => d.state === 'pass').map((d) => d.selector),
      ptrNames,
      helo,
      catalogue: spfServices.map((s) => ({
        id: s.id,
        name: s.name,
        typicalLookups: s.typicalLookups,
        verified: s.verified,
        accountSpecific: !!s.accountSpecific,
        mechanisms: s.mechanisms
      })),
      lintable: repos.evidence
        .listForCase(caseId)
        .filter((e) => e.kind === 'message' || e.kind === 'bounce')
        .map((e) => ({ id: e.id, name: e.name }))
    }
  }

  async function generate(
    input: ParsedInput<'fix.generate'>
  ): Promise<{ fix: StoredFix; privateKeyPem?: string }> {
    const { caseId, kind } = input
    mustCase(caseId)
    let result: { title: string; output: FixOutput; privateKeyPem?: string }
    try {
      result = await runGenerator(input, {
        client: () => dnsClientFor(repos.settings.get()),
        lintEvidence: async (id) => {
          const ev = repos.evidence.get(id)
          if (!ev || ev.caseId !== caseId)
            throw new AppError('NOT_FOUND', `Evidence ${id} is not part of case ${caseId}.`)
          const bytes = repos.evidence.content(id)
          return { name: ev.name, findings: bytes ? await lintMessage(new Uint8Array(bytes)) : [] }
        },
        caseEvidence: () =>
          repos.evidence
            .listForCase(caseId)
            .filter((e) => e.kind === 'message' || e.kind === 'bounce')
            .map((e) => e.id)
      })
    } catch (e) {
      if (e instanceof AppError) throw e
      // Generators throw plain Errors for bad input (invalid selector, not an e-mail address, bad date).
      throw new AppError('INVALID_INPUT', (e as Error).message)
    }
    const fix = fixes.add(
      caseId,
      kind as FixKind,
      result.title,
      input.input as Record<string, unknown>,
      result.output
    )
    repos.notes.add(caseId, `Fix generated: ${result.title}`, 'event')
    repos.cases.touch(caseId)
    ctx.emit('case:changed', { caseId })
    // The private key goes back to the caller once and is saved by the user; it is not in `fix` nor in the DB.
    return result.privateKeyPem ? { fix, privateKeyPem: result.privateKeyPem } : { fix }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Report

  function languageFor(given: ReportLanguage | undefined): ReportLanguage {
    if (given) return given
    const s = repos.settings.get().language
    if (s === 'en' || s === 'fr') return s
    return Intl.DateTimeFormat().resolvedOptions().locale.toLowerCase().startsWith('fr') ? 'fr' : 'en'
  }

  async function reportData(caseId: number, contact?: string): Promise<ReportData> {
    const c = mustCase(caseId)
    const st = await status(caseId)
    const scanRun = latestScan(caseId)
    const handlers = peer()
    const catalogue = await handlers['blocklist.catalogue']({}).catch(() => null)
    const nameOf = (id: string) => catalogue?.lists.find((l) => l.id === id)?.name ?? id
    const delist = await listDelistRequests(caseId)
    return {
      generatedAt: ctx.now().toISOString(),
      version: ctx.version,
      case: repos.cases.get(caseId) ?? c,
      evidence: analysesOf(caseId).map(({ summary, analysis }) => ({
        ...summary,
        from:
          analysis.kind === 'bounce'
            ? (analysis.original?.summary.from ?? analysis.summary?.from ?? null)
            : (analysis.summary?.from ?? null),
        verdict: analysis.verdict,
        hops:
          analysis.kind === 'bounce' && analysis.original?.hops?.length
            ? analysis.original.hops
            : (analysis.hops ?? [])
      })),
      findings: findings.list(caseId).map(toCaseFinding),
      steps: st.steps,
      fixes: fixes.listForCase(caseId),
      scan: scanRun
        ? {
            checkedAt: scanRun.result.checkedAt,
            listed: scanRun.result.reports.flatMap((r) =>
              r.results
                .filter((x) => x.status === 'listed' && x.polarity === 'block')
                .map((x) => ({
                  list: x.list,
                  name: nameOf(x.list),
                  target: r.target,
                  codes: x.codes,
                  meanings: x.meanings
                }))
            ),
            couldNotCheck: [
              ...new Set(
                scanRun.result.reports.flatMap((r) =>
                  r.results
                    .filter(
                      (x) => x.status === 'error' || x.status === 'refused' || x.status === 'unreliable'
                    )
                    .map((x) => nameOf(x.list))
                )
              )
            ]
          }
        : null,
      delist: delist.map((d) => ({
        list: d.list,
        listName: d.listName,
        target: d.target,
        status: d.status,
        requestedAt: d.requestedAt,
        reference: d.reference,
        removalUrl: d.removalUrl
      })),
      verify: lastVerify(caseId),
      notes: repos.notes.listForCase(caseId),
      contact
    }
  }

  const MIME: Record<ReportFormat, string> = {
    html: 'text/html;charset=utf-8',
    pdf: 'application/pdf',
    md: 'text/markdown;charset=utf-8',
    json: 'application/json'
  }

  async function exportReport(input: ParsedInput<'report.export'>) {
    const { caseId, format, variant } = input
    const lang = languageFor(input.language)
    const data = await reportData(caseId, input.contact)
    let bytes: Uint8Array
    if (format === 'json') bytes = Buffer.from(buildJson(data, variant, lang), 'utf8')
    else if (format === 'md') bytes = Buffer.from(buildMarkdown(data, variant, lang), 'utf8')
    else {
      const html = buildHtml(data, variant, lang)
      if (format === 'html') bytes = Buffer.from(html, 'utf8')
      else if (ctx.printToPdf) bytes = await ctx.printToPdf(html)
      else {
        const chromium = deps.chromium === undefined ? findChromium() : deps.chromium
        if (!chromium)
          throw new AppError(
            'UNSUPPORTED',
            'PDF export needs Chromium, which is not installed here (set CHROMIUM_PATH). Export HTML and print it to PDF from your browser instead.'
          )
        try {
          bytes = await htmlToPdf(html, chromium, {
            timeoutMs: deps.pdfTimeoutMs ?? (Number(process.env.DELIVERY_DESK_PDF_TIMEOUT_MS) || undefined)
          })
        } catch (e) {
          throw new AppError(
            'UNSUPPORTED',
            `${(e as Error).message} Export HTML and print it from your browser instead.`
          )
        }
      }
    }
    const slug =
      data.case.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'case'
    const fileName = `delivery-desk-${caseId}-${slug}${variant === 'operator' ? '-delisting' : ''}.${format}`
    if (!input.preview) {
      repos.notes.add(caseId, `${REPORT_EVENT}: ${format.toUpperCase()}, ${variant}, ${lang}`, 'event')
      ctx.emit('case:changed', { caseId })
    }
    return { fileName, mimeType: MIME[format], base64: Buffer.from(bytes).toString('base64') }
  }

  return {
    'findings.list': async ({ caseId }) => list(caseId),
    'findings.accept': async ({ caseId, findingId, note }) => {
      mustCase(caseId)
      const r = findings.accept(caseId, findingId, note)
      if (!r) throw new AppError('NOT_FOUND', `Finding ${findingId} is not part of case ${caseId}.`)
      repos.notes.add(caseId, `Finding accepted: ${r.finding.title} — ${note}`, 'event')
      ctx.emit('case:changed', { caseId })
      return toCaseFinding(r)
    },
    'findings.reopen': async ({ caseId, findingId }) => {
      mustCase(caseId)
      const r = findings.reopen(caseId, findingId)
      if (!r) throw new AppError('NOT_FOUND', `Finding ${findingId} is not part of case ${caseId}.`)
      repos.notes.add(caseId, `Finding reopened: ${r.finding.title}`, 'event')
      ctx.emit('case:changed', { caseId })
      return toCaseFinding(r)
    },
    'workflow.status': async ({ caseId }) => ({ caseId, ...(await status(caseId)) }),
    'workflow.verify': verify,
    'workflow.lastVerify': async ({ caseId }) => lastVerify(caseId),
    'fix.prefill': async ({ caseId }) => prefill(caseId),
    'fix.generate': generate,
    'fix.list': async ({ caseId }) => {
      mustCase(caseId)
      return fixes.listForCase(caseId)
    },
    'fix.delete': async ({ id }) => {
      const f = fixes.get(id)
      const deleted = fixes.delete(id)
      if (f && deleted) {
        repos.notes.add(f.caseId, `Fix removed: ${f.title}`, 'event')
        ctx.emit('case:changed', { caseId: f.caseId })
      }
      return { deleted }
    },
    'report.export': exportReport
  }
}
