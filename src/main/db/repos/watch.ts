import type Database from 'better-sqlite3'
import type {
  WatchAlert,
  WatchAlertKind,
  WatchRunPoint,
  WatchTargetType
} from '../../../shared/contract/watch'
import type { Text } from '../../../shared/text'
import type { BackoffEntry, Snapshot } from '../../core/watch'

export interface WatchOptions {
  selectors: string[]
  lists: string[]
}

export interface StoredWatchTarget {
  id: number
  value: string
  type: WatchTargetType
  options: WatchOptions
  snapshot: Snapshot | null
  createdAt: string
  lastRunAt: string | null
}

interface TargetRow {
  id: number
  value: string
  type: WatchTargetType
  options: string
  snapshot: string | null
  created_at: string
  last_run_at: string | null
}

interface AlertRow {
  id: number
  target_id: number
  value: string
  run_id: number | null
  kind: WatchAlertKind
  subject: string
  before: string | null
  after: string | null
  text: string
  summary: string
  case_id: number | null
  created_at: string
}

const parse = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback
  try {
    return JSON.parse(s) as T
  } catch {
    return fallback // a damaged JSON column must not stop the watch
  }
}

const toTarget = (r: TargetRow): StoredWatchTarget => ({
  id: r.id,
  value: r.value,
  type: r.type,
  options: { selectors: [], lists: [], ...parse<Partial<WatchOptions>>(r.options, {}) },
  snapshot: parse<Snapshot | null>(r.snapshot, null),
  createdAt: r.created_at,
  lastRunAt: r.last_run_at
})

const toAlert = (r: AlertRow): WatchAlert => ({
  id: r.id,
  targetId: r.target_id,
  target: r.value,
  kind: r.kind,
  text: parse<Text>(r.text, { code: 'watch:alert.unknown' }),
  summary: r.summary,
  subject: r.subject,
  before: r.before,
  after: r.after,
  runId: r.run_id,
  caseId: r.case_id,
  createdAt: r.created_at
})

/** Raw checks are kept for the latest runs of a target only: a /24 sweep is large and older ones are never opened. */
const KEEP_RESULTS = 20

