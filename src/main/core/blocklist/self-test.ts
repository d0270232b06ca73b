import type { BlocklistEntry, ListType } from '../../../shared/schemas/blocklist'
import type { DnsAnswer, DnsClient } from '../dns/types'
import { classifyAnswer } from './codes'
import { queryName, testPointLabel } from './targets'
import { runQuery } from './query'
import { runQueue } from './work-queue'

/**
 * RFC 5782 §5 health check. Every list MUST list 127.0.0.2 (::FFFF:7F00:2, TEST) and MUST NOT list 127.0.0.1
 * (::FFFF:7F00:1, INVALID). A list that fails through *this* resolver cannot be trusted for a verdict: a dead
 * zone whose domain was taken by a squatter lists the whole internet (SpamCannibal, AHBL — see
 * https://wordtothewise.com/2018/05/spamcannibal-is-dead), and a resolver refused by the operator answers
 * NXDOMAIN or an error code for everything, which would otherwise read as "clean".
 */

/**
 * `unverifiable`: the list publishes no "not listed" test point and the RFC 5782 §5 INVALID point could not be
 * checked, so nothing shows that it answers like a real list rather than a wildcard: its listings are not shown
 * as listings.
 */
export type HealthStatus = 'ok' | 'unreliable' | 'refused' | 'unverifiable' | 'unknown' | 'untested'

export interface ListHealth {
  list: string
  type: ListType
  status: HealthStatus
  reason?: string
}

/** Keyed `${listId}:${type}`. */
export type HealthReport = Map<string, ListHealth>

export interface SweepKeys {
  /** Spamhaus Data Query Service key (https://docs.spamhaus.com/, "<key>.zen.dq.spamhaus.net"). */
  dqs?: string
  /** Abusix Mail Intelligence key ("<key>.combined.mail.abusix.zone"). */
  abusix?: string
}

export function healthKey(list: string, type: ListType): string {
  return `${list}:${type}`
}

/** The zone to query for a list, given the keys; undefined when the list needs a key that is missing. */
export function zoneFor(list: BlocklistEntry, keys: SweepKeys = {}): string | undefined {
  const key = list.keyProvider ? keys[list.keyProvider] : undefined
  if (key && list.keyZone) return list.keyZone.replace('<key>', key)
  if (list.requiresKey) return undefined
  return list.zone
}

export interface SelfTestOptions {
  keys?: SweepKeys
  concurrency?: number
  timeoutMs?: number
  retries?: number
  signal?: AbortSignal
  /** Extra cache discriminator, e.g. the resolver's server list; the client object is always part of the key. */
  cacheKey?: string
  /** Bypass and refresh the per-session cache. */
  refresh?: boolean
}

const sessionCache = new WeakMap<DnsClient, Map<string, Promise<ListHealth>>>()

/** Forget every cached self-test (e.g. after the user changes resolver settings). */
export function clearSelfTestCache(client?: DnsClient): void {
  if (client) sessionCache.delete(client)
}

interface Probe {
  list: BlocklistEntry
  type: ListType
  zone: string
  expectListed: boolean
  point: string
  /** The RFC 5782 §5 INVALID point, probed because the catalogue has no "not listed" point for this list. */
  implied?: boolean
}

/**
 * RFC 5782 §5: an IPv4 list MUST NOT list 127.0.0.1, an IPv6 list ::FFFF:7F00:1, a domain list "invalid".
 * Probed for every list whose catalogue entry has no "not listed" point of its own (hostkarma uses 127.0.0.1
 * as its whitelist code, so it has none).
 */
export const RFC5782_INVALID: Record<ListType, string> = {
  ip4: '127.0.0.1',
  ip6: '::ffff:7f00:1',
  domain: 'invalid'
}

function judge(probe: Probe, answer: DnsAnswer): ListHealth | 'pass' {
  const c = classifyAnswer(probe.list, answer)
  const base = { list: probe.list.id, type: probe.type }
  if (c.status === 'error' && probe.implied)
    return {
      ...base,
      status: 'unverifiable',
      reason: `Unverifiable: the list publishes no "not listed" test point, and the RFC 5782 §5 point ${probe.point} could not be checked (${c.reason})`
    }
  if (c.status === 'error')
    return { ...base, status: 'unknown', reason: `Self-test query for ${probe.point} failed: ${c.reason}` }
  if (c.status === 'refused')
    return {
      ...base,
      status: 'refused',
      reason: `Test point ${probe.point} answered ${c.codes.join(', ')}: ${c.reason}`
    }
  if (c.status === 'unreliable') return { ...base, status: 'unreliable', reason: c.reason }
  if (probe.expectListed && c.status === 'clean') {
    return {
      ...base,
      status: 'unreliable',
      reason: `Does not list the RFC 5782 §5 test point ${probe.point} through this resolver (dead zone, or the resolver is refused/filtered)`
    }
  }
  // A mixed list may answer the INVALID point with one of its allow codes (hostkarma: 127.0.0.1 = whitelisted);
  // only a blocking answer there shows a zone that lists everything.
  if (!probe.expectListed && c.status === 'listed' && (!probe.implied || c.polarity === 'block')) {
    return {
      ...base,
      status: 'unreliable',
      reason: `Lists the never-listed test point ${probe.point} (${c.codes.join(', ')}): the zone answers for everything (wildcard/defunct)`
    }
  }
  return 'pass'
}

