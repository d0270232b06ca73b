import type Database from 'better-sqlite3'
import {
  emptySummary,
  type IngestError,
  type IngestSummary,
  type Text
} from '../../../shared/contract/hygiene'
import type { Settings } from '../../../shared/settings'
import type { ClassifiedMessage } from '../../core/hygiene/classify'
import type { HygieneRepo } from '../../db/repos/hygiene'
import { inProcessClassifier, type Classifier, type ClassifyFn } from './classify-pool'
import { identify, keepsRaw, keyOf, looksLikeMessage, type Examined } from './examine'

/**
 * The ingest pipeline shared by every source (folders, uploads, IMAP): dedup → classify → store, with writes
 * batched in one SQLite transaction per BATCH messages (one fsync per batch instead of one per message: the
 * database runs with synchronous=FULL). A batch is committed before a source moves its cursor, so a crash or a
 * dropped connection loses nothing that was reported as read. Classification is the light path
 * (core/hygiene/light.ts), in worker threads for big runs (classify-pool.ts); dedup and writes stay here.
 */
const BATCH = 1000

/** English renderings of the error codes, for the CLI and logs; the UI translates `code` + `params`. */
const EN: Record<string, (p: Record<string, string | number>) => string> = {
  NOT_A_MESSAGE: (p) => `${p.file}: not an email message (no header block)`,
  TOO_LARGE: (p) =>
    `${p.file}: ${p.mb} MB is over the ${p.limitMb} MB limit (Settings → Maximum file size); skipped`,
  TRUNCATED: (p) =>
    `${p.file}: the mbox ends in the middle of a message (a copy that did not finish); skipped`,
  UNREADABLE: (p) => `${p.file}: could not be read (${p.reason})`,
  PARSE_ERROR: (p) => `${p.file}: could not be analysed (${p.reason})`,
  NOT_FOUND: (p) => `${p.file}: no such file or folder`,
  IMAP_CONNECTION: (p) =>
    `${p.file}: the connection to the IMAP server was lost (${p.reason}); what was read is kept and the next run resumes`
}

export function ingestError(
  file: string,
  code: string,
  params: Record<string, string | number> = {}
): IngestError {
  const all = { file, ...params }
  return { file, code, params: all, message: (EN[code] ?? ((x) => `${x.file}: ${code}`))(all) }
}

interface Pending {
  messageId: string
  sha256: string
  name: string
  at: string
  c: ClassifiedMessage
  raw?: Uint8Array
}

export interface IngestorDeps {
  db: Database.Database
  repo: HygieneRepo
  settings: Settings
  now: () => Date
  sourceId: number | null
  sourceLabel: string
  signal?: AbortSignal
  onProgress?: (done: number) => void
  /** Classification in this thread (the default: the light path, core/hygiene/light.ts); tests may wrap it. */
  classify?: ClassifyFn
  /**
   * Worker threads for classification, started once a run proves big enough (POOL_AFTER messages, or `expect`).
   * Absent or returning undefined: everything is classified in this thread.
   */
  pool?: (maxBytes: number, dbFile?: string) => Classifier | undefined
  /** Bound on the bytes in classification at once (default MAX_IN_FLIGHT_BYTES); tests make it small. */
  maxInFlightBytes?: number
}

/** Below this many messages a run is classified in this thread: starting workers would cost more than it saves. */
const POOL_AFTER = 200

/**
 * Bytes of messages handed to classification and not yet back. The count alone (the classifier's capacity) would let
 * a mailbox of 50 MB messages hold gigabytes in flight; this keeps the queue to a few messages of that size while a
 * mailbox of ordinary bounces (a few KB each) is bounded by the count. Memory in flight is up to about twice this
 * (the copy each worker receives, classify-pool.ts).
 */
const MAX_IN_FLIGHT_BYTES = 64 * 1048576

export class Ingestor {
  readonly summary = emptySummary()
  private pending: Pending[] = []
  /** Keys of the messages being classified or waiting for the next batch: a second copy is a duplicate too. */
  private keys = new Set<string>()
  /** Messages handed to classification and not back yet, and their bytes. */
  private inFlight = 0
  private inFlightBytes = 0
  /**
   * The one waiter for a classification to come back (`add` waits when the queue is full; `flush` when it must be
   * empty). Promise.race over the whole in-flight set would attach a reaction to every pending promise on every call:
   * with a few hundred in flight, that is hundreds of allocations per message.
   */
  private settled?: () => void
  private failure: unknown
  private classifier: Classifier
  private pooled = false
  private submitted = 0
  private suppressedBefore: number
  readonly maxBytes: number

