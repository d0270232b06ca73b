import type { Handlers } from '../../shared/api'
import type { ScanResult } from '../../shared/contract/blocklist'
import type { watchApi, WatchAlert, WatchCoverage, WatchTarget } from '../../shared/contract/watch'
import { AppError } from '../../shared/result'
import type { BlocklistEntry } from '../../shared/schemas/blocklist'
import type { DomainReport } from '../../shared/schemas/domain'
import type { ReportLanguage } from '../../shared/schemas/workflow'
import { text } from '../../shared/text'
import { defaultLists, getList, loadCatalogue } from '../core/blocklist'
import { checkPtr } from '../core/domain'
import { renderText } from '../core/text/render'
import {
  diff,
  emptyObservation,
  isBackingOff,
  nextBackoff,
  observeDmarc,
  observeDomain,
  observePtr,
  observeSweep,
  parseWatchTarget,
  WatchTargetError,
  type ListOutcome,
  type WatchTargetSpec
} from '../core/watch'
import { createWatchRepo, type StoredWatchTarget } from '../db/repos/watch'
import type { Repos, ServiceContext } from './context'
import { dnsClientFor } from './dns'

/**
 * The watchlist (issue 14): targets re-checked on a schedule through the same services as a manual check (the
 * blocklist sweep with its self-tests, DQS/Abusix keys and error codes; the domain check; the DMARC reports), with
 * drift measured against the previous runs (core/watch/drift.ts) and alerts raised to the app, the CLI's exit code
 * and the timelines of the cases linked to the target.
 */

type WatchHandlers = Pick<Handlers, keyof typeof watchApi>

/** The services a watch run goes through: the instances built once in services/index.ts. */
export type WatchDeps = Pick<
  Handlers,
  'blocklist.scan' | 'blocklist.cancel' | 'domain.check' | 'dmarc.domains' | 'dmarc.summary' | 'cases.create'
>

/** What a run keeps of its checks, so "Open a case" can attach them. */
interface RunResult {
  scan?: ScanResult
  domain?: DomainReport
  ptr?: { ips: string[] }
}

const DAY_MS = 86_400_000

export interface WatchService {
  handlers: WatchHandlers
  /** When the last run of any target finished (the scheduler waits the interval from there). */
  lastRunAt(): Date | null
}

