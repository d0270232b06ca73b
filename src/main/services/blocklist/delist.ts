import { text } from '../../../shared/text'
import type { Handlers } from '../../../shared/api'
import type { blocklistApi, DelistRequestView, ScanResult } from '../../../shared/contract/blocklist'
import { AppError } from '../../../shared/result'
import type { DelistEvent, DelistStatus, TargetReport } from '../../../shared/schemas/blocklist'
import {
  addReference,
  applyRecheck,
  createDelistRequest,
  getList,
  InvalidTransitionError,
  isOverdue,
  parseTarget,
  TargetError,
  transition
} from '../../core/blocklist'
import { createDelistRequestRepo, type StoredDelistRequest } from '../../db/repos/delist-requests'
import type { Repos, ServiceContext } from '../context'
import type { MustCase, RunSweep } from './scan'

/**
 * Use-cases for the delisting tracker methods of the contract, and the timeline events they write.
 *
 * A DNS list's delisting is only confirmed by two consecutive all-clean re-checks (core/blocklist/delisting.ts);
 * the re-checks sweep through the scan part's runSweep (given by ./index.ts), so they use the same self-tested
 * lists and resolver, and "could not check" is never "clean".
 */

export type DelistHandlers = Pick<Handlers, Extract<keyof typeof blocklistApi, `delist.${string}`>>

export interface DelistDeps {
  /** The scan part's sweep (one self-test cache for scans and re-checks). */
  runSweep: RunSweep
  mustCase: MustCase
}

const STATUS_EVENT: Record<DelistStatus, (from: DelistStatus) => DelistEvent['type'] | undefined> = {
  listed: () => 'relist',
  requested: (from) => (from === 'rejected' ? 'retry' : 'request'),
  pending: () => 'acknowledge',
  delisted: () => 'confirm',
  rejected: () => 'reject',
  expired: () => 'expire'
}

