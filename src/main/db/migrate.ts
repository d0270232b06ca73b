import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { Migration } from './migrations/types'

export class MigrationHistoryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationHistoryError'
  }
}

export function checksum(m: Migration): string {
  return createHash('sha256').update(m.up).digest('hex')
}

/**
 * Applies pending migrations, each in its own transaction.
 *
 * The applied history must be a prefix of `available` with identical checksums (as Actual Budget's
 * `checkDatabaseValidity` and Bruno's sqlite package do): a database written by a newer build, or one whose
 * migration text was edited after release, is refused instead of being "repaired" into an unknown state. A
 * database with tables but no history at all is another application's and is refused too.
 */
export function migrate(
  db: Database.Database,
  available: Migration[],
  now: () => Date = () => new Date()
): number[] {
  // Ids only increase; a gap is allowed because numbers are reserved per branch (issue 13 took 0005 while 0004
  // was being written elsewhere). The prefix check below still refuses any history this build does not know.
  for (let i = 0; i < available.length; i++) {
    if (available[i].id <= (i === 0 ? 0 : available[i - 1].id))
      throw new MigrationHistoryError(`Migration list is not in increasing order at position ${i + 1}`)
  }
  // Adopt only an empty database or one with our history: another app's SQLite file (tables, no _migrations)
  // must not get our tables written into it.
  const hasHistory = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'")
    .get()
  if (!hasHistory) {
    const foreign = db
      .prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 3")
      .all() as {
      name: string
    }[]
    if (foreign.length)
      throw new MigrationHistoryError(
        `The database has tables (${foreign.map((t) => t.name).join(', ')}) but no Delivery Desk migration history: it belongs to another application.`
      )
  }
  db.exec(
    'CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)'
  )
  const applied = db.prepare('SELECT id, name, checksum FROM _migrations ORDER BY id').all() as {
    id: number
    name: string
    checksum: string
  }[]
  applied.forEach((row, i) => {
    const expected = available[i]
    if (!expected || row.id !== expected.id) {
      throw new MigrationHistoryError(
        `The database has migration ${row.id} (${row.name}) that this version of Delivery Desk does not know. ` +
          'It was probably written by a newer version.'
      )
    }
    if (row.checksum !== checksum(expected)) {
      throw new MigrationHistoryError(
        `Migration ${row.id} (${row.name}) in the database differs from this version's. Refusing to open it.`
      )
    }
  })
  const ran: number[] = []
  const insert = db.prepare('INSERT INTO _migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)')
  for (const m of available.slice(applied.length)) {
    db.transaction(() => {
      db.exec(m.up)
      insert.run(m.id, m.name, checksum(m), now().toISOString())
    })()
    ran.push(m.id)
  }
  return ran
}
