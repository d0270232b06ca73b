import type Database from 'better-sqlite3'
import type { Note } from '../../../shared/schemas/case'
import type { Text } from '../../../shared/text'
import { renderText } from '../../core/text/render'

interface NoteRow {
  id: number
  case_id: number
  kind: 'note' | 'event'
  body: string
  /** An event as text-as-data, JSON {code, params} (migration 0006). */
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
  const countByCode = db.prepare<[number, string], { n: number }>(
    "SELECT count(*) AS n FROM notes WHERE case_id = ? AND kind = 'event' AND json_extract(text, '$.code') = ?"
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
      const id = Number(insert.run(caseId, 'note', body, null, t, t).lastInsertRowid)
      return toNote(byId.get(id)!)
    },
    /**
     * Something the app did, as a code with params (resources/locales/<lang>/timeline.json and the areas'
     * namespaces); `body` keeps the English rendering for search and older builds.
     */
    event(caseId: number, text: Text): Note {
      const t = now().toISOString()
      const id = Number(
        insert.run(caseId, 'event', renderText('en', text), JSON.stringify(text), t, t).lastInsertRowid
      )
      return toNote(byId.get(id)!)
    },
    /** Events with this code (the Report step counts exports), never by matching rendered words. */
    countEvents: (caseId: number, code: string): number => countByCode.get(caseId, code)?.n ?? 0,
    update(id: number, body: string): Note | undefined {
      if (updateStmt.run(body, now().toISOString(), id).changes === 0) return undefined
      return toNote(byId.get(id)!)
    },
    delete: (id: number): boolean => db.prepare('DELETE FROM notes WHERE id = ?').run(id).changes > 0
  }
}
export type NoteRepo = ReturnType<typeof createNoteRepo>
