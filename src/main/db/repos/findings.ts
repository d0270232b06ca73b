import type Database from 'better-sqlite3'
import type { Finding } from '../../../shared/schemas/common'
import type { FindingStatus } from '../../../shared/schemas/workflow'

/** One row of `findings`: the case's deduplicated finding (unique per case by finding id). */
export interface FindingRow {
  caseId: number
  finding: Finding
  source: string
  status: FindingStatus
  note: string | null
  firstSeen: string
  lastSeen: string
  resolvedAt: string | null
}

interface Row {
  case_id: number
  finding_id: string
  source: string
  severity: string
  data: string
  status: FindingStatus
  note: string | null
  first_seen: string
  last_seen: string
  resolved_at: string | null
}

const toRow = (r: Row): FindingRow => ({
  caseId: r.case_id,
  finding: JSON.parse(r.data) as Finding,
  source: r.source,
  status: r.status,
  note: r.note,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  resolvedAt: r.resolved_at
})

/**
 * The case's findings. `observe` is the only way a finding enters or is refreshed: it keeps the first sighting,
 * moves the last one forward (never back: sources are replayed on every refresh), and reopens a resolved finding
 * that a later check sees again, because a fix that did not take effect must not stay "resolved".
 */
export function createFindingRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const get = db.prepare<[number, string], Row>('SELECT * FROM findings WHERE case_id = ? AND finding_id = ?')
  const insert = db.prepare(
    `INSERT INTO findings (case_id, finding_id, source, severity, data, status, first_seen, last_seen)
     VALUES (?, ?, ?, ?, ?, 'open', ?, ?)`
  )
  const refresh = db.prepare(
    'UPDATE findings SET source = ?, severity = ?, data = ?, last_seen = ? WHERE case_id = ? AND finding_id = ?'
  )
  const reopen = db.prepare(
    `UPDATE findings SET status = 'open', resolved_at = NULL, note = NULL WHERE case_id = ? AND finding_id = ?`
  )
  const setStatus = db.prepare(
    'UPDATE findings SET status = ?, note = ?, resolved_at = ? WHERE case_id = ? AND finding_id = ?'
  )
  return {
    get(caseId: number, findingId: string): FindingRow | undefined {
      const r = get.get(caseId, findingId)
      return r ? toRow(r) : undefined
    },
    /** Oldest first, so the list reads in the order things were discovered. */
    list(caseId: number): FindingRow[] {
      return (
        db.prepare('SELECT * FROM findings WHERE case_id = ? ORDER BY first_seen, id').all(caseId) as Row[]
      ).map(toRow)
    },
    /**
     * A source saw `finding` at `seenAt`. Returns what happened to the row: inserted, refreshed, reopened, or
     * unchanged (an older observation replayed after a newer one changes nothing).
     */
    observe(
      caseId: number,
      finding: Finding,
      source: string,
      seenAt: string
    ): 'inserted' | 'refreshed' | 'reopened' | 'unchanged' {
      const r = get.get(caseId, finding.id)
      if (!r) {
        insert.run(caseId, finding.id, source, finding.severity, JSON.stringify(finding), seenAt, seenAt)
        return 'inserted'
      }
      if (seenAt <= r.last_seen) return 'unchanged'
      refresh.run(source, finding.severity, JSON.stringify(finding), seenAt, caseId, finding.id)
      if (r.status === 'resolved' && r.resolved_at !== null && seenAt > r.resolved_at) {
        reopen.run(caseId, finding.id)
        return 'reopened'
      }
      return 'refreshed'
    },
    /** A later check no longer sees it. Accepted findings stay accepted: the admin's decision wins. */
    resolve(caseId: number, findingId: string, at: string, note: string | null = null): boolean {
      const r = get.get(caseId, findingId)
      if (!r || r.status !== 'open') return false
      setStatus.run('resolved', note, at, caseId, findingId)
      return true
    },
    accept(caseId: number, findingId: string, note: string): FindingRow | undefined {
      if (setStatus.run('accepted', note, now().toISOString(), caseId, findingId).changes === 0)
        return undefined
      return toRow(get.get(caseId, findingId)!)
    },
    reopen(caseId: number, findingId: string): FindingRow | undefined {
      if (reopen.run(caseId, findingId).changes === 0) return undefined
      return toRow(get.get(caseId, findingId)!)
    }
  }
}
export type FindingRepo = ReturnType<typeof createFindingRepo>
