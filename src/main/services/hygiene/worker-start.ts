import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

/**
 * Starting the classification pool's worker threads (classify-pool.ts). Node builtins only, so the CLI can start
 * them before it loads anything else (host/cli-early.ts): a worker spends ~0.2 s booting and loading the parser,
 * which then overlaps the main thread's own start-up instead of following it.
 */
export interface WorkerScript {
  /** A script's path, or (eval) the code to run. */
  file: string
  eval?: boolean
}

/**
 * The worker script next to this module: the built one (out/main/hygiene-worker.js, an entry of
 * electron.vite.config.ts; this code then runs from out/main/ or out/main/chunks/), or the TypeScript source run
 * through tsx.
 */
export function workerScript(): WorkerScript | undefined {
  for (const file of [join(__dirname, 'hygiene-worker.js'), join(__dirname, '..', 'hygiene-worker.js')])
    if (existsSync(file)) return { file }
  const source = join(__dirname, 'classify-worker.ts')
  if (!existsSync(source)) return undefined
  try {
    // Node 20 does not apply `--import tsx` loader hooks to a worker's entry point: register tsx's CommonJS hooks
    // in the worker, then load the source.
    const tsx = createRequire(__filename).resolve('tsx/cjs')
    return { file: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`, eval: true }
  } catch {
    return undefined
  }
}

/**
 * Worker threads worth starting: one per core but the one the calling thread keeps busy reading, hashing and
 * writing SQLite (about a third of an ingest's CPU), at least one, at most 4. Every worker also pays its own JIT
 * warm-up (V8 compiles the parser again in each isolate), so an extra worker on a busy core costs more than it saves.
 * DELIVERY_DESK_INGEST_WORKERS overrides it (0: classify in the main thread), for benchmarks and small machines.
 */
export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env.DELIVERY_DESK_INGEST_WORKERS)
  if (env.DELIVERY_DESK_INGEST_WORKERS && Number.isInteger(forced) && forced >= 0) return Math.min(forced, 16)
  return Math.max(1, Math.min(4, availableParallelism() - 1))
}

export function startWorker(script: WorkerScript): Worker {
  const worker = new Worker(script.file, { eval: script.eval ?? false, execArgv: [] })
  // An idle worker never keeps the process alive; the ingest terminates its pool when done.
  worker.unref()
  return worker
}

/** Workers started ahead of need, and whether each is still alive (one that failed is never handed out). */
const early: { worker: Worker; dead: boolean }[] = []

/** Starts the pool's workers now, for an ingest about to begin; `takeEarly` hands them to the pool. */
export function startEarly(
  size = defaultPoolSize(),
  script = size > 0 ? workerScript() : undefined
): Worker[] {
  if (!script) return []
  const started: Worker[] = []
  for (let i = 0; i < size; i++) {
    const e = { worker: startWorker(script), dead: false }
    // Until the pool adopts it, a failure is only noted here: the pool then starts a fresh one or classifies in
    // its own thread.
    const dead = () => void (e.dead = true)
    e.worker.once('error', dead).once('exit', dead)
    early.push(e)
    started.push(e.worker)
  }
  return started
}

/** Up to `n` workers started early and still alive; the ones that failed are dropped. */
export function takeEarly(n: number): Worker[] {
  const alive = early.splice(0).filter((e) => !e.dead)
  for (const e of alive.slice(n)) early.push(e)
  return alive.slice(0, n).map((e) => e.worker)
}
