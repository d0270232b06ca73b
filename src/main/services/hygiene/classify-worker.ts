import { parentPort } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { classifyMessage, type LightOutcome } from '../../core/hygiene/light'
import { openReadOnly } from '../../db/open'
import { messageLookup } from '../../db/repos/hygiene'
import { examineFile, type Examined } from './examine'

/**
 * A worker thread of the ingest's classification pool (classify-pool.ts). Two kinds of job:
 * - bytes the calling thread read (an mbox's messages, IMAP): classification out;
 * - a file of a folder: the worker reads, identifies, looks up and classifies it (examine.ts), so the calling thread
 *   only stores. The look-up uses a read-only connection to the ingest's database (`dbFile`); without one, or when
 *   it cannot be opened, the calling thread looks the key up itself.
 * No DNS, no mailauth: it starts quickly.
 */
export type ClassifyJob =
  | { id: number; name: string; bytes: Uint8Array; maxBytes: number }
  | { id: number; path: string; maxBytes: number; dbFile?: string }

export interface WorkerDone {
  id: number
  outcome?: LightOutcome
  examined?: Examined
}

type Lookup = (messageId: string, sha256: string) => boolean
/** The read-only connection of the database named in the jobs (a worker may serve several ingests in turn). */
let opened: { file: string; db?: Database.Database; lookup?: Lookup } | undefined
function lookupIn(dbFile: string | undefined): Lookup | undefined {
  if (!dbFile) return undefined
  if (opened?.file !== dbFile) {
    opened?.db?.close()
    opened = { file: dbFile }
    try {
      opened.db = openReadOnly(dbFile)
      opened.lookup = messageLookup(opened.db)
    } catch {
      // the calling thread looks the key up instead
    }
  }
  return opened.lookup
}

/**
 * Kept bytes a reply may carry before it is sent early: a batch of big messages kept whole (reports, blocks) goes back
 * in several replies, so neither thread holds more than this of them waiting (the ingest bounds what it sends the
 * same way, ingestor.ts MAX_IN_FLIGHT_BYTES).
 */
const REPLY_BYTES = 16 * 1048576

const port = parentPort
if (port) {
  port.on('message', (jobs: ClassifyJob[]) => {
    void (async () => {
      let out: WorkerDone[] = []
      let transfer: ArrayBuffer[] = []
      let bytes = 0
      for (const j of jobs) {
        if ('path' in j) {
          let examined: Examined
          try {
            examined = await examineFile(j.path, j.maxBytes, lookupIn(j.dbFile))
          } catch (e) {
            examined = { t: 'error', code: 'PARSE_ERROR', params: { reason: (e as Error).message } }
          }
          // The kept bytes are this file's own buffer (examine.ts readUpTo): moved back, not copied.
          if (examined.t === 'message' && examined.raw) {
            transfer.push(examined.raw.buffer as ArrayBuffer)
            bytes += examined.raw.byteLength
          }
          out.push({ id: j.id, examined })
        } else out.push({ id: j.id, outcome: await classifyMessage(j.bytes, j.name, j.maxBytes) })
        if (bytes > REPLY_BYTES) {
          port.postMessage(out, transfer)
          out = []
          transfer = []
          bytes = 0
        }
      }
      if (out.length) port.postMessage(out, transfer)
    })()
  })
}
