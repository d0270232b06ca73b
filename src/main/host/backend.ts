import { join } from 'node:path'
import type { EventSink } from '../../shared/events'
import { openDatabase } from '../db/open'
import { analyzeFile } from '../core/diagnose'
import { createServices } from '../services'
import type { AnalyzeFn, ServiceContext } from '../services/context'
import { createDispatcher, type Dispatch } from './dispatch'
import { DB_FILE_NAME } from './data-dir'
import { APP_VERSION } from './version'
import { createSettingsRepo } from '../db/repos/settings'
import { createWatchRepo } from '../db/repos/watch'
import {
  createRecheckScheduler,
  type RecheckScheduler,
  type SchedulerTimers
} from '../services/recheck-scheduler'

export interface Backend {
  dispatch: Dispatch
  ctx: ServiceContext
  /** Subscribe to pushed events; returns the unsubscribe function. */
  subscribe(listener: EventSink): () => void
  /** Background delisting re-checks (undefined for the CLI or when turned off). */
  recheck?: RecheckScheduler
  /** Background watchlist runs (issue 14), every Settings → watchHours; undefined for the CLI or when turned off. */
  watch?: RecheckScheduler
  close(): void
}

export interface BackendOptions {
  dataDir: string
  host: ServiceContext['host']
  now?: () => Date
  analyze?: AnalyzeFn
  /** Sending health's classification in this thread (tests only: e.g. a wrapped one); no worker threads then. */
  hygieneClassify?: ServiceContext['hygieneClassify']
  /** Electron injects printToPDF of a hidden sandboxed window; the web host and CLI fall back to Chromium. */
  printToPdf?: ServiceContext['printToPdf']
  /** Electron injects safeStorage; the web host and CLI have no keychain. */
  secrets?: ServiceContext['secrets']
  /** Background delisting re-checks: on by default except for the CLI; tests inject timers or pass false. */
  recheck?: boolean | { timers: SchedulerTimers }
  /** Background watchlist runs: on by default except for the CLI (which has `watch run --once`). */
  watch?: boolean | { timers: SchedulerTimers }
}

/** Opens the database and wires services and the dispatcher. Shared by the Electron, web and CLI hosts. */
export function startBackend(opts: BackendOptions): Backend {
  const dbFile = join(opts.dataDir, DB_FILE_NAME)
  const db = openDatabase(dbFile)
  const listeners = new Set<EventSink>()
  const emit: EventSink = (name, payload) => {
    for (const l of listeners) l(name, payload)
  }
  const ctx: ServiceContext = {
    db,
    dataDir: opts.dataDir,
    dbFile,
    host: opts.host,
    version: APP_VERSION,
    emit,
    analyze: opts.analyze ?? analyzeFile,
    ...(opts.hygieneClassify ? { hygieneClassify: opts.hygieneClassify } : {}),
    now: opts.now ?? (() => new Date()),
    printToPdf: opts.printToPdf,
    secrets: opts.secrets
  }
  const dispatch = createDispatcher(createServices(ctx))
  const recheckOn = opts.recheck ?? opts.host !== 'cli'
  const recheck = recheckOn
    ? createRecheckScheduler({
        run: () => dispatch('delist.checkNow', {}),
        intervalMinutes: () => (db.open ? createSettingsRepo(db).get().recheckMinutes : 30),
        timers: typeof recheckOn === 'object' ? recheckOn.timers : undefined
      })
    : undefined
  recheck?.start()
  const watchOn = opts.watch ?? opts.host !== 'cli'
  const started = ctx.now().getTime()
  const watch = watchOn
    ? createRecheckScheduler({
        run: () => dispatch('watch.run', {}),
        // The next run is due watchHours after the last one (or after start when none ran yet): an app reopened
        // after a weekend runs within a minute, one restarted an hour after a run waits the rest of the interval.
        intervalMinutes: () => {
          if (!db.open) return 6 * 60
          const hours = createSettingsRepo(db).get().watchHours
          const last = createWatchRepo(db).lastRunAt()
          const from = last ? Math.max(Date.parse(last), 0) : started
          return Math.ceil((from + hours * 3600_000 - ctx.now().getTime()) / 60_000)
        },
        timers: typeof watchOn === 'object' ? watchOn.timers : undefined
      })
    : undefined
  watch?.start()
  return {
    dispatch,
    ctx,
    recheck,
    watch,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      recheck?.stop()
      watch?.stop()
      listeners.clear()
      if (db.open) db.close()
    }
  }
}
