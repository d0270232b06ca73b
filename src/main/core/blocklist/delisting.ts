import type {
  BlocklistEntry,
  DelistEvent,
  DelistRequest,
  DelistStatus,
  ListResult,
  TimelineEntry
} from '../../../shared/schemas/blocklist'
import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'

/**
 * Delisting as tracked work: a pure state machine with an injected clock (every function takes `now`).
 *
 *   listed ──request──▶ requested ──acknowledge──▶ pending
 *     │                   │  │                       │ │
 *     │                   │  └──────confirm/recheck──┼─┴──▶ delisted ──relist──▶ listed
 *     │                   └──reject──────────────────┴────▶ rejected ──retry──▶ requested / relist ──▶ listed
 *     └──expire / recheck (automatic lists)────────────────▶ expired ──relist──▶ listed
 *
 * DNS lists move to delisted/expired only through re-checks (applyRecheck): every check of the list must come
 * back clean twice in a row, because operators publish through many mirrors and caches (c-ares caches too), so
 * one clean answer can be a stale mirror. Provider blocks (Microsoft, Gmail, Yahoo, Proofpoint, Mimecast,
 * Barracuda ESS, Talos) are `manual`: they change only through explicit events.
 */

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError'
  constructor(
    readonly from: DelistStatus,
    readonly event: DelistEvent['type']
  ) {
    super(`cannot ${event} a request that is ${from}`)
  }
}

const TRANSITIONS: Record<
  Exclude<DelistEvent['type'], 'note'>,
  Partial<Record<DelistStatus, DelistStatus>>
> = {
  request: { listed: 'requested' },
  acknowledge: { requested: 'pending' },
  confirm: { requested: 'delisted', pending: 'delisted', listed: 'delisted' },
  reject: { requested: 'rejected', pending: 'rejected' },
  expire: { listed: 'expired', requested: 'expired', pending: 'expired' },
  relist: { delisted: 'listed', expired: 'listed', rejected: 'listed' },
  retry: { rejected: 'requested' }
}

/** The note an event gets when the admin wrote none (listing:timeline.<event>). */
const defaultNote = (type: DelistEvent['type']): Text => text(`listing:timeline.${type}`)

export function canTransition(from: DelistStatus, event: DelistEvent['type']): boolean {
  if (event === 'note') return true
  return TRANSITIONS[event][from] !== undefined
}

export interface CreateDelistOptions {
  id: string
  list: BlocklistEntry
  target: string
  now: Date
  /** Evidence for the first timeline entry, e.g. "A 127.0.0.2; TXT ...". */
  note?: string
}

export function createDelistRequest(opts: CreateDelistOptions): DelistRequest {
  const at = opts.now.toISOString()
  const { list } = opts
  return {
    id: opts.id,
    list: list.id,
    listName: list.name,
    target: opts.target,
    status: 'listed',
    manual: list.kind === 'provider' || list.manual === true,
    automatic: list.removal.method === 'automatic',
    expectedDelayHours: list.removal.expectedDelayHours,
    removalUrl: list.removal.url,
    createdAt: at,
    updatedAt: at,
    cleanStreak: 0,
    stale: false,
    timeline: [
      opts.note
        ? { at, from: 'listed', to: 'listed', note: opts.note }
        : noteEntry(
            at,
            'listed',
            'listed',
            text('listing:timeline.tracking', { target: opts.target, list: list.name })
          )
    ]
  }
}

/** A timeline entry; the app's own notes are Texts (rendered in English in `note`), the admin's stay verbatim. */
function noteEntry(at: string, from: DelistStatus, to: DelistStatus, note: string | Text): TimelineEntry {
  return typeof note === 'string'
    ? { at, from, to, note }
    : { at, from, to, note: renderText('en', note), noteText: note }
}

function push(req: DelistRequest, at: string, to: DelistStatus, note: string | Text): DelistRequest {
  return {
    ...req,
    status: to,
    updatedAt: at,
    timeline: [...req.timeline, noteEntry(at, req.status, to, note)]
  }
}

/** A new reference (ticket number) from the operator: kept on the request, and noted in its timeline as a Text. */
export function addReference(req: DelistRequest, reference: string, now: Date): DelistRequest {
  const next = push(req, now.toISOString(), req.status, text('listing:timeline.reference', { reference }))
  return { ...next, reference }
}

