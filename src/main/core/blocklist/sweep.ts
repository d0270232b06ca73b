import type {
  BlocklistEntry,
  ListResult,
  TargetReport,
  TargetSummary
} from '../../../shared/schemas/blocklist'
import type { DnsAnswer, DnsClient } from '../dns/types'
import { classifyAnswer } from './codes'
import { runQuery } from './query'
import { healthKey, selfTest, zoneFor, type HealthReport, type SweepKeys } from './self-test'
import { parseTarget, queryName, TargetError, type Target } from './targets'
import { runQueue } from './work-queue'
import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'

/**
 * Query every target against every applicable list (RFC 5782 §2: A query for <label>.<zone>, TXT only when
 * listed to fetch the operator's explanation).
 *
 * Results are never optimistic: NXDOMAIN is "clean" only when the list passed its self-test through the same
 * resolver; error codes (Spamhaus 127.255.255.x, URIBL/SURBL 127.0.0.1) are "refused"; timeouts/SERVFAIL/REFUSED
 * are "error" (could not check); answers outside 127/8 are "unreliable".
 */

export interface SweepProgress {
  done: number
  total: number
  list: string
  target: string
}

export interface SweepOptions {
  /** IPs (v4/v6) and domains; domains are only checked against domain lists. */
  targets: string[]
  lists: BlocklistEntry[]
  client: DnsClient
  /** Queries in flight at most (default 32). */
  concurrency?: number
  /** Deadline per query attempt (default 2000 ms). */
  timeoutMs?: number
  /** Extra attempts after timeout/SERVFAIL/REFUSED (default 1). */
  retries?: number
  keys?: SweepKeys
  signal?: AbortSignal
  onProgress?: (p: SweepProgress) => void
  /** Injected clock, for `checkedAt`. */
  now?: () => Date
  /** true (default): run/reuse the session self-test; false: skip it; or pass a precomputed report. */
  selfTest?: boolean | HealthReport
}

export interface SweepResult {
  checkedAt: string
  reports: TargetReport[]
  /** Targets that could not be parsed. */
  invalid: { input: string; reason: string }[]
  health: HealthReport
}

interface Task {
  target: Target
  list: BlocklistEntry
  zone: string
  slot: number
}

function redact(name: string, keys: SweepKeys): string {
  let out = name
  for (const k of [keys.dqs, keys.abusix]) if (k) out = out.split(k).join('<key>')
  return out
}

function rangeNote(t: Target): Text | undefined {
  if (!t.range || t.range === 'unicast') return undefined
  return text('listing:note.range', { target: t.value, range: t.range })
}

/** Run the sweep and return one report per valid target, in input order (results in list order). */
export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const keys = opts.keys ?? {}
  const now = opts.now ?? (() => new Date())
  const concurrency = opts.concurrency ?? 32
  const timeoutMs = opts.timeoutMs ?? 2000
  const retries = opts.retries ?? 1
  const lists = opts.lists.filter((l) => !l.defunct && l.kind !== 'provider' && !l.manual)

  const invalid: SweepResult['invalid'] = []
  const targets: Target[] = []
  const seen = new Set<string>()
  for (const input of opts.targets) {
    try {
      const t = parseTarget(input)
      if (seen.has(`${t.type}:${t.value}`)) continue
      seen.add(`${t.type}:${t.value}`)
      targets.push(t)
    } catch (err) {
      if (!(err instanceof TargetError)) throw err
      invalid.push({ input, reason: err.message })
    }
  }

  const health: HealthReport =
    opts.selfTest instanceof Map
      ? opts.selfTest
      : opts.selfTest === false
        ? new Map()
        : await selfTest(lists, opts.client, { keys, concurrency, timeoutMs, retries, signal: opts.signal })

  const reports: TargetReport[] = []
  const slots: (ListResult | undefined)[][] = []
  const tasks: Task[] = []
  for (const target of targets) {
    const skipped: TargetSummary['skipped'] = []
    const row: (ListResult | undefined)[] = []
    for (const list of lists) {
      if (!list.type.includes(target.type)) continue
      const zone = zoneFor(list, keys)
      if (!zone) {
        const reasonText = text('listing:note.needsKey', {
          provider: list.keyProvider === 'dqs' ? 'Spamhaus DQS' : 'Abusix'
        })
        skipped.push({ list: list.id, reason: renderText('en', reasonText), reasonText })
        continue
      }
      tasks.push({ target, list, zone, slot: row.length })
      row.push(undefined)
    }
    slots.push(row)
    const notes = [rangeNote(target)].filter((n): n is Text => !!n)
    reports.push({
      target: target.value,
      type: target.type,
      results: [],
      summary: emptySummary(skipped, notes)
    })
  }
  const rowOf = new Map(targets.map((t, i) => [t, i]))

  const total = tasks.length
  let done = 0
  await runQueue(
    tasks,
    async (task) => {
      const result = await checkOne(task, opts.client, health, keys, {
        timeoutMs,
        retries,
        signal: opts.signal
      })
      const row = slots[rowOf.get(task.target) as number]
      if (row[task.slot] !== undefined)
        throw new Error(`duplicate result for ${task.list.id} ${task.target.value}`)
      row[task.slot] = result
      done++
      opts.onProgress?.({ done, total, list: task.list.id, target: task.target.value })
    },
    { concurrency, signal: opts.signal }
  )

  reports.forEach((r, i) => {
    r.results = slots[i].filter((x): x is ListResult => !!x)
    r.summary = summarise(r.results, r.summary.skipped, r.summary.noteTexts ?? [], lists)
  })
  return { checkedAt: now().toISOString(), reports, invalid, health }
}

