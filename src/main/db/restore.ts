import Database from 'better-sqlite3'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from './migrate'
import { migrations } from './migrations'
import { backupDatabase } from './open'

export class RestoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestoreError'
  }
}

/**
 * Restores a backup into the live database, online.
 *
 * The backup is first copied to a scratch file, checked (`quick_check`, a Delivery Desk migration history this
 * version understands) and upgraded to the current schema there, so a bad file is refused before anything is
 * touched. The current database is saved to `safetyBackup` first. Then SQLite's backup API copies the pages into
 * the live file; other connections (ours included) see the new content on their next statement, because the
 * schema cookie changes (https://www.sqlite.org/backup.html).
 */
export async function restoreDatabase(
  live: Database.Database,
  liveFile: string,
  source: { bytes?: Uint8Array; path?: string },
  safetyBackup: string
): Promise<{ cases: number }> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'dd-restore-'))
  const scratch = join(scratchDir, 'restore.sqlite')
  try {
    if (source.bytes) writeFileSync(scratch, source.bytes)
    else if (source.path) {
      try {
        copyFileSync(source.path, scratch)
      } catch (e) {
        // A path typed on the command line: say what is wrong with it in one line, not with a stack trace.
        const code = (e as NodeJS.ErrnoException).code
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code
        throw new RestoreError(`Cannot read the backup ${source.path}: ${why ?? (e as Error).message}.`)
      }
    } else throw new RestoreError('Nothing to restore.')
    let candidate: Database.Database
    try {
      candidate = new Database(scratch, { fileMustExist: true })
    } catch (e) {
      throw new RestoreError(`This file cannot be opened as a database: ${(e as Error).message}`)
    }
    try {
      let check: unknown
      try {
        check = candidate.pragma('quick_check', { simple: true })
      } catch (e) {
        throw new RestoreError(`This file is not a SQLite database (${(e as Error).message}).`)
      }
      if (check !== 'ok') throw new RestoreError(`The backup is damaged: ${String(check)}`)
      const hasHistory = candidate.prepare("SELECT 1 FROM sqlite_master WHERE name = '_migrations'").get()
      if (!hasHistory) throw new RestoreError('This is a SQLite file, but not a Delivery Desk backup.')
      try {
        migrate(candidate, migrations)
      } catch (e) {
        throw new RestoreError(`This backup cannot be used by this version: ${(e as Error).message}`)
      }
      candidate.pragma('journal_mode = DELETE')
      const { n } = candidate.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }
      await backupDatabase(live, safetyBackup)
      await candidate.backup(liveFile)
      // The live connection must see the restored schema and rows now, not after a restart.
      live.pragma('quick_check')
      return { cases: n }
    } finally {
      candidate.close()
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true })
  }
}
