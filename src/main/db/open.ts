import Database from 'better-sqlite3'
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
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
 * Opens the case database, creating it only when no file exists at `file`.
 *
 * - An existing file is opened as it is and checked before anything is written to it: a 0-byte file, a file
 *   that is not SQLite, a damaged one (`quick_check`) or another application's SQLite file (no `_migrations`
 *   table) is refused with an error naming it, and left byte-identical. `journal_mode = WAL` rewrites the
 *   header (file format bytes 18-19, https://www.sqlite.org/fileformat2.html#file_format_version_numbers),
 *   so it is set only after these checks.
 * - A new database is built under a temporary name and linked into place, so a crash during the first start
 *   never leaves a 0-byte or half-initialised file at `file` (which the next start would refuse).
 * - WAL so the UI can read while an analysis writes; `synchronous = FULL` because this is user data
 *   (NORMAL in WAL can lose the last transactions on power loss: https://www.sqlite.org/pragma.html#pragma_synchronous).
 * - `foreign_keys` is off by default in SQLite and must be enabled per connection.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true })
    if (!existsSync(file)) createDatabase(file, opts)
    const st = statSync(file)
    if (st.isDirectory()) {
      throw new DatabaseOpenError(file, `${file} is a directory, not a Delivery Desk database.`)
    }
    if (st.size === 0) {
      throw new DatabaseOpenError(
        file,
        `${file} is an empty file (0 bytes), not a Delivery Desk database; it was left untouched. Restore a backup, or move the file away to start fresh.`
      )
    }
  }
  const db = connect(file, file !== ':memory:')
  try {
    db.pragma('busy_timeout = 5000')
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`)
    if (file !== ':memory:' && !hasMigrationHistory(db)) {
      throw new DatabaseOpenError(
        file,
        `${file} is a SQLite database of another application (it has no _migrations table); it was left untouched. Choose another data directory (--data, or $DELIVERY_DESK_DATA).`
      )
    }
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    migrate(db, opts.migrations ?? allMigrations, opts.now)
  } catch (e) {
    db.close()
    throw openError(file, e)
  }
  return db
}

/**
 * A read-only connection to a database another connection of this process has opened (and checked, and migrated):
 * the ingest's workers look message keys up on one while the main thread writes. In WAL mode a reader never blocks
 * the writer (https://www.sqlite.org/wal.html).
 */
export function openReadOnly(file: string): Database.Database {
  const db = connect(file, true, true)
  db.pragma('busy_timeout = 5000')
  return db
}

function connect(file: string, mustExist: boolean, readonly = false): Database.Database {
  try {
    // Under `npm start` Electron gets its own build of the native module (scripts/electron-native.mjs).
    const nativeBinding = process.env.DELIVERY_DESK_SQLITE_BINDING || undefined
    return new Database(file, {
      fileMustExist: mustExist,
      ...(readonly ? { readonly } : {}),
      ...(nativeBinding ? { nativeBinding } : {})
    })
  } catch (e) {
    throw new DatabaseOpenError(file, `Cannot open the database ${file}: ${(e as Error).message}`)
  }
}

function hasMigrationHistory(db: Database.Database): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").get()
}

function openError(file: string, e: unknown): DatabaseOpenError {
  if (e instanceof DatabaseOpenError) return e
  const msg = (e as Error).message
  const hint = /not a database|malformed|integrity/i.test(msg)
    ? ' The file is damaged or is not a Delivery Desk database. Restore a backup, or move the file away to start fresh.'
    : ''
  return new DatabaseOpenError(file, `Cannot use the database ${file}: ${msg}.${hint}`)
}

/** Builds a fresh database beside `file` and links it into place; never replaces a file that appeared meanwhile. */
function createDatabase(file: string, opts: OpenOptions): void {
  const temp = `${file}.creating-${process.pid}`
  const clean = () => {
    for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) rmSync(f, { force: true })
  }
  clean()
  const db = connect(temp, false)
  try {
    // Rollback journal while building: closing leaves one self-contained file to link into place.
    db.pragma('journal_mode = DELETE')
    migrate(db, opts.migrations ?? allMigrations, opts.now)
  } catch (e) {
    db.close()
    clean()
    throw openError(file, e)
  }
  db.close()
  try {
    // link(2) fails with EEXIST instead of overwriting, unlike rename(2).
    linkSync(temp, file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    // Filesystems without hard links (FAT, some network shares): rename, still only when nothing is there.
    if (code === 'EEXIST' || existsSync(file)) {
      clean()
      return
    }
    renameSync(temp, file)
  }
  clean()
}

/** Online backup (the SQLite backup API): consistent even while the app writes. */
export async function backupDatabase(db: Database.Database, destination: string): Promise<void> {
  mkdirSync(dirname(destination), { recursive: true })
  await db.backup(destination)
}
