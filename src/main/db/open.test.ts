import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
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

  it('refuses a 0-byte file and leaves it empty', () => {
    const dir = tmp()
    const file = join(dir, 'delivery-desk.sqlite')
    writeFileSync(file, '')
    expect(() => openDatabase(file)).toThrow(DatabaseOpenError)
    expect(() => openDatabase(file)).toThrow(`${file} is an empty file (0 bytes)`)
    expect(readFileSync(file).length).toBe(0)
    expect(readdirSync(dir)).toEqual(['delivery-desk.sqlite'])
  })

  it("refuses another application's SQLite file, names it and leaves it byte-identical", () => {
    const dir = tmp()
    const file = join(dir, 'delivery-desk.sqlite')
    const other = new Database(file)
    other.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Jane')")
    other.close()
    const before = readFileSync(file)
    let err: unknown
    try {
      openDatabase(file)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DatabaseOpenError)
    expect((err as Error).message).toContain(file)
    expect((err as Error).message).toContain('no _migrations table')
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(['delivery-desk.sqlite'])
  })

  it('creates a database only where no file exists, and reopens its own', () => {
    const dir = tmp()
    const file = join(dir, 'sub', 'delivery-desk.sqlite')
    const db = openDatabase(file)
    db.prepare("INSERT INTO cases (title, created_at, updated_at) VALUES ('mine', 'x', 'x')").run()
    db.close()
    // No temporary file is left beside it.
    expect(readdirSync(join(dir, 'sub')).filter((f) => f.includes('creating'))).toEqual([])
    const again = openDatabase(file)
    expect(again.prepare('SELECT title FROM cases').get()).toEqual({ title: 'mine' })
    again.close()
    expect(existsSync(file)).toBe(true)
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
