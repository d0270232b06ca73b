import { join } from 'node:path'
import type { EventSink } from '../../shared/events'
import { openDatabase } from '../db/open'
import { analyzeFile } from '../core/diagnose'
import { createServices } from '../services'
import type { AnalyzeFn, ServiceContext } from '../services/context'
import { createDispatcher, type Dispatch } from './dispatch'
import { DB_FILE_NAME } from './data-dir'
import { APP_VERSION } from './version'

export interface Backend {
  dispatch: Dispatch
  ctx: ServiceContext
  /** Subscribe to pushed events; returns the unsubscribe function. */
  subscribe(listener: EventSink): () => void
  close(): void
}

export interface BackendOptions {
  dataDir: string
  host: ServiceContext['host']
  now?: () => Date
  analyze?: AnalyzeFn
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
    now: opts.now ?? (() => new Date())
  }
  const dispatch = createDispatcher(createServices(ctx))
  return {
    dispatch,
    ctx,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      listeners.clear()
      if (db.open) db.close()
    }
  }
}