export function createWatchRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const byValue = db.prepare<[string], TargetRow>('SELECT * FROM watch_targets WHERE value = ?')
  const byId = db.prepare<[number], TargetRow>('SELECT * FROM watch_targets WHERE id = ?')
  const alertSelect = `SELECT a.*, t.value FROM watch_alerts a JOIN watch_targets t ON t.id = a.target_id`
  return {
    list: (): StoredWatchTarget[] =>
      (db.prepare('SELECT * FROM watch_targets ORDER BY id').all() as TargetRow[]).map(toTarget),
    get(value: string): StoredWatchTarget | undefined {
      const r = byValue.get(value)
      return r ? toTarget(r) : undefined
    },
    getById(id: number): StoredWatchTarget | undefined {
      const r = byId.get(id)
      return r ? toTarget(r) : undefined
    },
    add(value: string, type: WatchTargetType, options: WatchOptions): StoredWatchTarget {
      const id = Number(
        db
          .prepare('INSERT INTO watch_targets (value, type, options, created_at) VALUES (?, ?, ?, ?)')
          .run(value, type, JSON.stringify(options), now().toISOString()).lastInsertRowid
      )
      return toTarget(byId.get(id)!)
    },
    setOptions(id: number, options: WatchOptions): void {
      db.prepare('UPDATE watch_targets SET options = ? WHERE id = ?').run(JSON.stringify(options), id)
    },
    remove: (id: number): boolean => db.prepare('DELETE FROM watch_targets WHERE id = ?').run(id).changes > 0,

    /** Stores one run: its counts and changes, the next snapshot, and returns the run id. */
    addRun(
      targetId: number,
      at: string,
      counts: Omit<WatchRunPoint, 'id' | 'at'>,
      changes: unknown,
      result: unknown,
      snapshot: Snapshot
    ): number {
      const id = Number(
        db
          .prepare('INSERT INTO watch_runs (target_id, at, counts, changes, result) VALUES (?, ?, ?, ?, ?)')
          .run(targetId, at, JSON.stringify(counts), JSON.stringify(changes), JSON.stringify(result))
          .lastInsertRowid
      )
      db.prepare('UPDATE watch_targets SET snapshot = ?, last_run_at = ? WHERE id = ?').run(
        JSON.stringify(snapshot),
        at,
        targetId
      )
      db.prepare(
        `UPDATE watch_runs SET result = NULL WHERE target_id = ? AND result IS NOT NULL AND id NOT IN
           (SELECT id FROM watch_runs WHERE target_id = ? ORDER BY id DESC LIMIT ${KEEP_RESULTS})`
      ).run(targetId, targetId)
      return id
    },
    runResult<T>(runId: number): T | undefined {
      const r = db.prepare('SELECT result FROM watch_runs WHERE id = ?').get(runId) as
        { result: string | null } | undefined
      return r?.result ? parse<T | undefined>(r.result, undefined) : undefined
    },
    /** Oldest first, the newest `limit`. */
    history(targetId: number, limit: number): WatchRunPoint[] {
      const rows = db
        .prepare('SELECT id, at, counts FROM watch_runs WHERE target_id = ? ORDER BY id DESC LIMIT ?')
        .all(targetId, limit) as { id: number; at: string; counts: string }[]
      return rows.reverse().map((r) => ({
        listed: 0,
        clean: 0,
        unchecked: 0,
        errors: 0,
        warnings: 0,
        alerts: 0,
        dmarcPass: null,
        ...parse<Partial<WatchRunPoint>>(r.counts, {}),
        id: r.id,
        at: r.at
      }))
    },
    lastRunAt(): string | null {
      const r = db.prepare('SELECT MAX(last_run_at) AS at FROM watch_targets').get() as { at: string | null }
      return r.at
    },

    addAlert(a: {
      targetId: number
      runId: number
      kind: WatchAlertKind
      subject: string
      before: string | null
      after: string | null
      text: Text
      summary: string
      at: string
    }): WatchAlert {
      const id = Number(
        db
          .prepare(
            `INSERT INTO watch_alerts (target_id, run_id, kind, subject, before, after, text, summary, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
          )
          .run(
            a.targetId,
            a.runId,
            a.kind,
            a.subject,
            a.before,
            a.after,
            JSON.stringify(a.text),
            a.summary,
            a.at
          ).lastInsertRowid
      )
      return this.alert(id)!
    },
    alert(id: number): WatchAlert | undefined {
      const r = db.prepare(`${alertSelect} WHERE a.id = ?`).get(id) as AlertRow | undefined
      return r ? toAlert(r) : undefined
    },
    /** Newest first. */
    alerts(targetId: number | undefined, limit: number): WatchAlert[] {
      const rows = (
        targetId === undefined
          ? db.prepare(`${alertSelect} ORDER BY a.id DESC LIMIT ?`).all(limit)
          : db.prepare(`${alertSelect} WHERE a.target_id = ? ORDER BY a.id DESC LIMIT ?`).all(targetId, limit)
      ) as AlertRow[]
      return rows.map(toAlert)
    },
    alertCount(targetId: number): number {
      return (
        db.prepare('SELECT COUNT(*) AS n FROM watch_alerts WHERE target_id = ?').get(targetId) as {
          n: number
        }
      ).n
    },
    setAlertCase(alertId: number, caseId: number): void {
      db.prepare('UPDATE watch_alerts SET case_id = ? WHERE id = ?').run(caseId, alertId)
    },

    link(targetId: number, caseId: number): void {
      db.prepare('INSERT OR IGNORE INTO watch_case_links (target_id, case_id) VALUES (?, ?)').run(
        targetId,
        caseId
      )
    },
    cases(targetId: number): number[] {
      return (
        db
          .prepare('SELECT case_id FROM watch_case_links WHERE target_id = ? ORDER BY case_id')
          .all(targetId) as { case_id: number }[]
      ).map((r) => r.case_id)
    },

    backoff(): Record<string, BackoffEntry> {
      const out: Record<string, BackoffEntry> = {}
      for (const r of db.prepare('SELECT * FROM watch_backoff').all() as {
        list_id: string
        level: number
        until: string
        reason: string
      }[])
        out[r.list_id] = { level: r.level, until: r.until, reason: r.reason }
      return out
    },
    setBackoff(list: string, entry: BackoffEntry | undefined): void {
      if (!entry) db.prepare('DELETE FROM watch_backoff WHERE list_id = ?').run(list)
      else
        db.prepare(
          `INSERT INTO watch_backoff (list_id, level, until, reason) VALUES (?, ?, ?, ?)
           ON CONFLICT(list_id) DO UPDATE SET level = excluded.level, until = excluded.until, reason = excluded.reason`
        ).run(list, entry.level, entry.until, entry.reason)
    }
  }
}
export type WatchRepo = ReturnType<typeof createWatchRepo>
