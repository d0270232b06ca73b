import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import {
  emptySummary,
  type IngestError,
  type IngestSummary,
  type Text
} from '../../../shared/contract/hygiene'
import type { Settings } from '../../../shared/settings'
import { detectReport, type ClassifiedMessage } from '../../core/hygiene/classify'
import type { HygieneRepo } from '../../db/repos/hygiene'
import { inProcessClassifier, type Classifier, type ClassifyFn } from './classify-pool'

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

/** Message-ID from the header block, read before any parsing so duplicates cost a hash and one index lookup. */
export function headerMessageId(head: string): string {
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\r\n]*>|[^\s]+)/im.exec(head)
  return m ? m[1].trim().toLowerCase() : ''
}

/**
 * sha256 of the message with LF line ends. IMAP servers hand out CRLF (RFC 3501 §4.3) while a Maildir keeps the
 * file as delivered (usually LF): normalising makes the same message read over IMAP and from a folder copy one.
 */
export function normalisedSha256(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const h = createHash('sha256')
  if (!buf.includes(13)) return h.update(buf).digest('hex')
  let start = 0
  for (;;) {
    const i = buf.indexOf('\r\n', start)
    if (i < 0) break
    h.update(buf.subarray(start, i))
    start = i + 1 // keep the \n
  }
  h.update(buf.subarray(start))
  return h.digest('hex')
}

/** A header block first (RFC 5322 §2.1: field name, colon), or an Outlook .msg (OLE2 compound file magic). */
export function looksLikeMessage(bytes: Uint8Array): boolean {
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)
    return true
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString(
    'latin1'
  )
  return /^(?:From [^\n]*\n)?[!-9;-~]+:[^\n]*\n/.test(head)
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
  pool?: (maxBytes: number) => Classifier | undefined
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
    const pool = this.d.pool?.(this.maxBytes)
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
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 65536)).toString(
      'latin1'
    )
    const headerEnd = head.search(/\r?\n\r?\n/)
    const messageId = headerMessageId(headerEnd < 0 ? head : head.slice(0, headerEnd))
    const sha256 = normalisedSha256(bytes)
    const key = `${messageId}\u0000${sha256}`
    if (this.keys.has(key) || this.d.repo.hasMessage(messageId, sha256)) {
      this.summary.duplicates++
      return false
    }
    this.keys.add(key)
    const report = detectReport(headerEnd < 0 ? head : head.slice(0, headerEnd))
    if (report) {
      const date = /^date:[ \t]*([^\r\n]+)/im.exec(head)?.[1]
      this.accept(messageId, sha256, name, bytes, { kind: report, events: [] }, date ?? null)
      return true
    }
    if (++this.submitted > POOL_AFTER) this.startPool()
    this.inFlight++
    this.inFlightBytes += bytes.byteLength
    void this.classifier
      .classify(bytes, name)
      .then(
        (o) => {
          if (o.ok) return this.accept(messageId, sha256, name, bytes, o.c, o.date)
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
      // A failed write (disk full, database locked) fails the run: kept here, thrown by add/flush, never lost.
      .catch((e: unknown) => void (this.failure ??= e))
      .finally(() => {
        this.inFlight--
        this.inFlightBytes -= bytes.byteLength
        const wake = this.settled
        this.settled = undefined
        wake?.()
      })
    while (
      this.inFlight >= this.classifier.capacity ||
      (this.inFlightBytes > (this.d.maxInFlightBytes ?? MAX_IN_FLIGHT_BYTES) && this.inFlight > 0)
    )
      await this.oneSettled()
    if (this.failure) throw this.failure
    return true
  }

  private accept(
    messageId: string,
    sha256: string,
    name: string,
    bytes: Uint8Array,
    c: ClassifiedMessage,
    date: string | null
  ) {
    const t = date ? Date.parse(date) : NaN
    const at = Number.isNaN(t) ? this.d.now().toISOString() : new Date(t).toISOString()
    const keepRaw =
      c.kind === 'dmarc-report' || c.kind === 'tls-report' || c.events.some((e) => e.type === 'block')
    this.pending.push({ messageId, sha256, name, at, c, ...(keepRaw ? { raw: new Uint8Array(bytes) } : {}) })
    this.count(c)
    if (this.pending.length >= BATCH) this.write()
  }

  private count(c: ClassifiedMessage) {
    const s = this.summary
    s.messages++
    if (c.kind === 'bounce') s.bounces++
    else if (c.kind === 'complaint') s.complaints++
    else if (c.kind === 'auto-reply') s.autoReplies++
    else if (c.kind === 'delay') s.delays++
    else if (c.kind === 'challenge') s.challenges++
    else if (c.kind === 'dmarc-report' || c.kind === 'tls-report') s.reports++
    else s.other++
    s.senderBlocks += c.events.filter((e) => e.type === 'block').length
    if (s.messages % 100 === 0) this.d.onProgress?.(s.messages)
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

  /** Waits for every message handed to `add`, then commits them: a source moves its cursor only after this. */
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
        if (row === null) continue
        for (const e of p.c.events) {
          this.d.repo.addEvent(row, e, p.at, this.d.sourceLabel)
          if (e.type !== 'block' && e.type !== 'delay') touched.add(e.email)
        }
      }
      this.d.repo.recompute(touched, rules)
    })()
    // Stored now: the database answers for these keys from here on.
    for (const p of batch) this.keys.delete(`${p.messageId}\u0000${p.sha256}`)
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