async function checkOne(
  task: Task,
  client: DnsClient,
  health: HealthReport,
  keys: SweepKeys,
  q: { timeoutMs: number; retries: number; signal?: AbortSignal }
): Promise<ListResult> {
  const { list, target, zone } = task
  const name = queryName(target.label, zone)
  const answer = await runQuery(client, name, 'A', q)
  const c = classifyAnswer(list, answer)
  const result: ListResult = {
    list: list.id,
    zone: list.zone ?? zone,
    query: redact(name, keys),
    kind: list.kind,
    status: c.status,
    codes: c.codes,
    meanings: c.meanings,
    ms: answer.ms
  }
  if ('reason' in c && c.reason) result.reason = c.reason
  if (c.status === 'error') result.failure = failureOf(answer)
  // A list that failed its RFC 5782 §5 self-test through this resolver gives no verdict at all.
  const h = health.get(healthKey(list.id, target.type))
  if (h?.status === 'unreliable') {
    result.status = 'unreliable'
    result.reason = h.reason
  } else if (h?.status === 'unverifiable' && result.status === 'listed') {
    // RFC 5782 §5: without a negative point that answered, a listing may be a wildcard's; never show it as one.
    result.status = 'unreliable'
    result.reason = `Answered ${c.codes.join(', ')}, not shown as a listing. ${h.reason}`
  } else if (h?.status === 'unverifiable' && result.status === 'clean') {
    result.reason = h.reason
  } else if (h?.status === 'refused' && (result.status === 'clean' || result.status === 'listed')) {
    result.status = 'refused'
    result.reason = h.reason
  } else if (h?.status === 'unknown' && result.status === 'clean') {
    result.reason = `Self-test inconclusive: ${h.reason ?? 'unknown'}`
  }
  if (result.status === 'listed' && c.status === 'listed') {
    result.polarity = c.polarity
    if (c.polarity === 'block') {
      result.delist = { method: list.removal.method, url: list.removal.url }
      // TXT only for a real listing: the operator's explanation and lookup link (RFC 5782 §2.1).
      const txt = await runQuery(client, name, 'TXT', { ...q, retries: 0 })
      if (txt.status === 'ok') {
        result.txt = txt.records.map((r) => (Array.isArray(r) ? r.join('') : String(r))).join(' | ')
      }
      result.ms = Math.round((answer.ms + txt.ms) * 10) / 10
    }
  }
  return result
}

function failureOf(answer: DnsAnswer): NonNullable<ListResult['failure']> {
  return answer.status === 'timeout' || answer.status === 'servfail' || answer.status === 'refused'
    ? answer.status
    : 'error'
}

function emptySummary(skipped: TargetSummary['skipped'], notes: Text[]): TargetSummary {
  return {
    listed: 0,
    allowListed: 0,
    clean: 0,
    refused: 0,
    unreliable: 0,
    error: 0,
    skipped,
    listedOn: [],
    notes: notes.map((t) => renderText('en', t)),
    noteTexts: notes
  }
}

function summarise(
  results: ListResult[],
  skipped: TargetSummary['skipped'],
  notes: Text[],
  lists: BlocklistEntry[]
): TargetSummary {
  const s = emptySummary(skipped, [])
  const noteTexts = [...notes]
  const byId = new Map(lists.map((l) => [l.id, l]))
  for (const r of results) {
    if (r.status === 'listed') {
      if (r.polarity === 'block') {
        s.listed++
        s.listedOn.push(byId.get(r.list)?.name ?? r.list)
      } else if (r.polarity === 'allow') s.allowListed++
    } else s[r.status]++
  }
  if (s.refused) noteTexts.push(text('listing:note.refused', { count: s.refused }))
  if (s.error) {
    // REFUSED is the resolver's policy (RFC 1035 §4.1.1 RCODE 5), not a fault that passes: say it by name.
    const kinds = new Map<string, number>()
    for (const r of results)
      if (r.status === 'error') kinds.set(r.failure ?? 'error', (kinds.get(r.failure ?? 'error') ?? 0) + 1)
    const detail = [...kinds]
      .map(([k, n]) => text(`listing:note.failure.${k}`, { count: n }))
      .reduce((acc, t) => text('listing:note.join', { a: acc, b: t }))
    noteTexts.push(text('listing:note.errors', { count: s.error, detail }))
  }
  if (skipped.length) noteTexts.push(text('listing:note.skipped', { count: skipped.length }))
  return { ...s, noteTexts, notes: noteTexts.map((t) => renderText('en', t)) }
}