export function createDelistHandlers(
  ctx: ServiceContext,
  repos: Repos,
  { runSweep, mustCase }: DelistDeps
): DelistHandlers {
  const requests = createDelistRequestRepo(ctx.db)
  /** Re-checks run one at a time: the scheduler and a "check now" click must not both count the same round. */
  let recheckChain: Promise<unknown> = Promise.resolve()

  function view(req: StoredDelistRequest): DelistRequestView {
    const title = repos.cases.get(req.caseId)?.title ?? `#${req.caseId}`
    return { ...req, caseTitle: title, overdue: isOverdue(req, ctx.now()) }
  }

  function mustRequest(id: string): StoredDelistRequest {
    const r = requests.get(id)
    if (!r)
      throw new AppError(
        'NOT_FOUND',
        `Delisting request ${id} does not exist (its case may have been deleted).`
      )
    return r
  }

  function recordChange(before: StoredDelistRequest, after: StoredDelistRequest, why?: string) {
    if (before.status === after.status) return
    const last = after.timeline.at(-1)
    const note = why ?? last?.note ?? ''
    let event = text('timeline:delist.changed', {
      target: after.target,
      list: after.listName,
      from: text(`blocklist:delistStatus.${before.status}`),
      to: text(`blocklist:delistStatus.${after.status}`)
    })
    // The note is the tracker's or the admin's own words (or a list's answer): quoted, not translated.
    if (note) event = text('timeline:delist.note', { event, note })
    if (after.reference) event = text('timeline:delist.reference', { event, reference: after.reference })
    repos.notes.event(after.caseId, event)
    repos.cases.touch(after.caseId)
  }

  function applyEvent(req: StoredDelistRequest, event: DelistEvent): StoredDelistRequest {
    try {
      return { ...req, ...transition(req, event, ctx.now()) }
    } catch (e) {
      if (!(e instanceof InvalidTransitionError)) throw e
      const hint =
        event.type === 'confirm' && !req.manual
          ? ' DNS lists are confirmed delisted by re-checks: use "Check now" (two clean checks in a row).'
          : ''
      throw new AppError('CONFLICT', `Cannot ${event.type} a request that is "${req.status}".${hint}`)
    }
  }

  async function recheck(id?: string) {
    const now = ctx.now()
    let due: StoredDelistRequest[]
    if (id) {
      const r = mustRequest(id)
      if (r.manual)
        throw new AppError(
          'UNSUPPORTED',
          `${r.listName} is a provider block, not a DNS list: its status changes only by hand.`
        )
      due = [r]
    } else due = requests.open()

    const byList = new Map<string, StoredDelistRequest[]>()
    for (const r of due) byList.set(r.list, [...(byList.get(r.list) ?? []), r])
    const out: StoredDelistRequest[] = []
    let changed = 0
    const touched = new Set<number>()
    for (const [listId, reqs] of byList) {
      const list = getList(listId)
      if (!list || list.defunct || list.kind === 'provider') continue
      let reports: TargetReport[] = []
      try {
        reports = (await runSweep({ targets: [...new Set(reqs.map((r) => r.target))], lists: [list] }))
          .reports
      } catch (e) {
        if (e instanceof AppError) throw e
        reports = [] // a failed round is inconclusive for every request of this list, never clean
      }
      for (const req of reqs) {
        const checks =
          reports.find((r) => r.target === req.target)?.results.filter((x) => x.list === list.id) ?? []
        const next: StoredDelistRequest = { ...req, ...applyRecheck(req, checks, now) }
        const saved = requests.save(next)
        touched.add(saved.caseId)
        if (saved.status !== req.status) {
          changed++
          recordChange(req, saved)
          const good = saved.status === 'delisted' || saved.status === 'expired'
          ctx.emit('toast', {
            level: good ? 'success' : 'warning',
            title: good ? `Delisted: ${saved.target}` : `Listed again: ${saved.target}`,
            message: `${saved.listName}: ${saved.timeline.at(-1)?.note ?? saved.status} (case "${view(saved).caseTitle}")`
          })
        } else if (saved.stale && !req.stale) {
          ctx.emit('toast', {
            level: 'warning',
            title: `Still listed: ${saved.target}`,
            message: `${saved.listName}: ${saved.timeline.at(-1)?.note ?? ''}`
          })
        }
        out.push(saved)
      }
    }
    for (const caseId of touched) ctx.emit('case:changed', { caseId })
    return { checked: out.length, changed, requests: out.map(view) }
  }

  return {
    'delist.create': async ({ caseId, list: listId, target, method, reference, notes, requested }) => {
      const c = mustCase(caseId)
      const list = getList(listId)
      if (!list) throw new AppError('INVALID_INPUT', `"${listId}" is not in the blocklist catalogue.`)
      if (list.defunct)
        throw new AppError(
          'INVALID_INPUT',
          `${list.name} is defunct: there is nothing to delist. A receiver still rejecting with it has a stale configuration — tell its postmaster.`
        )
      let value: string
      try {
        value = parseTarget(target).value
      } catch (e) {
        if (e instanceof TargetError)
          throw new AppError('INVALID_INPUT', `"${target}" is not an IP address or a domain name.`)
        throw e
      }
      const existing = requests.findOpen(caseId, list.id, value)
      if (existing)
        throw new AppError(
          'CONFLICT',
          `${value} on ${list.name} is already tracked in this case (request ${existing.id}, ${existing.status}).`
        )
      const now = ctx.now()
      // Evidence for the first timeline entry: the answer the case's latest sweep got.
      const scan = repos.checkRuns.latest<ScanResult>(caseId, 'blocklist')?.result
      const hit = scan?.reports.find((r) => r.target === value)?.results.find((r) => r.list === list.id)
      const evidence =
        hit?.status === 'listed' ? `A ${hit.codes.join(', ')}${hit.txt ? `; TXT ${hit.txt}` : ''}` : undefined
      let req: StoredDelistRequest = {
        ...createDelistRequest({ id: '0', list, target: value, now, note: evidence }),
        caseId,
        method: method ?? list.removal.method,
        ...(notes ? { notes } : {})
      }
      if (requested) req = applyEvent(req, { type: 'request', reference, note: notes || undefined })
      else if (reference) req = { ...req, reference }
      const saved = requests.create(caseId, req)
      const started = text('timeline:delist.started', {
        target: value,
        list: list.name,
        status: text(`blocklist:delistStatus.${saved.status}`)
      })
      repos.notes.event(
        caseId,
        saved.reference
          ? text('timeline:delist.reference', { event: started, reference: saved.reference })
          : started
      )
      repos.cases.touch(c.id)
      ctx.emit('case:changed', { caseId })
      return view(saved)
    },

    'delist.update': async ({ id, event, status, reference, notes }) => {
      const before = mustRequest(id)
      let ev: DelistEvent | undefined = event
      if (status && status !== before.status) {
        const type = STATUS_EVENT[status](before.status)
        if (!type) throw new AppError('CONFLICT', `Cannot move a request to "${status}".`)
        ev = { type, note: notes || undefined, ...(reference ? { reference } : {}) } as DelistEvent
      }
      let next = before
      if (ev) next = applyEvent(next, ev)
      if (reference && next.reference !== reference) {
        next = { ...next, ...addReference(next, reference, ctx.now()) }
      }
      if (notes && !(ev && ev.note)) next = applyEvent(next, { type: 'note', note: notes })
      if (next === before)
        throw new AppError(
          'INVALID_INPUT',
          'Nothing to change: give an event, a status, a reference or a note.'
        )
      const saved = requests.save(next)
      recordChange(before, saved)
      ctx.emit('case:changed', { caseId: saved.caseId })
      return view(saved)
    },

    'delist.list': async ({ caseId, status }) => requests.list({ caseId, status }).map(view),

    'delist.checkNow': async ({ id }) => {
      const run = recheckChain.then(() => recheck(id))
      recheckChain = run.catch(() => undefined)
      return run
    }
  }
}
