import { createReadStream } from 'node:fs'
import { closeSync, openSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { looksTruncated, MboxSplitter } from '../../core/hygiene/mbox-stream'
import { loadFile, readUpTo, startsAsMbox, type Loaded } from './examine'
import type { Ingestor } from './ingestor'

/**
 * Folders and files on disk: a Maildir (only cur/ and new/ hold messages; tmp/ holds deliveries in progress,
 * https://cr.yp.to/proto/maildir.html, and Maildir++ subfolders start with a dot), a folder of .eml/.msg files,
 * or mbox files, read as a stream so a file of any size costs the memory of one message.
 */

/** Files a Maildir or a mail folder keeps for itself (Dovecot, Courier, macOS): not messages, not errors. */
const METADATA =
  /^(dovecot[.-]|courier|maildirfolder$|maildirsize$|subscriptions$|\.DS_Store$|Thumbs\.db$|\.)/i

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory()
  } catch {
    return false
  }
}

/** Every message file under `path`, in a stable order (sorted names), depth first. */
async function* walk(path: string): AsyncGenerator<string> {
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  const names = new Set(entries.map((e) => e.name))
  const maildir = names.has('cur') && names.has('new')
  for (const e of entries) {
    const p = join(path, e.name)
    if (e.isDirectory()) {
      if (maildir && e.name === 'tmp') continue
      if (maildir && e.name.startsWith('.') && e.name !== '.' && e.name !== '..') {
        yield* walk(p) // Maildir++ folder (.Sent, .Bounces …)
        continue
      }
      if (e.name.startsWith('.')) continue
      yield* walk(p)
    } else if (e.isFile()) {
      if (METADATA.test(e.name)) continue
      // At a Maildir's root only metadata lives; messages are in cur/ and new/.
      if (maildir) continue
      yield p
    }
  }
}

/** The first `size` bytes of a file, synchronously (the 5 bytes that tell an unnamed mbox). */
function readSmall(path: string, size: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    return readUpTo(fd, size)
  } finally {
    closeSync(fd)
  }
}

async function readMbox(path: string, ing: Ingestor) {
  const splitter = new MboxSplitter(ing.maxBytes)
  const name = basename(path)
  let last: { name: string; bytes: Buffer } | undefined
  const handle = async (m: { index: number; bytes: Buffer; tooLarge?: number }) => {
    const itemName = `${name}#${m.index + 1}`
    if (m.tooLarge) return ing.tooLarge(itemName, m.tooLarge)
    // Keep one message back: only at the end do we know whether it is the (possibly truncated) last one.
    if (last) await ing.add(last.name, last.bytes)
    last = { name: itemName, bytes: m.bytes }
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    for (const m of splitter.push(chunk as Buffer)) await handle(m)
    if (ing.cancelled) return
  }
  for (const m of splitter.end()) await handle(m)
  if (last) {
    if (!splitter.endedOnNewline || looksTruncated(last.bytes)) ing.error(last.name, 'TRUNCATED')
    else await ing.add(last.name, last.bytes)
  }
}

async function readOne(path: string, ing: Ingestor, loaded: Loaded) {
  if ('error' in loaded) return ing.error(path, 'UNREADABLE', { reason: loaded.error })
  const { size } = loaded
  if (size === 0) return ing.error(path, 'NOT_A_MESSAGE')
  // An mbox of any size is streamed (the limit applies to each of its messages); by name or by its first line.
  if (/\.mbox$/i.test(path) || (size > ing.maxBytes && readSmall(path, 5).toString('latin1') === 'From ')) {
    return readMbox(path, ing)
  }
  if (size > ing.maxBytes || !loaded.bytes) return ing.tooLarge(path, size)
  const bytes = loaded.bytes
  if (startsAsMbox(bytes)) return readMbox(path, ing)
  await ing.add(path, bytes)
}

/** Counts the files first (cheap) so progress has a total. */
export async function countFiles(paths: string[]): Promise<number> {
  let n = 0
  for (const p of paths) {
    if (await isDir(p)) for await (const _ of walk(p)) n++
    else n++
  }
  return n
}

export async function ingestPaths(paths: string[], ing: Ingestor, onFile?: (done: number) => void) {
  let done = 0
  for (const p of paths) {
    if (ing.cancelled) return
    let dir: boolean
    try {
      dir = (await stat(p)).isDirectory()
    } catch {
      ing.error(p, 'NOT_FOUND')
      continue
    }
    const files = dir
      ? walk(p)
      : (async function* () {
          yield p
        })()
    for await (const file of files) {
      if (ing.cancelled) return
      // A big run hands whole files to its workers; mbox files are streamed here (by name, or by a "From " first
      // line, which the worker finds and hands back), as is everything in a run without workers.
      await take(file, ing, ing.readsFiles && !/\.mbox$/i.test(file))
      onFile?.(++done)
    }
  }
  for (const file of await ing.takeDeferred()) {
    if (ing.cancelled) return
    await take(file, ing, false)
  }
}

async function take(file: string, ing: Ingestor, inWorker: boolean) {
  try {
    if (inWorker) await ing.addFile(file)
    else await readOne(file, ing, loadFile(file, ing.maxBytes))
  } catch (e) {
    ing.error(file, 'UNREADABLE', { reason: (e as Error).message })
  }
}
