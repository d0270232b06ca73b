import type Database from 'better-sqlite3'
import type { Note } from '../../../shared/schemas/case'
import type { Text } from '../../../shared/text'
import { renderText } from '../../core/text/render'

interface NoteRow {
  id: number
  case_id: number
  kind: 'note' | 'event'
  body: string
  code: string | null
  params: string | null
  created_at: string
  updated_at: string
}
const toNote = (r: NoteRow): Note => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  body: r.body,
  ...(r.code ? { text: { code: r.code, ...(r.params ? { params: JSON.parse(r.params) } : {}) } } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at
})

/** Notes are the case timeline: the admin's own notes ('note') and what the app did ('event'). */
export function createNoteRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const byId = db.prepare<[number], NoteRow>('SELECT * FROM notes WHERE id = ?')
  const byCase = db.prepare<[number], NoteRow>(
    'SELECT * FROM notes WHERE case_id = ? ORDER BY created_at, id'
  )
  const insert = db.prepare(
    'INSERT INTO notes (case_id, kind, body, code, params, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  const updateStmt = db.prepare('UPDATE notes SET body = ?, updated_at = ? WHERE id = ?')
  return {
    listForCase: (caseId: number): Note[] => byCase.all(caseId).map(toNote),
    get: (id: number): Note | undefined => {
      const r = byId.get(id)
      return r ? toNote(r) : undefined
    },
    /** The admin's own note. */
    add(caseId: number, body: string): Note {
      const t = now().toISOString()
      const id = Number(insert.run(caseId, 'note', body, null, null, t, t).lastInsertRowid)
      return toNote(byId.get(id)!)
    },
    /** Something the app did, as a code with params (resources/locales/<lang>/timeline.json). */
    event(caseId: number, text: Text): Note {
      const t = now().toISOString()
      const params = text.params ? JSON.stringify(text.params) : null
      const id = Number(
        insert.run(caseId, 'event', renderText('en', text), text.code, params, t, t).lastInsertRowid
      )
      return toNote(byId.get(id)!)
    },
    /** Events with this code (e.g. the Report step counts exports), without matching any rendered text. */
    countEvents: (caseId: number, code: string): number =>
      (
        db
          .prepare<[number, string], { n: number }>(
            "SELECT count(*) AS n FROM notes WHERE case_id = ? AND kind = 'event' AND code = ?"
          )
          .get(caseId, code) ?? { n: 0 }
      ).n,
    update(id: number, body: string): Note | undefined {
      if (updateStmt.run(body, now().toISOString(), id).changes === 0) return undefined
      return toNote(byId.get(id)!)
    },
    delete: (id: number): boolean => db.prepare('DELETE FROM notes WHERE id = ?').run(id).changes > 0
  }
}
export type NoteRepo = ReturnType<typeof createNoteRepo>
