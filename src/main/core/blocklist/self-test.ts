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

export type HealthStatus = 'ok' | 'unreliable' | 'refused' | 'unknown' | 'untested'

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
}

function judge(probe: Probe, answer: DnsAnswer): ListHealth | 'pass' {
  const c = classifyAnswer(probe.list, answer)
  const base = { list: probe.list.id, type: probe.type }
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
  if (!probe.expectListed && c.status === 'listed') {
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
 * Worst outcome wins per (list, type): unreliable > refused > unknown > ok.
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
      if (!points || points.listed.length + points.notListed.length === 0) {
        report.set(hk, {
          list: list.id,
          type,
          status: 'untested',
          reason: `No published ${type} test points`
        })
        continue
      }
      const ck = `${opts.cacheKey ?? ''}|${hk}|${zone}`
      let p = opts.refresh ? undefined : cache.get(ck)
      if (!p) {
        let resolve!: (h: ListHealth) => void
        p = new Promise<ListHealth>((r) => (resolve = r))
        cache.set(ck, p)
        const probes: Probe[] = [
          ...points.listed.map((point) => ({ list, type, zone, point, expectListed: true })),
          ...points.notListed.map((point) => ({ list, type, zone, point, expectListed: false }))
        ]
        pending.push({ key: ck, probes, resolve })
      }
      waits.push(p.then((h) => void report.set(hk, h)))
    }
  }

  const rank: Record<HealthStatus, number> = { unreliable: 4, refused: 3, unknown: 2, ok: 1, untested: 0 }
  const results = new Map<string, ListHealth>()
  const flat = pending.flatMap((g) => g.probes.map((probe) => ({ g, probe })))
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
  for (const g of pending)
    g.resolve(
      results.get(g.key) ?? {
        list: g.probes[0].list.id,
        type: g.probes[0].type,
        status: 'unknown',
        reason: 'not run'
      }
    )
  await Promise.all(waits)
  return report
}
