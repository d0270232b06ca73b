import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../migrate'
import { migrations } from '../migrations'
import { createCaseRepo, ftsQuery } from './cases'
import { createEvidenceRepo } from './evidence'
import { createNoteRepo } from './notes'
import { createSettingsRepo } from './settings'

let db: Database.Database
let clock = 0
const now = () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000)

beforeEach(() => {
  db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, migrations)
})

describe('repositories', () => {
  it('creates, updates and lists cases, most recent first', () => {
    const cases = createCaseRepo(db, now)
    const a = cases.create('First')
    const b = cases.create('Second')
    expect(cases.list().map((c) => c.id)).toEqual([b.id, a.id])
    cases.update(a.id, { status: 'resolved', sendingIps: ['192.0.2.1'], sendingDomain: 'example.com' })
    const got = cases.get(a.id)!
    expect(got.status).toBe('resolved')
    expect(got.sendingIps).toEqual(['192.0.2.1'])
    expect(cases.list({ status: 'open' }).map((c) => c.id)).toEqual([b.id])
  })

  it('searches titles, notes and evidence subjects with FTS5, and forgets deleted rows', () => {
    const cases = createCaseRepo(db, now)
    const notes = createNoteRepo(db, now)
    const evidence = createEvidenceRepo(db, now)
    const a = cases.create('Outlook rejects us')
    const b = cases.create('Gmail deferrals')
    const n = notes.add(b.id, 'Ticket 88123 with Spamhaus')
    evidence.add({
      caseId: a.id,
      name: 'x.eml',
      kind: 'bounce',
      sha256: 'aa',
      content: new Uint8Array([1]),
      subject: 'Undeliverable: Café invoice',
      analysis: {}
    })
    expect(cases.list({ query: 'outlook' }).map((c) => c.id)).toEqual([a.id])
    expect(cases.list({ query: '88123' }).map((c) => c.id)).toEqual([b.id])
    expect(cases.list({ query: 'cafe' }).map((c) => c.id)).toEqual([a.id]) // diacritics folded
    expect(cases.list({ query: 'undeliv' }).map((c) => c.id)).toEqual([a.id]) // prefix
    notes.delete(n.id)
    expect(cases.list({ query: '88123' })).toEqual([])
    expect(cases.list({ query: '"AND OR (' })).toEqual([]) // FTS syntax in user input is neutralised
  })

  it('cascades evidence and notes when a case is deleted', () => {
    const cases = createCaseRepo(db, now)
    const notes = createNoteRepo(db, now)
    const evidence = createEvidenceRepo(db, now)
    const c = cases.create('to delete')
    notes.add(c.id, 'n')
    const e = evidence.add({
      caseId: c.id,
      name: 'a.eml',
      kind: 'message',
      sha256: 'bb',
      content: new Uint8Array([7, 8, 9]),
      subject: null,
      analysis: { ok: 1 }
    })
    expect(evidence.content(e.id)).toEqual(Buffer.from([7, 8, 9]))
    expect(evidence.get(e.id)!.analysis).toEqual({ ok: 1 })
    expect(cases.delete(c.id)).toBe(true)
    expect(evidence.get(e.id)).toBeUndefined()
    expect(notes.listForCase(c.id)).toEqual([])
  })

  it('rejects evidence for a case that does not exist (foreign keys on)', () => {
    const evidence = createEvidenceRepo(db, now)
    expect(() =>
      evidence.add({
        caseId: 999,
        name: 'a',
        kind: 'message',
        sha256: 'x',
        content: new Uint8Array(),
        subject: null,
        analysis: {}
      })
    ).toThrow(/FOREIGN KEY/)
  })

  it('keeps settings with defaults and ignores damaged values', () => {
    const settings = createSettingsRepo(db)
    expect(settings.get().recheckMinutes).toBe(30)
    expect(settings.set({ resolver: '127.0.0.1:5353' }).resolver).toBe('127.0.0.1:5353')
    db.prepare("UPDATE settings SET value = 'not json' WHERE key = 'resolver'").run()
    expect(settings.get().resolver).toBe('')
  })

  it('builds safe FTS queries', () => {
    expect(ftsQuery('  ')).toBeNull()
    expect(ftsQuery('a "b')).toBe('"a"* AND "b"*')
  })
})
