import type Database from 'better-sqlite3'

export type CheckKind = 'domain' | 'blocklist' | 'verify'

export interface CheckRun<T = unknown> {
  id: number
  caseId: number | null
  kind: CheckKind
  target: string
  result: T
  createdAt: string
}

interface Row {
  id: number
  case_id: number | null
  kind: CheckKind
  target: string
  result: string
  created_at: string
}
const toRun = <T>(r: Row): CheckRun<T> => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  target: r.target,
  result: JSON.parse(r.result) as T,
  createdAt: r.created_at
})

/** Results of domain checks, blocklist sweeps and verify runs, kept so Verify can show before/after. */
export function createCheckRunRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const insert = db.prepare(
    'INSERT INTO check_runs (case_id, kind, target, result, created_at) VALUES (?, ?, ?, ?, ?)'
  )
  return {
    add<T>(caseId: number | null, kind: CheckKind, target: string, result: T): CheckRun<T> {
      const createdAt = now().toISOString()
      const id = Number(insert.run(caseId, kind, target, JSON.stringify(result), createdAt).lastInsertRowid)
      return { id, caseId, kind, target, result, createdAt }
    },
    /** Newest first. */
    list<T>(caseId: number, kind?: CheckKind, limit = 50): CheckRun<T>[] {
      const rows = (
        kind
          ? db
              .prepare('SELECT * FROM check_runs WHERE case_id = ? AND kind = ? ORDER BY id DESC LIMIT ?')
              .all(caseId, kind, limit)
          : db
              .prepare('SELECT * FROM check_runs WHERE case_id = ? ORDER BY id DESC LIMIT ?')
              .all(caseId, limit)
      ) as Row[]
      return rows.map((r) => toRun<T>(r))
    },
    latest<T>(caseId: number, kind: CheckKind, target?: string): CheckRun<T> | undefined {
      const r = (
        target === undefined
          ? db
              .prepare('SELECT * FROM check_runs WHERE case_id = ? AND kind = ? ORDER BY id DESC LIMIT 1')
              .get(caseId, kind)
          : db
              .prepare(
                'SELECT * FROM check_runs WHERE case_id = ? AND kind = ? AND target = ? ORDER BY id DESC LIMIT 1'
              )
              .get(caseId, kind, target)
      ) as Row | undefined
      return r ? toRun<T>(r) : undefined
    }
  }
}
export type CheckRunRepo = ReturnType<typeof createCheckRunRepo>