  constructor(private readonly d: IngestorDeps) {
    this.maxBytes = d.settings.maxFileMb * 1048576
    this.suppressedBefore = this.countSuppressed()
    this.classifier = inProcessClassifier(this.maxBytes, d.classify)
  }

  get cancelled(): boolean {
    return this.d.signal?.aborted ?? false
  }

  /** The source's count of what is coming (files in a folder): a big run starts its workers at once. */
  expect(messages: number) {
    if (messages >= POOL_AFTER) this.startPool()
  }

  private startPool() {
    if (this.pooled) return
    this.pooled = true
    // The workers look keys up on read-only connections of their own: a file database only (not ':memory:').
    const pool = this.d.pool?.(this.maxBytes, this.d.db.memory ? undefined : this.d.db.name)
    if (pool) this.classifier = pool
  }

  error(file: string, code: string, params: Record<string, string | number> = {}) {
    this.summary.errors.push(ingestError(file, code, params))
  }

  tooLarge(file: string, bytes: number) {
    this.error(file, 'TOO_LARGE', {
      mb: Math.round((bytes / 1048576) * 10) / 10,
      limitMb: this.d.settings.maxFileMb
    })
  }

  /**
   * One message. Returns false for a duplicate (already stored, or twice in this run). Classification may finish
   * after this returns (worker threads); `flush` and `finish` wait for it. The wait here only bounds the queue.
   */
  async add(name: string, bytes: Uint8Array): Promise<boolean> {
    if (!looksLikeMessage(bytes)) {
      this.error(name, 'NOT_A_MESSAGE')
      return true
    }
    const { messageId, sha256, key, report, date } = identify(bytes)
    if (this.keys.has(key) || this.d.repo.hasMessage(messageId, sha256)) {
      this.summary.duplicates++
      return false
    }
    this.keys.add(key)
    if (report) {
      this.accept(messageId, sha256, name, { kind: report, events: [] }, date, new Uint8Array(bytes))
      return true
    }
    if (++this.submitted > POOL_AFTER) this.startPool()
    this.inFlight++
    this.inFlightBytes += bytes.byteLength
    void this.classifier
      .classify(bytes, name)
      .then(
        (o) => {
          if (o.ok)
            return this.accept(
              messageId,
              sha256,
              name,
              o.c,
              o.date,
              keepsRaw(o.c) ? new Uint8Array(bytes) : undefined
            )
          this.keys.delete(key)
          this.error(name, o.code === 'NOT_A_MESSAGE' ? 'NOT_A_MESSAGE' : 'PARSE_ERROR', {
            reason: o.message
          })
        },
        (e: unknown) => {
          this.keys.delete(key)
          this.error(name, 'PARSE_ERROR', { reason: (e as Error).message })
        }
      )
      .catch(this.fail)
      .finally(() => this.settle(bytes.byteLength))
    await this.room()
    return true
  }

  /**
   * Whether the files of a folder go to the workers whole (path in, classification out: examine.ts), so this thread
   * neither reads, hashes nor copies them: the pool decides (classify-pool.ts, `examineFile`).
   */
  get readsFiles(): boolean {
    return this.classifier.examineFile !== undefined
  }

  /**
   * One file of a folder, read and classified by a worker (only when `readsFiles`). A file the worker leaves to
   * this thread (an mbox, a file over the size limit) is kept for `takeDeferred`, read here after the others.
   */
  async addFile(path: string): Promise<void> {
    if (!this.classifier.examineFile) throw new Error('addFile: this classifier does not read files')
    this.inFlight++
    void this.classifier
      .examineFile(path)
      .then(
        (x) => this.examined(path, x),
        (e: unknown) => this.error(path, 'PARSE_ERROR', { reason: (e as Error).message })
      )
      .catch(this.fail)
      .finally(() => this.settle(0))
    await this.room()
  }

  private deferred: string[] = []

  /** The files the workers left to this thread, once every file handed to them is back. */
  async takeDeferred(): Promise<string[]> {
    while (this.inFlight) await this.oneSettled()
    return this.deferred.splice(0)
  }

  private examined(path: string, x: Examined) {
    if (x.t === 'main') return void this.deferred.push(path)
    if (x.t === 'error') return this.error(path, x.code, x.params)
    if (x.t === 'stored') return void this.summary.duplicates++
    const key = keyOf(x.messageId, x.sha256)
    // Twice in this run (the copy still waiting for its batch), or stored since the worker looked.
    if (this.keys.has(key) || (!x.checked && this.d.repo.hasMessage(x.messageId, x.sha256))) {
      this.summary.duplicates++
      return
    }
    this.keys.add(key)
    this.accept(x.messageId, x.sha256, path, x.c, x.date, x.raw)
  }

