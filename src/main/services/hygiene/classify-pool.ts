import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { classifyMessage, type LightOutcome } from '../../core/hygiene/light'
import type { ClassifyJob } from './classify-worker'

/**
 * Where the ingest's classification runs: in this thread, or in a small pool of worker threads (issue 12: a
 * 10,000-message Maildir at several times Perl sisimai's speed). Parsing and classifying a message is pure CPU
 * work on bytes, so it moves to workers well; the calling thread keeps reading, deduplication and the SQLite
 * writes (one connection, batched transactions). The queue is bounded by the caller (`capacity`), so memory
 * stays that of a few hundred messages whatever the mailbox's size.
 */
export interface Classifier {
  classify(bytes: Uint8Array, name: string): Promise<LightOutcome>
  /** How many classifications the caller may leave in flight before waiting for one. */
  readonly capacity: number
  close(): Promise<void>
}

export type ClassifyFn = (bytes: Uint8Array, name: string, maxBytes: number) => Promise<LightOutcome>

export function inProcessClassifier(maxBytes: number, fn: ClassifyFn = classifyMessage): Classifier {
  return { classify: (bytes, name) => fn(bytes, name, maxBytes), capacity: 1, close: async () => {} }
}

/**
 * Messages sent to a worker in one postMessage (fewer round trips), and how many a worker may hold. The queue is
 * deep enough for a worker to keep busy while the calling thread waits on a commit's fsync (~10–30 ms on the
 * machines measured, i.e. ~100 bounces of classification); the ingest also bounds the bytes in flight.
 */
const BATCH = 32
const PER_WORKER = 4 * BATCH

interface Job {
  id: number
  name: string
  bytes: Uint8Array
  resolve: (o: LightOutcome) => void
}

interface Slot {
  worker: Worker
  outstanding: Map<number, Job>
  dead: boolean
}

/**
 * The worker script next to this module: the built one (out/main/hygiene-worker.js, an entry of
 * electron.vite.config.ts; this code then runs from out/main/chunks/), or the TypeScript source run through tsx.
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

export interface WorkerScript {
  /** A script's path, or (eval) the code to run. */
  file: string
  eval?: boolean
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

export class ClassifyPool implements Classifier {
  readonly capacity: number
  /** Messages classified by the workers and, after a worker failed, in this thread. */
  readonly counts = { workers: 0, here: 0 }
  private slots: Slot[] = []
  private queue: Job[] = []
  private seq = 0

  constructor(
    private readonly maxBytes: number,
    size: number,
    script: WorkerScript
  ) {
    this.capacity = size * PER_WORKER
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script.file, { eval: script.eval ?? false, execArgv: [] })
      // An idle pool never keeps the process alive; the ingest closes it when done.
      worker.unref()
      const slot: Slot = { worker, outstanding: new Map(), dead: false }
      worker.on('message', (done: { id: number; outcome: LightOutcome }[]) => {
        for (const d of done) {
          const job = slot.outstanding.get(d.id)
          slot.outstanding.delete(d.id)
          this.counts.workers++
          job?.resolve(d.outcome)
        }
        this.pump()
      })
      const fail = () => {
        if (slot.dead) return
        slot.dead = true
        // A worker that could not start or died: its messages are classified here, none is lost.
        const orphans = [...slot.outstanding.values()]
        slot.outstanding.clear()
        for (const j of orphans) this.local(j)
        this.pump()
      }
      worker.on('error', fail)
      worker.on('exit', fail)
      this.slots.push(slot)
    }
  }

  classify(bytes: Uint8Array, name: string): Promise<LightOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ id: ++this.seq, name, bytes, resolve })
      this.pump()
    })
  }

  private local(j: Job) {
    this.counts.here++
    void classifyMessage(j.bytes, j.name, this.maxBytes).then(j.resolve)
  }

  private pump() {
    const live = this.slots.filter((s) => !s.dead)
    if (!live.length) {
      for (const j of this.queue.splice(0)) this.local(j)
      return
    }
    while (this.queue.length) {
      let best: Slot | undefined
      for (const s of live) if (!best || s.outstanding.size < best.outstanding.size) best = s
      if (!best || best.outstanding.size >= PER_WORKER) return
      const jobs = this.queue.splice(0, BATCH)
      const msgs: ClassifyJob[] = []
      const transfer: ArrayBuffer[] = []
      for (const j of jobs) {
        best.outstanding.set(j.id, j)
        // A copy of exactly this message (a view may share a larger buffer, e.g. an mbox read chunk), moved, not
        // cloned, to the worker; the caller keeps its own bytes.
        const copy = new Uint8Array(j.bytes)
        msgs.push({ id: j.id, name: j.name, bytes: copy, maxBytes: this.maxBytes })
        transfer.push(copy.buffer)
      }
      best.worker.postMessage(msgs, transfer)
    }
  }

  async close(): Promise<void> {
    const slots = this.slots
    this.slots = []
    for (const s of slots) s.dead = true
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }
}
