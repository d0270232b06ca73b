import Database from 'better-sqlite3'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrate } from './migrate'
import { migrations as allMigrations, type Migration } from './migrations'

export class DatabaseOpenError extends Error {
  readonly file: string
  constructor(file: string, message: string) {
    super(message)
    this.name = 'DatabaseOpenError'
    this.file = file
  }
}

export interface OpenOptions {
  migrations?: Migration[]
  now?: () => Date
}

/**
 * Opens (or creates) the case database.
 *
 * - WAL so the UI can read while an analysis writes; `synchronous = FULL` because this is user data
 *   (NORMAL in WAL can lose the last transactions on power loss: https://www.sqlite.org/pragma.html#pragma_synchronous).
 * - `foreign_keys` is off by default in SQLite and must be enabled per connection.
 * - `quick_check` at start-up: a corrupt file gets an error naming it, never a fresh empty database over it.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true })
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new DatabaseOpenError(file, `${file} is a directory, not a Delivery Desk database.`)
    }
  }
  let db: Database.Database
  try {
    // Under `npm start` Electron gets its own build of the native module (scripts/electron-native.mjs).
    const nativeBinding = process.env.DELIVERY_DESK_SQLITE_BINDING || undefined
    db = new Database(file, { fileMustExist: false, ...(nativeBinding ? { nativeBinding } : {}) })
  } catch (e) {
    throw new DatabaseOpenError(file, `Cannot open the database ${file}: ${(e as Error).message}`)
  }
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`)
    migrate(db, opts.migrations ?? allMigrations, opts.now)
  } catch (e) {
    db.close()
    if (e instanceof DatabaseOpenError) throw e
    const msg = (e as Error).message
    const hint = /not a database|malformed|integrity/i.test(msg)
      ? ' The file is damaged or is not a Delivery Desk database. Restore a backup, or move the file away to start fresh.'
      : ''
    throw new DatabaseOpenError(file, `Cannot use the database ${file}: ${msg}.${hint}`)
  }
  return db
}

/** Online backup (the SQLite backup API): consistent even while the app writes. */
export async function backupDatabase(db: Database.Database, destination: string): Promise<void> {
  mkdirSync(dirname(destination), { recursive: true })
  await db.backup(destination)
}
