import { randomUUID } from 'node:crypto'
import type { ParsedInput } from '../../../shared/api'
import type {
  CaseCause,
  VerifyCheck,
  VerifyItem,
  VerifyOutcome,
  VerifyResult
} from '../../../shared/schemas/workflow'
import { text } from '../../../shared/text'
import { familyOf, isSymptom } from '../../core/findings'
import { groupCauses } from '../../core/findings/root-cause'
import type { Repos, ServiceContext } from '../context'
import type { CaseFindings, WorkflowPeers } from './case-findings'

const DOMAIN_FAMILIES = ['spf', 'dkim', 'dmarc', 'mx', 'ptr', 'helo', 'mta-sts', 'tls-rpt', 'bimi']

/**
 * Verify: re-run the case's domain check, the sweep of its targets (the same lists as before, so before/after
 * compare like with like) and the re-verification of every message, then compare root causes before and after.
 */
export function createVerify(
  ctx: ServiceContext,
  repos: Repos,
  peers: WorkflowPeers,
  caseFindings: CaseFindings
) {
  const { mustCase, refresh, stored, latestScan } = caseFindings

  async function verify({
    caseId,
    taskId: given,
    resolver
  }: ParsedInput<'workflow.verify'>): Promise<VerifyResult> {
    const c = mustCase(caseId)
    await refresh(caseId)
    const before = new Map(groupCauses(stored(caseId)).map((g) => [g.id, g]))
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
        await peers['domain.checkCase']({ caseId, resolver })
        checks.push({ check: 'domain', state: 'done' })
      } catch (e) {
        checks.push({ check: 'domain', state: 'failed', message: (e as Error).message })
        for (const f of DOMAIN_FAMILIES) failedFamilies.add(f)
      }

    tick('Blocklists')
    try {
      const last = latestScan(caseId)
      const targets = last
        ? last.result.reports.map((r) => r.target)
        : (await peers['blocklist.caseTargets']({ caseId })).targets
            .filter((t) => t.suggested)
            .map((t) => t.value)
      const lists = last
        ? [...new Set(last.result.reports.flatMap((r) => r.results.map((x) => x.list)))]
        : undefined
      if (targets.length === 0)
        checks.push({ check: 'blocklist', state: 'skipped', message: 'No IP or domain to check.' })
      else {
        await peers['blocklist.scan']({
          targets,
          lists: lists?.length ? lists : undefined,
          caseId,
          resolver,
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
        await peers['evidence.reverify']({ id: ev.id, resolver })
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
    const rows = stored(caseId)
    const causesOpen = rows.some((f) => f.actionable && f.status === 'open' && !isSymptom(f))
    const anyDone = checks.some((x) => x.state === 'done')
    if (!causesOpen && anyDone)
      for (const f of rows)
        if (f.status === 'open' && isSymptom(f))
          caseFindings.repo.resolve(caseId, f.id, at, 'Every cause found for this rejection is resolved.')

    const after = groupCauses(stored(caseId))
    const items: VerifyItem[] = []
    for (const g of after) {
      const b = before.get(g.id)
      if (!g.actionable && !b?.actionable) continue
      items.push({
        findingId: g.id,
        title: g.title,
        ...(g.titleText ? { titleText: g.titleText } : {}),
        severity: g.severity,
        step: g.step,
        before: b ? b.status : 'absent',
        after: g.status,
        outcome: outcomeOf(g, b, unknown, failedFamilies),
        ...(g.status === 'resolved' && g.note ? { detail: g.note } : {})
      })
    }
    const counts = Object.fromEntries(
      (
        ['resolved', 'still-open', 'new', 'could-not-check', 'accepted', 'not-rechecked'] as VerifyOutcome[]
      ).map((o) => [o, items.filter((i) => i.outcome === o).length])
    ) as Record<VerifyOutcome, number>
    const result = { checkedAt: at, checks, items, counts }
    const run = repos.checkRuns.add(caseId, 'verify', 'case', result)
    repos.notes.event(
      caseId,
      text('timeline:verify.done', {
        resolved: counts.resolved,
        open: counts['still-open'] + counts.new,
        unknown: counts['could-not-check']
      })
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

  return { verify, lastVerify }
}

/** What happened to a cause across the re-check (a cause the checks could not reach is not "still open"). */
function outcomeOf(
  g: CaseCause,
  b: CaseCause | undefined,
  unknown: Set<string>,
  failedFamilies: Set<string>
): VerifyOutcome {
  if (g.status === 'accepted') return 'accepted'
  if (!b) return g.status === 'open' ? 'new' : 'resolved'
  if (g.status === 'resolved') return 'resolved'
  const open = g.findings.filter((f) => f.status === 'open' && f.actionable)
  if (open.length && open.every((f) => unknown.has(f.id) || failedFamilies.has(familyOf(f.id))))
    return 'could-not-check'
  if (g.lastSeen > b.lastSeen || b.status === 'resolved') return 'still-open'
  return open.every((f) => isSymptom(f)) ? 'still-open' : 'not-rechecked'
}