/** Apply one event; throws InvalidTransitionError when the event is not allowed from the current status. */
export function transition(req: DelistRequest, event: DelistEvent, now: Date): DelistRequest {
  const at = now.toISOString()
  if (event.type === 'note') return push(req, at, req.status, event.note)
  const to = TRANSITIONS[event.type][req.status]
  if (!to) throw new InvalidTransitionError(req.status, event.type)
  // DNS lists are confirmed by re-checks; a manual "confirm" from listed only makes sense for providers.
  if (event.type === 'confirm' && req.status === 'listed' && !req.manual)
    throw new InvalidTransitionError(req.status, event.type)
  let next = push(req, at, to, event.note ?? defaultNote(event.type))
  if ('reference' in event && event.reference) next = { ...next, reference: event.reference }
  if (event.type === 'request' || event.type === 'retry') next = { ...next, requestedAt: at, stale: false }
  if (to === 'delisted' || to === 'expired' || to === 'listed')
    next = { ...next, stale: false, cleanStreak: 0 }
  return next
}

export type RecheckOutcome = 'clean' | 'listed' | 'inconclusive'

/** Reduce every check of the request's list (several resolvers, zone + DQS zone ...) to one outcome. */
export function recheckOutcome(checks: Pick<ListResult, 'status' | 'polarity'>[]): RecheckOutcome {
  if (checks.some((c) => c.status === 'listed' && c.polarity !== 'allow')) return 'listed'
  if (checks.length > 0 && checks.every((c) => c.status === 'clean')) return 'clean'
  return 'inconclusive'
}

export const CLEAN_CHECKS_REQUIRED = 2

/**
 * Feed one re-check round into the request.
 *  - listed: streak reset; a delisted/expired request goes back to listed; stale when requested longer ago
 *    than the list's expectedDelayHours.
 *  - clean (every check clean): streak +1; at 2 in a row → delisted, or expired when it was never requested
 *    (the listing aged out, e.g. UCEPROTECT's 7 days).
 *  - inconclusive (errors, refusals, unreliable): recorded, streak unchanged — "could not check" is not clean.
 * Manual (provider) requests are never re-checked: returned unchanged.
 */
export function applyRecheck(
  req: DelistRequest,
  checks: Pick<ListResult, 'status' | 'polarity' | 'codes'>[],
  now: Date
): DelistRequest {
  if (req.manual) return req
  const at = now.toISOString()
  const outcome = recheckOutcome(checks)
  let next: DelistRequest = { ...req, lastCheckedAt: at }

  if (outcome === 'listed') {
    const codes = [...new Set(checks.flatMap((c) => c.codes ?? []))].join(', ')
    if (next.status === 'delisted' || next.status === 'expired') {
      return {
        ...push(next, at, 'listed', text('listing:timeline.listedAgain', { codes })),
        cleanStreak: 0,
        stale: false
      }
    }
    next = { ...next, cleanStreak: 0 }
    const waitingSince = next.requestedAt ? Date.parse(next.requestedAt) : undefined
    const overdue =
      (next.status === 'requested' || next.status === 'pending') &&
      waitingSince !== undefined &&
      next.expectedDelayHours !== undefined &&
      now.getTime() - waitingSince > next.expectedDelayHours * 3_600_000
    if (overdue && !next.stale) {
      return {
        ...push(
          next,
          at,
          next.status,
          text('listing:timeline.overdue', {
            hours: Math.round((now.getTime() - (waitingSince as number)) / 3_600_000),
            expected: next.expectedDelayHours
          })
        ),
        stale: true
      }
    }
    return req.cleanStreak > 0
      ? push(next, at, next.status, text('listing:timeline.stillListed', { codes }))
      : next
  }

  if (outcome === 'inconclusive') {
    return push(next, at, next.status, text('listing:timeline.inconclusive'))
  }

  if (next.status === 'delisted' || next.status === 'expired' || next.status === 'rejected') {
    return next
  }
  const streak = next.cleanStreak + 1
  next = { ...next, cleanStreak: streak }
  if (streak < CLEAN_CHECKS_REQUIRED)
    return push(
      next,
      at,
      next.status,
      text('listing:timeline.clean', { streak, required: CLEAN_CHECKS_REQUIRED })
    )
  // Nobody asked: the listing aged out. Asked: the request worked.
  const to: DelistStatus = next.status === 'listed' ? 'expired' : 'delisted'
  return {
    ...push(next, at, to, text('listing:timeline.cleanDone', { required: CLEAN_CHECKS_REQUIRED })),
    stale: false
  }
}

/** Requests requested longer ago than expected and not yet resolved (for a "needs follow-up" view). */
export function isOverdue(req: DelistRequest, now: Date): boolean {
  if (req.status !== 'requested' && req.status !== 'pending') return false
  if (!req.requestedAt || req.expectedDelayHours === undefined) return false
  return now.getTime() - Date.parse(req.requestedAt) > req.expectedDelayHours * 3_600_000
}

export type { TimelineEntry }