/**
 * Query each list's test points once per client (and cache key) and return the health of every (list, type).
 * Worst outcome wins per (list, type): unreliable > refused > unverifiable > unknown > ok.
 */
export async function selfTest(
  lists: BlocklistEntry[],
  client: DnsClient,
  opts: SelfTestOptions = {}
): Promise<HealthReport> {
  const keys = opts.keys ?? {}
  let cache = sessionCache.get(client)
  if (!cache) {
    cache = new Map()
    sessionCache.set(client, cache)
  }
  const report: HealthReport = new Map()
  const pending: { key: string; probes: Probe[]; resolve: (h: ListHealth) => void }[] = []
  const waits: Promise<void>[] = []

  for (const list of lists) {
    if (list.defunct || list.kind === 'provider') continue
    const zone = zoneFor(list, keys)
    for (const type of list.type) {
      const hk = healthKey(list.id, type)
      const points = list.testPoints[type]
      if (!zone) {
        report.set(hk, { list: list.id, type, status: 'untested', reason: 'Needs a key' })
        continue
      }
      const listed = points?.listed ?? []
      const notListed = points?.notListed.length ? points.notListed : [RFC5782_INVALID[type]]
      const ck = `${opts.cacheKey ?? ''}|${hk}|${zone}`
      let p = opts.refresh ? undefined : cache.get(ck)
      if (!p) {
        let resolve!: (h: ListHealth) => void
        p = new Promise<ListHealth>((r) => (resolve = r))
        cache.set(ck, p)
        const implied = !points?.notListed.length
        const probes: Probe[] = [
          ...listed.map((point) => ({ list, type, zone, point, expectListed: true })),
          ...notListed.map((point) => ({ list, type, zone, point, expectListed: false, implied }))
        ]
        pending.push({ key: ck, probes, resolve })
      }
      waits.push(p.then((h) => void report.set(hk, h)))
    }
  }

  const rank: Record<HealthStatus, number> = {
    unreliable: 5,
    refused: 4,
    unverifiable: 3,
    unknown: 2,
    ok: 1,
    untested: 0
  }
  const results = new Map<string, ListHealth>()
  const flat = pending.flatMap((g) => g.probes.map((probe) => ({ g, probe })))
  /** Codes answered per group and point kind, to tell a real list from one that answers everything alike. */
  const answered = new Map<string, { test?: string; invalid?: string }>()
  try {
    await runQueue(
      flat,
      async ({ g, probe }) => {
        const answer = await runQuery(
          client,
          queryName(testPointLabel(probe.point, probe.type), probe.zone),
          'A',
          {
            timeoutMs: opts.timeoutMs ?? 2000,
            retries: opts.retries ?? 1,
            signal: opts.signal
          }
        )
        const verdict = judge(probe, answer)
        if (probe.implied && answer.status === 'ok') {
          const seen = answered.get(g.key) ?? {}
          answered.set(g.key, seen)
          seen.invalid = answer.records.map(String).sort().join(',')
        } else if (probe.expectListed && answer.status === 'ok') {
          const seen = answered.get(g.key) ?? {}
          answered.set(g.key, seen)
          seen.test = answer.records.map(String).sort().join(',')
        }
        const current = results.get(g.key)
        const next: ListHealth =
          verdict === 'pass' ? { list: probe.list.id, type: probe.type, status: 'ok' } : verdict
        if (!current || rank[next.status] > rank[current.status]) results.set(g.key, next)
      },
      { concurrency: opts.concurrency ?? 32, signal: opts.signal }
    )
  } catch (err) {
    // Do not cache half-finished tests, and release any concurrent caller waiting on them.
    for (const g of pending) {
      cache.delete(g.key)
      g.resolve({
        list: g.probes[0].list.id,
        type: g.probes[0].type,
        status: 'unknown',
        reason: 'Self-test cancelled'
      })
    }
    throw err
  }
  for (const g of pending) {
    const { list, type } = g.probes[0]
    let h: ListHealth = results.get(g.key) ?? { list: list.id, type, status: 'unknown', reason: 'not run' }
    const seen = answered.get(g.key)
    if (h.status === 'ok' && seen?.test !== undefined && seen.test === seen.invalid) {
      // A real list tells its TEST point from the INVALID one; the same answer for both is a wildcard.
      h = {
        list: list.id,
        type,
        status: 'unreliable',
        reason: `Answers ${seen.test} for both RFC 5782 §5 test points (${RFC5782_INVALID[type]} must not be listed): the zone answers for everything (wildcard/defunct)`
      }
    }
    if (h.status === 'ok' && !g.probes.some((p) => p.expectListed)) {
      // Nothing to compare with: the zone does not wildcard, but whether it lists anything is unknown.
      h = { list: list.id, type, status: 'untested', reason: `No published ${type} test points` }
    }
    g.resolve(h)
  }
  await Promise.all(waits)
  return report
}
