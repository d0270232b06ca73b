import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBackend as start, type Backend, type BackendOptions } from './backend'

/** A backend in a fresh temporary directory with injected options (tests only: e.g. a wrapped analyze). */
export function startBackend(opts: Omit<BackendOptions, 'dataDir'>): Backend & { dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-test-'))
  return Object.assign(start({ ...opts, dataDir }), { dataDir })
}