  /** A failed write (disk full, database locked) fails the run: kept here, thrown by add/flush, never lost. */
  private fail = (e: unknown) => void (this.failure ??= e)

  /** A classification came back: its slot is free. */
  private settle(bytes: number) {
    this.inFlight--
    this.inFlightBytes -= bytes
    const wake = this.settled
    this.settled = undefined
    wake?.()
  }

  /** Waits while the queue to classification is full (by count, or by bytes); then reports a failed write. */
  private async room() {
    while (
      this.inFlight >= this.classifier.capacity ||
      (this.inFlightBytes > (this.d.maxInFlightBytes ?? MAX_IN_FLIGHT_BYTES) && this.inFlight > 0)
    )
      await this.oneSettled()
    if (this.failure) throw this.failure
  }

  /** `raw`: the message's own copy of its bytes, when it is kept (examine.ts keepsRaw). */
  private accept(
    messageId: string,
    sha256: string,
    name: string,
    c: ClassifiedMessage,
    date: string | null,
    raw: Uint8Array | undefined
  ) {
    const t = date ? Date.parse(date) : NaN
    const at = Number.isNaN(t) ? this.d.now().toISOString() : new Date(t).toISOString()
    this.pending.push({ messageId, sha256, name, at, c, ...(raw ? { raw } : {}) })
    this.count(c)
    if (this.pending.length >= BATCH) this.write()
  }

  /** Counts a message in the summary (`by` -1 takes back one the database turned out to hold already). */
  private count(c: ClassifiedMessage, by: 1 | -1 = 1) {
    const s = this.summary
    s.messages += by
    if (c.kind === 'bounce') s.bounces += by
    else if (c.kind === 'complaint') s.complaints += by
    else if (c.kind === 'auto-reply') s.autoReplies += by
    else if (c.kind === 'delay') s.delays += by
    else if (c.kind === 'challenge') s.challenges += by
    else if (c.kind === 'dmarc-report' || c.kind === 'tls-report') s.reports += by
    else s.other += by
    s.senderBlocks += by * c.events.filter((e) => e.type === 'block').length
    if (by > 0 && s.messages % 100 === 0) this.d.onProgress?.(s.messages)
  }

  private countSuppressed(): number {
    return (
      this.d.db
        .prepare(`SELECT count(*) AS n FROM hygiene_suppressions WHERE state = 'suppressed'`)
        .get() as {
        n: number
      }
    ).n
  }

  /** Resolves when the next classification in flight has come back and been handled. */
  private oneSettled(): Promise<void> {
    return new Promise((resolve) => {
      const before = this.settled
      this.settled = () => {
        before?.()
        resolve()
      }
    })
  }

  /** Waits for every message handed to `add`, then commits them: a source moves its cursor only after this. */
  async flush() {
    while (this.inFlight) await this.oneSettled()
    if (this.failure) throw this.failure
    this.write()
  }

  /** Writes the pending messages, their events and the affected addresses' suppression state in one transaction. */
  private write() {
    if (!this.pending.length) return
    const batch = this.pending
    this.pending = []
    const rules = this.d.settings.hygieneRules
    this.d.db.transaction(() => {
      const touched = new Set<string>()
      for (const p of batch) {
        const row = this.d.repo.addMessage({
          sourceId: this.d.sourceId,
          messageId: p.messageId,
          sha256: p.sha256,
          kind: p.c.kind,
          at: p.at,
          name: p.name,
          originalMessageId: p.c.originalMessageId,
          listId: p.c.listId,
          raw: p.raw
        })
        if (row === null) {
          // Stored meanwhile (another run, or a copy a worker looked up before its twin's batch was committed):
          // the unique key is the ground truth, so the summary says duplicate.
          this.count(p.c, -1)
          this.summary.duplicates++
          continue
        }
        for (const e of p.c.events) {
          this.d.repo.addEvent(row, e, p.at, this.d.sourceLabel)
          if (e.type !== 'block' && e.type !== 'delay') touched.add(e.email)
        }
      }
      this.d.repo.recompute(touched, rules)
    })()
    // Stored now: the database answers for these keys from here on.
    for (const p of batch) this.keys.delete(keyOf(p.messageId, p.sha256))
  }

  async finish(): Promise<IngestSummary & { notices: Text[] }> {
    try {
      await this.flush()
    } finally {
      await this.classifier.close()
    }
    this.summary.suppressed = Math.max(0, this.countSuppressed() - this.suppressedBefore)
    this.summary.cancelled = this.cancelled
    this.d.onProgress?.(this.summary.messages)
    return this.summary
  }
}
