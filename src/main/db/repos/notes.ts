import type Database from 'better-sqlite3'
import type { Note } from '../../../shared/schemas/case'
import type { Text } from '../../../shared/text'

interface NoteRow {
  id: number
  case_id: number
  kind: 'note' | 'event'
  body: string
  text?: string | null
  created_at: string
  updated_at: string
}
const toNote = (r: NoteRow): Note => ({
  id: r.id,
  caseId: r.case_id,
  kind: r.kind,
  body: r.body,
  ...(r.text ? { text: parseText(r.text) } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at
})

function parseText(s: string): Text | undefined {
  try {
    return JSON.parse(s) as Text
  } catch {
    return undefined // the English body still reads
  }
}

/** Notes are the case timeline: the admin's own notes ('note') and what the app did ('event'). */
export function createNoteRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const byId = db.prepare<[number], NoteRow>('SELECT * FROM notes WHERE id = ?')
  const byCase = db.prepare<[number], NoteRow>(
    'SELECT * FROM notes WHERE case_id = ? ORDER BY created_at, id'
  )
  const insert = db.prepare(
    'INSERT INTO notes (case_id, kind, body, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'
  )
  const updateStmt = db.prepare('UPDATE notes SET body = ?, updated_at = ? WHERE id = ?')
  return {
    listForCase: (caseId: number): Note[] => byCase.all(caseId).map(toNote),
    get: (id: number): Note | undefined => {
      const r = byId.get(id)
      return r ? toNote(r) : undefined
    },
    add(caseId: number, body: string, kind: 'note' | 'event' = 'note', text?: Text): Note {
      const t = now().toISOString()
      const id = Number(
        insert.run(caseId, kind, body, text ? JSON.stringify(text) : null, t, t).lastInsertRowid
      )
      return toNote(byId.get(id)!)
    },
    update(id: number, body: string): Note | undefined {
      if (updateStmt.run(body, now().toISOString(), id).changes === 0) return undefined
      return toNote(byId.get(id)!)
    },
    delete: (id: number): boolean => db.prepare('DELETE FROM notes WHERE id = ?').run(id).changes > 0
  }
}
export type NoteRepo = ReturnType<typeof createNoteRepo>
