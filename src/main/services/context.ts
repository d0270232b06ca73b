import type Database from 'better-sqlite3'
import type { EventSink } from '../../shared/events'
import type { Analysis } from '../../shared/schemas/analysis'
import type { Settings } from '../../shared/settings'
import type { LightOutcome } from '../core/hygiene/light'
import { createCaseRepo } from '../db/repos/cases'
import { createEvidenceRepo } from '../db/repos/evidence'
import { createNoteRepo } from '../db/repos/notes'
import { createSettingsRepo } from '../db/repos/settings'
import { createCheckRunRepo } from '../db/repos/check-runs'
import { createDmarcRepo } from '../db/repos/dmarc-reports'

export interface AnalyzeOptions {
  settings: Settings
  signal?: AbortSignal
}

/** One dropped file may hold several messages (mbox); each becomes its own analysis and evidence. */
export interface AnalyzedItem {
  analysis: Analysis
  /** The bytes this evidence keeps: the whole file, or one message of an mbox. */
  content: Uint8Array
  name: string
}

export type AnalyzeFn = (bytes: Uint8Array, name: string, opts: AnalyzeOptions) => Promise<AnalyzedItem[]>

export interface ServiceContext {
  db: Database.Database
  dataDir: string
  dbFile: string
  host: 'electron' | 'web' | 'cli'
  version: string
  emit: EventSink
  analyze: AnalyzeFn
  /**
   * Sending health's per-message classification in this thread (default: core/hygiene/light.ts). Injected by
   * tests that must act between messages; big runs otherwise classify in worker threads.
   */
  hygieneClassify?: (bytes: Uint8Array, name: string, maxBytes: number) => Promise<LightOutcome>
  now: () => Date
  /** HTML → PDF through the host's browser engine (Electron printToPDF); absent: headless Chromium or UNSUPPORTED. */
  printToPdf?: (html: string) => Promise<Uint8Array>
  /**
   * The OS keychain for secrets kept between runs (Electron safeStorage in the desktop app). Absent in the web
   * host and the CLI: a secret is then used for the run (or kept in memory) and never written to SQLite.
   */
  secrets?: SecretStore
}

export interface SecretStore {
  available(): boolean
  encrypt(plain: string): Buffer
  decrypt(encrypted: Buffer): string
}

export function createRepos(db: Database.Database, now: () => Date) {
  return {
    cases: createCaseRepo(db, now),
    evidence: createEvidenceRepo(db, now),
    notes: createNoteRepo(db, now),
    settings: createSettingsRepo(db),
    checkRuns: createCheckRunRepo(db, now),
    dmarc: createDmarcRepo(db, now)
  }
}
export type Repos = ReturnType<typeof createRepos>