export function createWatchService(ctx: ServiceContext, repos: Repos, deps: WatchDeps): WatchService {
  const watch = createWatchRepo(ctx.db, ctx.now)
  const tasks = new Map<string, { aborted: boolean; inner?: string }>()
  let taskSeq = 0
  /** Runs never overlap: two runs at once would each diff against the same snapshot and raise every alert twice. */
  let chain: Promise<unknown> = Promise.resolve()

  const language = (): ReportLanguage => {
    const l = repos.settings.get().language
    if (l === 'en' || l === 'fr') return l
    return Intl.DateTimeFormat().resolvedOptions().locale.toLowerCase().startsWith('fr') ? 'fr' : 'en'
  }

  function view(t: StoredWatchTarget): WatchTarget {
    const snap = t.snapshot
    return {
      id: t.id,
      value: t.value,
      type: t.type,
      selectors: t.options.selectors,
      lists: t.options.lists,
      caseIds: watch.cases(t.id),
      createdAt: t.createdAt,
      lastRunAt: t.lastRunAt,
      listedOn: [
        ...new Set(
          Object.values(snap?.listings ?? {})
            .filter((l) => l.state === 'listed')
            .map((l) => l.name)
        )
      ],
      errors: Object.keys(snap?.findings ?? {}).length,
      alerts: watch.alertCount(t.id)
    }
  }

  function spec(input: string): WatchTargetSpec {
    try {
      return parseWatchTarget(input)
    } catch (e) {
      if (e instanceof WatchTargetError) throw new AppError('INVALID_INPUT', e.message)
      throw e
    }
  }

  function mustTarget(input: string): StoredWatchTarget {
    let t: StoredWatchTarget | undefined
    try {
      t = watch.get(parseWatchTarget(input).value)
    } catch {
      t = undefined
    }
    if (!t) throw new AppError('NOT_FOUND', `${input} is not on the watchlist (add it with watch add).`)
    return t
  }

  function checkLists(ids: string[]): void {
    const problems: string[] = []
    for (const id of ids) {
      const l = getList(id)
      if (!l) problems.push(`"${id}" is not in the blocklist catalogue`)
      else if (l.defunct) problems.push(`${l.name} is defunct: it is never queried`)
      else if (l.kind === 'provider' || l.manual)
        problems.push(`${l.name} is a provider block, not a DNS list`)
    }
    if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; ') + '.')
  }

  /** The lists a target is swept against this run, and the coverage of those backing off. */
  function listsFor(t: StoredWatchTarget, now: Date, coverage: WatchCoverage[]): BlocklistEntry[] {
    const type = t.type === 'range' ? 'ip4' : t.type
    const chosen = t.options.lists.length
      ? t.options.lists.map((id) => getList(id)).filter((l): l is BlocklistEntry => !!l)
      : defaultLists(loadCatalogue())
    const backoff = watch.backoff()
    return chosen.filter((l) => {
      if (l.defunct || l.kind === 'provider' || l.manual || !l.type.includes(type)) return false
      const b = backoff[l.id]
      if (isBackingOff(b, now)) {
        coverage.push({
          target: t.value,
          what: l.id,
          reason: `not queried until ${b!.until}: the list refused the last queries (${b!.reason})`
        })
        return false
      }
      return true
    })
  }

  function updateBackoff(scan: ScanResult, lists: BlocklistEntry[], now: Date): void {
    const prev = watch.backoff()
    for (const l of lists) {
      const results = scan.reports.flatMap((r) => r.results.filter((x) => x.list === l.id))
      const refused = results.find((x) => x.status === 'refused' || x.failure === 'refused')
      const outcome: ListOutcome = refused
        ? { kind: 'refused', reason: refused.reason ?? 'refused' }
        : results.some((x) => x.status === 'listed' || x.status === 'clean')
          ? { kind: 'answered' }
          : { kind: 'other' }
      const next = nextBackoff(prev[l.id], outcome, now)
      if (JSON.stringify(next) !== JSON.stringify(prev[l.id])) watch.setBackoff(l.id, next)
    }
  }

  async function checkTarget(
    t: StoredWatchTarget,
    resolver: string | undefined,
    task: { aborted: boolean; inner?: string },
    innerId: string
  ): Promise<{ alerts: WatchAlert[]; coverage: WatchCoverage[] }> {
    const now = ctx.now()
    const coverage: WatchCoverage[] = []
    const obs = emptyObservation()
    const result: RunResult = {}
    const addresses = parseWatchTarget(t.value).addresses
    const catalogue = loadCatalogue()
    const names = Object.fromEntries(catalogue.lists.map((l) => [l.id, l.name]))
    const kinds = Object.fromEntries(catalogue.lists.map((l) => [l.id, l.kind]))

    // Blocklists, through the blocklist service (self-test, keys, error codes, per-list answers)
    const lists = listsFor(t, now, coverage)
    if (lists.length) {
      task.inner = innerId
      try {
        const scan = await deps['blocklist.scan']({
          targets: addresses,
          lists: lists.map((l) => l.id),
          resolver,
          taskId: innerId
        })
        result.scan = scan
        observeSweep(obs, scan.reports, names, kinds)
        updateBackoff(scan, lists, now)
      } catch (e) {
        if (task.aborted) throw new AppError('CANCELLED', 'The watch run was cancelled.')
        if (e instanceof AppError && e.code === 'INVALID_INPUT') throw e
        coverage.push({ target: t.value, what: 'blocklists', reason: (e as Error).message })
      } finally {
        task.inner = undefined
      }
    }
    if (task.aborted) throw new AppError('CANCELLED', 'The watch run was cancelled.')

    // DNS posture
    try {
      if (t.type === 'domain') {
        const report = await deps['domain.check']({
          domain: t.value,
          selectors: t.options.selectors,
          resolver
        })
        result.domain = report
        observeDomain(obs, report, t.options.selectors)
        if (repos.dmarc.domains().some((d) => d.domain === t.value)) {
          const since = new Date(now.getTime() - 14 * DAY_MS).toISOString().slice(0, 10)
          const s = await deps['dmarc.summary']({ domain: t.value, since, live: false })
          observeDmarc(obs, s.timeline, now)
        }
      } else if (t.type !== 'range') {
        // PTR / FCrDNS of a single address; a range's 256 PTRs would only drown the alerts
        const client = dnsClientFor(repos.settings.get(), resolver)
        const ptr = await checkPtr({ ips: addresses, client })
        result.ptr = { ips: addresses }
        observePtr(obs, ptr.reports, ptr.findings)
      }
    } catch (e) {
      if (e instanceof AppError && e.code === 'INVALID_INPUT') throw e
      coverage.push({ target: t.value, what: 'dns', reason: (e as Error).message })
    }

    const drift = diff(t.value, t.snapshot, obs)
    coverage.push(...drift.coverage)
    const at = now.toISOString()
    const alerts: WatchAlert[] = []
    ctx.db.transaction(() => {
      const runId = watch.addRun(
        t.id,
        at,
        { ...drift.counts, alerts: drift.alerts.length, dmarcPass: obs.dmarc?.rate ?? null },
        drift.changes,
        result,
        drift.next
      )
      for (const a of drift.alerts) {
        const summary = renderText('en', a.text)
        alerts.push(watch.addAlert({ targetId: t.id, runId, ...a, summary, at }))
      }
      // The timeline of every case linked to the target gets each alert as an event
      for (const caseId of watch.cases(t.id)) {
        if (!repos.cases.get(caseId)) continue
        for (const a of alerts) repos.notes.event(caseId, a.text)
        if (alerts.length) repos.cases.touch(caseId)
      }
    })()
    if (alerts.length) for (const caseId of watch.cases(t.id)) ctx.emit('case:changed', { caseId })
    return { alerts, coverage }
  }

  async function run(input: {
    targets?: string[]
    resolver?: string
    taskId?: string
  }): Promise<{ runAt: string; checked: number; alerts: WatchAlert[]; coverage: WatchCoverage[] }> {
    const runAt = ctx.now().toISOString()
    const selected = input.targets?.length ? input.targets.map(mustTarget) : watch.list()
    if (input.resolver) dnsClientFor(repos.settings.get(), input.resolver) // a bad resolver fails before any work
    const taskId = input.taskId ?? `watch-${++taskSeq}`
    if (tasks.has(taskId))
      throw new AppError('CONFLICT', `A watch run with task id ${taskId} is already running.`)
    const task: { aborted: boolean; inner?: string } = { aborted: false }
    tasks.set(taskId, task)
    const alerts: WatchAlert[] = []
    const coverage: WatchCoverage[] = []
    let checked = 0
    ctx.emit('progress', { taskId, label: 'watch', done: 0, total: selected.length })
    try {
      for (const t of selected) {
        if (task.aborted) throw new AppError('CANCELLED', 'The watch run was cancelled.')
        const r = await checkTarget(t, input.resolver || undefined, task, `${taskId}.bl${checked}`)
        alerts.push(...r.alerts)
        coverage.push(...r.coverage)
        checked++
        ctx.emit('progress', { taskId, label: 'watch', done: checked, total: selected.length })
      }
    } finally {
      tasks.delete(taskId)
      if (alerts.length) {
        const lang = language()
        const title = renderText(lang, text('watch:toast.title', { count: alerts.length }))
        ctx.emit('toast', {
          level: 'warning',
          title,
          message: alerts
            .slice(0, 5)
            .map((a) => renderText(lang, a.text))
            .join('\n')
        })
      }
      if (checked) ctx.emit('watch:changed', { alerts: alerts.length })
    }
    return { runAt, checked, alerts, coverage }
  }

  const handlers: WatchHandlers = {
    'watch.add': async ({ targets, selectors, lists, caseId }) => {
      if (caseId !== undefined && !repos.cases.get(caseId))
        throw new AppError('NOT_FOUND', `Case ${caseId} does not exist (it may have been deleted).`)
      if (lists?.length) checkLists(lists)
      const specs = targets.map(spec) // every target is valid, or nothing is added
      if (selectors?.length && specs.some((s) => s.type !== 'domain'))
        throw new AppError('INVALID_INPUT', 'DKIM selectors apply to domains only.')
      const added: WatchTarget[] = []
      const existing: string[] = []
      ctx.db.transaction(() => {
        for (const s of specs) {
          let t = watch.get(s.value)
          if (t) {
            existing.push(s.value)
            if (selectors?.length || lists?.length) {
              const options = {
                selectors: [...new Set([...t.options.selectors, ...(selectors ?? [])])],
                lists: lists?.length ? [...new Set(lists)] : t.options.lists
              }
              watch.setOptions(t.id, options)
            }
          } else {
            t = watch.add(s.value, s.type, {
              selectors: [...new Set(selectors ?? [])],
              lists: [...new Set(lists ?? [])]
            })
          }
          if (caseId !== undefined) watch.link(t.id, caseId)
          if (!existing.includes(s.value)) added.push(view(watch.getById(t.id)!))
        }
      })()
      return { added, existing }
    },

    'watch.list': async () => watch.list().map(view),

    'watch.remove': async ({ targets }) => {
      const removed: string[] = []
      const unknown: string[] = []
      for (const input of targets) {
        let t: StoredWatchTarget | undefined
        try {
          t = watch.get(parseWatchTarget(input).value)
        } catch {
          t = undefined
        }
        if (t && watch.remove(t.id)) removed.push(t.value)
        else unknown.push(input)
      }
      return { removed, unknown }
    },

    'watch.run': (input) => {
      const r = chain.then(() => run(input))
      chain = r.catch(() => undefined)
      return r
    },

    'watch.cancel': async ({ taskId }) => {
      const task = tasks.get(taskId)
      if (!task) return { cancelled: false }
      task.aborted = true
      if (task.inner) await deps['blocklist.cancel']({ taskId: task.inner })
      return { cancelled: true }
    },

    'watch.history': async ({ target, limit }) => {
      const t = mustTarget(target)
      return { target: view(t), points: watch.history(t.id, limit) }
    },

    'watch.alerts': async ({ target, limit }) =>
      watch.alerts(target === undefined ? undefined : mustTarget(target).id, limit),

    'watch.openCase': async ({ alertId }) => {
      const alert = watch.alert(alertId)
      if (!alert)
        throw new AppError('NOT_FOUND', `Alert ${alertId} does not exist (its target may have been removed).`)
      if (alert.caseId !== null && repos.cases.get(alert.caseId)) return { caseId: alert.caseId }
      const target = watch.getById(alert.targetId)!
      const lang = language()
      const title = renderText(lang, alert.text).slice(0, 300)
      const c = await deps['cases.create']({ title, autoTitle: false })
      const result = alert.runId !== null ? watch.runResult<RunResult>(alert.runId) : undefined
      ctx.db.transaction(() => {
        // The check that raised the alert is the case's evidence: its stored sweep and domain report, which the
        // case's Blocklists and Domain steps show and Verify compares against.
        if (result?.scan) repos.checkRuns.add(c.id, 'blocklist', target.value, result.scan)
        if (result?.domain) repos.checkRuns.add(c.id, 'domain', target.value, result.domain)
        if (target.type === 'domain') repos.cases.update(c.id, { sendingDomain: target.value })
        else if (target.type !== 'range') repos.cases.update(c.id, { sendingIps: [target.value] })
        const event = text('watch:event.opened', { alert: alert.text, at: alert.createdAt })
        repos.notes.event(c.id, event)
        watch.link(target.id, c.id)
        watch.setAlertCase(alert.id, c.id)
      })()
      ctx.emit('case:changed', { caseId: c.id })
      return { caseId: c.id }
    },

    'watch.link': async ({ target, caseId }) => {
      const t = mustTarget(target)
      if (!repos.cases.get(caseId))
        throw new AppError('NOT_FOUND', `Case ${caseId} does not exist (it may have been deleted).`)
      watch.link(t.id, caseId)
      return view(watch.getById(t.id)!)
    }
  }

  return {
    handlers,
    lastRunAt() {
      const at = watch.lastRunAt()
      return at ? new Date(at) : null
    }
  }
}
