import type { CaseTriage } from '../../../shared/contract/diagnose'
import type { Analysis } from '../../../shared/schemas/analysis'
import type { BounceRecipient } from '../../../shared/schemas/bounce'
import type { VerdictCause } from '../../../shared/schemas/verdict'

/** One piece of evidence as the triage sees it: its id and its stored analysis (undefined when unreadable). */
export interface TriageItem {
  id: number
  analysis: Analysis | undefined
}

/** RFC 3464 actions that are not failures: such recipients are not counted as failed. */
const NOT_FAILED = new Set(['delivered', 'relayed', 'expanded'])

/** A recipient that failed (or was delayed): the ones an admin has to act on. */
export function isFailedRecipient(r: BounceRecipient): boolean {
  if (r.reason === 'delivered') return false
  return !NOT_FAILED.has((r.action ?? '').trim().toLowerCase())
}

/** The receiving domain of a recipient: the address's domain, else the remote MTA, else ''. */
export function receiverDomain(r: BounceRecipient): string {
  const addr = r.recipient.trim().replace(/^<|>$/g, '')
  const at = addr.lastIndexOf('@')
  if (at >= 0 && at < addr.length - 1) return addr.slice(at + 1).toLowerCase()
  return (r.remoteMta ?? '').trim().toLowerCase()
}

/** The IP a piece of evidence is about: the one the rejection names, else the returned message's sender. */
function involvedIp(a: Analysis): string | undefined {
  if (a.verdict?.ip) return a.verdict.ip
  if (a.original?.sendingIp) return a.original.sendingIp
  // A bounce's own edge IP is the reporting server's, not the sender's.
  if (a.kind !== 'bounce' && a.kind !== 'smtp-text' && a.sendingIp) return a.sendingIp
  return undefined
}

class Counter<T> {
  readonly map = new Map<string, { key: string; count: number; extra: T }>()
  constructor(private readonly init: () => T) {}
  add(key: string, n = 1): T {
    let e = this.map.get(key)
    if (!e) {
      e = { key, count: 0, extra: this.init() }
      this.map.set(key, e)
    }
    e.count += n
    return e.extra
  }
  /** Largest count first, then by key: a stable order for the UI and the tests. */
  sorted(): { key: string; count: number; extra: T }[] {
    return [...this.map.values()].sort(
      (a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
    )
  }
}

const nothing = () => undefined

/**
 * Aggregates the analyses of a case's evidence (an mbox dropped as many pieces, or many bounces): how many
 * recipients failed for which cause and reason, which receivers and remote MTAs reject, which blocklists are named
 * for which IP, which sending IPs and domains are involved. Pure: the service reads the analyses.
 */
export function triageCase(items: TriageItem[]): CaseTriage {
  let bounces = 0
  let recipients = 0
  let unreadable = 0
  let noVerdict = 0
  const causes = new Counter(() => ({ recipients: 0, ids: [] as number[] }))
  const reasons = new Counter(nothing)
  const receivers = new Counter(() => ({ causes: new Set<VerdictCause>(), mtas: new Set<string>() }))
  const lists = new Counter(() => ({ list: '', name: '', ip: undefined as string | undefined }))
  const ips = new Counter(nothing)
  const domains = new Counter(nothing)
  const statuses = new Counter(nothing)

  for (const { id, analysis: a } of items) {
    if (!a) {
      unreadable++
      continue
    }
    const failed = (a.bounce?.recipients ?? []).filter(isFailedRecipient)
    if ((a.kind === 'bounce' || a.kind === 'smtp-text') && a.bounce && a.bounce.recipients.length > 0)
      bounces++
    recipients += failed.length
    const cause = a.verdict?.cause
    if (cause) {
      const c = causes.add(cause)
      c.recipients += failed.length
      c.ids.push(id)
    } else noVerdict++

    for (const r of failed) {
      reasons.add(r.reason)
      const rc = receivers.add(receiverDomain(r))
      if (cause) rc.causes.add(cause)
      const mta = r.remoteMta?.trim().toLowerCase()
      if (mta) rc.mtas.add(mta)
      const status = r.status?.trim() || r.replyCode?.trim()
      if (status) statuses.add(status)
    }

    const seen = new Set<string>()
    for (const l of a.verdict?.listedOn ?? []) {
      const ip = l.target ?? a.verdict?.ip
      const key = `${l.list}\u0000${ip ?? ''}`
      if (seen.has(key)) continue
      seen.add(key)
      const e = lists.add(key)
      Object.assign(e, { list: l.list, name: l.name, ip })
    }

    const ip = involvedIp(a)
    if (ip) ips.add(ip)
    const domain = (a.original?.sendingDomain ?? a.sendingDomain)?.toLowerCase()
    if (domain) domains.add(domain)
  }

  return {
    messages: items.length,
    bounces,
    recipients,
    unreadable,
    noVerdict,
    byCause: causes.sorted().map((e) => ({
      cause: e.key as VerdictCause,
      messages: e.count,
      recipients: e.extra.recipients,
      evidenceIds: e.extra.ids
    })),
    byReason: reasons.sorted().map((e) => ({ reason: e.key as BounceRecipient['reason'], count: e.count })),
    byReceiver: receivers.sorted().map((e) => ({
      domain: e.key,
      count: e.count,
      causes: [...e.extra.causes].sort(),
      remoteMtas: [...e.extra.mtas].sort()
    })),
    byList: lists.sorted().map((e) => ({
      list: e.extra.list,
      name: e.extra.name,
      ...(e.extra.ip ? { ip: e.extra.ip } : {}),
      count: e.count
    })),
    sendingIps: ips.sorted().map((e) => ({ ip: e.key, count: e.count })),
    sendingDomains: domains.sorted().map((e) => ({ domain: e.key, count: e.count })),
    statusCodes: statuses.sorted().map((e) => ({ status: e.key, count: e.count }))
  }
}
