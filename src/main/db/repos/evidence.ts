import type Database from 'better-sqlite3'
import type { EvidenceSummary } from '../../../shared/schemas/case'

interface EvidenceRow {
  id: number
  case_id: number
  name: string
  kind: string
  sha256: string
  size: number
  subject: string | null
  created_at: string
}
const toSummary = (r: EvidenceRow): EvidenceSummary => ({
  id: r.id,
  caseId: r.case_id,
  name: r.name,
  kind: r.kind,
  sha256: r.sha256,
  size: r.size,
  subject: r.subject,
  createdAt: r.created_at
})

export interface NewEvidence {
  caseId: number
  name: string
  kind: string
  sha256: string
  content: Uint8Array
  subject: string | null
  analysis: unknown
}

const COLS = 'id, case_id, name, kind, sha256, size, subject, created_at'

export function createEvidenceRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const insert = db.prepare(
    'INSERT INTO evidence (case_id, name, kind, sha256, size, content, subject, analysis, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const byId = db.prepare<[number], EvidenceRow>(`SELECT ${COLS} FROM evidence WHERE id = ?`)
  return {
    listForCase: (caseId: number): EvidenceSummary[] =>
      (
        db.prepare(`SELECT ${COLS} FROM evidence WHERE case_id = ? ORDER BY id`).all(caseId) as EvidenceRow[]
      ).map(toSummary),
    add(e: NewEvidence): EvidenceSummary {
      const id = Number(
        insert.run(
          e.caseId,
          e.name,
          e.kind,
          e.sha256,
          e.content.byteLength,
          Buffer.from(e.content.buffer, e.content.byteOffset, e.content.byteLength),
          e.subject,
          JSON.stringify(e.analysis),
          now().toISOString()
        ).lastInsertRowid
      )
      return toSummary(byId.get(id)!)
    },
    get(id: number): (EvidenceSummary & { analysis: unknown }) | undefined {
      const r = db.prepare(`SELECT ${COLS}, analysis FROM evidence WHERE id = ?`).get(id) as
        (EvidenceRow & { analysis: string }) | undefined
      return r ? { ...toSummary(r), analysis: JSON.parse(r.analysis) } : undefined
    },
    content(id: number): Buffer | undefined {
      const r = db.prepare('SELECT content FROM evidence WHERE id = ?').get(id) as
        { content: Buffer } | undefined
      return r?.content
    },
    setAnalysis(id: number, analysis: unknown): void {
      db.prepare('UPDATE evidence SET analysis = ? WHERE id = ?').run(JSON.stringify(analysis), id)
    },
    delete: (id: number): boolean => db.prepare('DELETE FROM evidence WHERE id = ?').run(id).changes > 0
  }
}
export type EvidenceRepo = ReturnType<typeof createEvidenceRepo>
