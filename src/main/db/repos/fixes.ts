import type Database from 'better-sqlite3'
import type { FixKind, FixOutput, StoredFix } from '../../../shared/schemas/workflow'

interface Row {
  id: number
  case_id: number
  kind: FixKind
  title: string
  input: string
  output: string
  created_at: string
}
const toFix = (r: Row): StoredFix => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  title: r.title,
  input: JSON.parse(r.input) as Record<string, unknown>,
  output: JSON.parse(r.output) as FixOutput,
  createdAt: r.created_at
})

/**
 * Fixes generated for a case (SPF record, DMARC plan, DKIM public record, relay config...). Only public output is
 * stored: the DKIM generator's private key never reaches this repository (the service strips it).
 */
export function createFixRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const byId = db.prepare<[number], Row>('SELECT * FROM fixes WHERE id = ?')
  const insert = db.prepare(
    'INSERT INTO fixes (case_id, kind, title, input, output, created_at) VALUES (?, ?, ?, ?, ?, ?)'
  )
  return {
    add(
      caseId: number,
      kind: FixKind,
      title: string,
      input: Record<string, unknown>,
      output: FixOutput
    ): StoredFix {
      const id = Number(
        insert.run(caseId, kind, title, JSON.stringify(input), JSON.stringify(output), now().toISOString())
          .lastInsertRowid
      )
      return toFix(byId.get(id)!)
    },
    get(id: number): StoredFix | undefined {
      const r = byId.get(id)
      return r ? toFix(r) : undefined
    },
    /** Newest first: the last generated record is the one the admin most likely published. */
    listForCase(caseId: number): StoredFix[] {
      return (db.prepare('SELECT * FROM fixes WHERE case_id = ? ORDER BY id DESC').all(caseId) as Row[]).map(
        toFix
      )
    },
    delete: (id: number): boolean => db.prepare('DELETE FROM fixes WHERE id = ?').run(id).changes > 0
  }
}
export type FixRepo = ReturnType<typeof createFixRepo>
