import type { Worker } from 'node:worker_threads'
import { classifyMessage, type LightOutcome } from '../../core/hygiene/light'
import type { ClassifyJob, WorkerDone } from './classify-worker'
import type { Examined } from './examine'
import { startWorker, takeEarly, type WorkerScript } from './worker-start'

export { defaultPoolSize, workerScript, type WorkerScript } from './worker-start'

/**
 * Where the ingest's classification runs: in this thread, or in a small pool of worker threads (issue 12: a
 * 10,000-message Maildir at several times Perl sisimai's speed). Parsing and classifying a message is pure CPU
 * work on bytes, so it moves to workers well; the calling thread keeps reading, deduplication and the SQLite
 * writes (one connection, batched transactions). The queue is bounded by the caller (`capacity`), so memory
 * stays that of a few hundred messages whatever the mailbox's size.
 */
export interface Classifier {
  classify(bytes: Uint8Array, name: string): Promise<LightOutcome>
  /** A file of a folder read, identified and classified where the classification runs (examine.ts); optional. */
  examineFile?(path: string): Promise<Examined>
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

/** Bytes to classify (an mbox or IMAP message, read by the calling thread), or a file the worker reads itself. */
type Job =
  | { id: number; name: string; bytes: Uint8Array; resolve: (o: LightOutcome) => void }
  | { id: number; path: string; resolve: (x: Examined) => void }

interface Slot {
  worker: Worker
  outstanding: Map<number, Job>
  dead: boolean
}

export class ClassifyPool implements Classifier {
  readonly capacity: number
  /** Messages classified by the workers and, after a worker failed, in this thread. */
  readonly counts = { workers: 0, here: 0 }
  private slots: Slot[] = []
  private queue: Job[] = []
  private seq = 0
  /**
   * Files a worker reads itself: offered with two workers or more. One thread reading, hashing and copying for N
   * workers becomes their bottleneck (measured with 2 workers on the 2-core bench machine: 4.9–5.0 s for the
   * 9,520-file Maildir, against 5.2–5.45 s when this thread reads). With a single worker this thread reads, or it
   * would sit idle while the worker reads and classifies alone (5.1 s against 4.25 s).
   */
  readonly examineFile?: (path: string) => Promise<Examined>

  /**
   * `dbFile`: the database the ingest writes, which the workers open read-only to skip a stored file before
   * classifying it (WAL lets readers run beside the writer: https://www.sqlite.org/wal.html). Without it the main
   * thread does that look-up when the classification comes back.
   */
  constructor(
    private readonly maxBytes: number,
    size: number,
    script: WorkerScript,
    private readonly dbFile?: string
  ) {
    this.capacity = size * PER_WORKER
    if (size >= 2)
      this.examineFile = (path) =>
        new Promise((resolve) => {
          this.queue.push({ id: ++this.seq, path, resolve })
          this.pump()
        })
    // Workers the CLI started while it loaded (host/cli-early.ts) first: they have booted already.
    const ready = takeEarly(size)
    for (let i = 0; i < size; i++) {
      const worker = ready[i] ?? startWorker(script)
      const slot: Slot = { worker, outstanding: new Map(), dead: false }
      worker.on('message', (done: WorkerDone[]) => {
        for (const d of done) {
          const job = slot.outstanding.get(d.id)
          slot.outstanding.delete(d.id)
          this.counts.workers++
          if (job && 'path' in job) job.resolve(d.examined!)
          else job?.resolve(d.outcome!)
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
    // A file goes back to the calling thread's own path (folder-source.ts), which reads and checks it as always.
    if ('path' in j) return j.resolve({ t: 'main' })
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
        if ('path' in j) {
          msgs.push({ id: j.id, path: j.path, maxBytes: this.maxBytes, dbFile: this.dbFile })
          continue
        }
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
