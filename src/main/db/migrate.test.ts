import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate, MigrationHistoryError } from './migrate'
import { migrations } from './migrations'
import type { Migration } from './migrations/types'

const m1: Migration = { id: 1, name: 'one', up: 'CREATE TABLE a (x INTEGER);' }
const m2: Migration = { id: 2, name: 'two', up: 'CREATE TABLE b (y INTEGER);' }

describe('migrate', () => {
  it('applies every migration on a fresh database and records checksums', () => {
    const db = new Database(':memory:')
    expect(migrate(db, migrations)).toEqual(migrations.map((m) => m.id))
    const rows = db.prepare('SELECT id, name FROM _migrations').all()
    expect(rows).toHaveLength(migrations.length)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'cases'").get()).toBeTruthy()
    expect(migrate(db, migrations)).toEqual([]) // idempotent
  })

  it('upgrades an older database with only the new migrations', () => {
    const db = new Database(':memory:')
    migrate(db, [m1])
    db.prepare('INSERT INTO a VALUES (42)').run()
    expect(migrate(db, [m1, m2])).toEqual([2])
    expect(db.prepare('SELECT x FROM a').get()).toEqual({ x: 42 })
  })

  it('refuses a database whose applied migration text changed', () => {
    const db = new Database(':memory:')
    migrate(db, [m1])
    const tampered = { ...m1, up: 'CREATE TABLE a (x TEXT);' }
    expect(() => migrate(db, [tampered, m2])).toThrow(MigrationHistoryError)
  })

  it('refuses a database written by a newer version or with a reordered history', () => {
    const db = new Database(':memory:')
    migrate(db, [m1, m2])
    expect(() => migrate(db, [m1])).toThrow(/does not know/)
    const swapped: Migration[] = [
      { ...m2, id: 1 },
      { ...m1, id: 2 }
    ]
    expect(() => migrate(db, swapped)).toThrow(MigrationHistoryError)
  })

  it("refuses another application's tables instead of adding ours next to them", () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE contacts (name TEXT)')
    expect(() => migrate(db, migrations)).toThrow(/contacts.*no Delivery Desk migration history/)
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
    expect(names).toEqual([{ name: 'contacts' }])
  })

  it('allows a gap reserved by another branch, but never decreasing or repeated ids', () => {
    const m5: Migration = { id: 5, name: 'five', up: 'CREATE TABLE e (z INTEGER);' }
    const db = new Database(':memory:')
    expect(migrate(db, [m1, m2, m5])).toEqual([1, 2, 5])
    expect(() => migrate(new Database(':memory:'), [m1, m5, m2])).toThrow(/increasing order/)
    expect(() => migrate(new Database(':memory:'), [m1, m1])).toThrow(/increasing order/)
    expect(migrations.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('runs each migration in its own transaction: a failing one leaves no trace', () => {
    const db = new Database(':memory:')
    const bad: Migration = {
      id: 2,
      name: 'bad',
      up: 'CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);'
    }
    expect(() => migrate(db, [m1, bad])).toThrow()
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined()
    expect(db.prepare('SELECT count(*) AS n FROM _migrations').get()).toEqual({ n: 1 })
  })
})
