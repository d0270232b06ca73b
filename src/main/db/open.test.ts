import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backupDatabase, DatabaseOpenError, openDatabase } from './open'

const tmp = () => mkdtempSync(join(tmpdir(), 'dd-db-'))

describe('openDatabase', () => {
  it('opens with WAL, foreign keys, synchronous FULL and a busy timeout', () => {
    const db = openDatabase(join(tmp(), 'x.sqlite'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    db.close()
  })

  it('names the file and keeps it untouched when it is not a database', () => {
    const file = join(tmp(), 'broken.sqlite')
    writeFileSync(
      file,
      'this is not sqlite at all, just some text that is long enough to have a header'.repeat(20)
    )
    const before = readFileSync(file)
    let err: unknown
    try {
      openDatabase(file)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DatabaseOpenError)
    expect((err as Error).message).toContain(file)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('makes a consistent online backup that opens on its own', async () => {
    const dir = tmp()
    const db = openDatabase(join(dir, 'a.sqlite'))
    db.prepare("INSERT INTO cases (title, created_at, updated_at) VALUES ('backup me', 'x', 'x')").run()
    await backupDatabase(db, join(dir, 'b', 'copy.sqlite'))
    const copy = openDatabase(join(dir, 'b', 'copy.sqlite'))
    expect(copy.prepare('SELECT title FROM cases').get()).toEqual({ title: 'backup me' })
  })
})
