import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { classifyMessage } from '../../core/hygiene/light'
import { startBackend } from '../../host/startable-backend'
import type { IngestSummary, Suppression } from '../../../shared/contract/hygiene'
import { ClassifyPool, defaultPoolSize, workerScript } from './classify-pool'
import { examineFile, type Examined } from './examine'
import { startEarly, takeEarly } from './worker-start'

/**
 * The ingest's worker threads (issue 12): they must classify exactly as the main thread does, lose nothing when a
 * worker cannot run, and leave the stored results, dedup and counts of a run unchanged.
 */
const FIX = join(__dirname, '../../core/bounce/fixtures')
const MAX = 50 * 1048576

const fixtures = () => {
  const out: { name: string; bytes: Buffer }[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else if (e.name.endsWith('.eml')) out.push({ name: e.name, bytes: readFileSync(join(d, e.name)) })
    }
  }
  walk(FIX)
  return out
}

const pools: ClassifyPool[] = []
afterEach(async () => {
  while (pools.length) await pools.pop()!.close()
})

describe('ClassifyPool', () => {
  it('classifies in worker threads exactly as in this thread', async () => {
    const script = workerScript()
    expect(script).toBeDefined()
    const pool = new ClassifyPool(MAX, 2, script!)
    pools.push(pool)
    const list = fixtures()
    expect(list.length).toBeGreaterThan(10)
    const inWorkers = await Promise.all(list.map((f) => pool.classify(f.bytes, f.name)))
    const here = await Promise.all(list.map((f) => classifyMessage(f.bytes, f.name, MAX)))
    expect(inWorkers).toEqual(here)
    expect(inWorkers.filter((o) => o.ok).length).toBe(list.length)
    // Really in the workers: none fell back to this thread.
    expect(pool.counts).toEqual({ workers: list.length, here: 0 })
  })

  it('classifies everything in this thread when its workers cannot start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-pool-'))
    const broken = join(dir, 'broken-worker.js')
    writeFileSync(broken, 'throw new Error("this worker cannot start")\n')
    const pool = new ClassifyPool(MAX, 2, { file: broken })
    pools.push(pool)
    const list = fixtures()
    const out = await Promise.all(list.map((f) => pool.classify(f.bytes, f.name)))
    expect(out).toEqual(await Promise.all(list.map((f) => classifyMessage(f.bytes, f.name, MAX))))
    expect(pool.counts).toEqual({ workers: 0, here: list.length })
  })

  it('adopts the workers the CLI started early, and never one that failed before it was adopted', async () => {
    const script = workerScript()!
    startEarly(1, script)
    const pool = new ClassifyPool(MAX, 1, script)
    pools.push(pool)
    // Adopted: none left over for another pool.
    expect(takeEarly(1)).toEqual([])
    const list = fixtures().slice(0, 5)
    expect(await Promise.all(list.map((f) => pool.classify(f.bytes, f.name)))).toEqual(
      await Promise.all(list.map((f) => classifyMessage(f.bytes, f.name, MAX)))
    )
    expect(pool.counts).toEqual({ workers: list.length, here: 0 })

    const broken = join(mkdtempSync(join(tmpdir(), 'dd-pool-')), 'broken-worker.js')
    writeFileSync(broken, 'throw new Error("this worker cannot start")\n')
    const [failing] = startEarly(1, { file: broken })
    expect(failing).toBeDefined()
    // (events.once would reject on the worker's 'error', which startEarly itself handles)
    await new Promise((resolve) => failing.on('exit', resolve))
    expect(takeEarly(1)).toEqual([])
  })

  it('with two workers or more, reads, identifies and classifies whole files in the workers as this thread would', async () => {
    const script = workerScript()!
    expect(new ClassifyPool(MAX, 1, script).examineFile).toBeUndefined()
    const pool = new ClassifyPool(MAX, 2, script)
    pools.push(pool)
    const dir = mkdtempSync(join(tmpdir(), 'dd-pool-files-'))
    const files = fixtures()
      .slice(0, 30)
      .map((f, i) => {
        const path = join(dir, `${i}.eml`)
        writeFileSync(path, f.bytes)
        return path
      })
    const n = files.length
    expect(n).toBeGreaterThan(10)
    // Files a worker leaves to this thread or refuses, as folder-source.ts would.
    writeFileSync(join(dir, 'empty.eml'), '')
    writeFileSync(join(dir, 'photo.eml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))
    writeFileSync(join(dir, 'box'), 'From a@example.org Mon Nov  3 10:00:00 2025\nSubject: x\n\nbody\n')
    files.push(join(dir, 'empty.eml'), join(dir, 'photo.eml'), join(dir, 'box'), join(dir, 'missing.eml'))
    // A kept message's bytes come back as a plain Uint8Array (moved between threads), here as a Buffer: same bytes.
    const bytesAsBuffer = (x: Examined) =>
      x.t === 'message' && x.raw ? { ...x, raw: Buffer.from(x.raw) } : x
    const inWorkers = (await Promise.all(files.map((f) => pool.examineFile!(f)))).map(bytesAsBuffer)
    const here = (await Promise.all(files.map((f) => examineFile(f, MAX)))).map(bytesAsBuffer)
    expect(inWorkers).toEqual(here)
    expect(inWorkers.some((x) => x.t === 'message' && x.raw)).toBe(true)
    expect(inWorkers.slice(0, n).every((x) => x.t === 'message')).toBe(true)
    expect(inWorkers.slice(n).map((x) => (x.t === 'error' ? x.code : x.t))).toEqual([
      'NOT_A_MESSAGE',
      'NOT_A_MESSAGE',
      'main',
      'UNREADABLE'
    ])
    expect(pool.counts).toEqual({ workers: files.length, here: 0 })
  })

  it('takes its size from DELIVERY_DESK_INGEST_WORKERS when set', () => {
    expect(defaultPoolSize({ DELIVERY_DESK_INGEST_WORKERS: '0' })).toBe(0)
    expect(defaultPoolSize({ DELIVERY_DESK_INGEST_WORKERS: '3' })).toBe(3)
    expect(defaultPoolSize({ DELIVERY_DESK_INGEST_WORKERS: 'many' })).toBeGreaterThanOrEqual(1)
  })
})

describe('an ingest big enough for workers', () => {
  /** 300 distinct bounces (each fixture with its own Message-ID), plus one exact copy of each of the first 20. */
  function folder(): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'dd-pool-ingest-')), 'mail')
    mkdirSync(dir)
    const list = fixtures()
    for (let i = 0; i < 300; i++) {
      const f = list[i % list.length]
      const raw = f.bytes
        .toString('latin1')
        .replace(/^Message-ID:[^\n]*\n/im, '')
        .replace(/^/, `Message-ID: <copy-${i}@bench.example>\n`)
      writeFileSync(join(dir, `${String(i).padStart(3, '0')}.eml`), raw, 'latin1')
      if (i < 20) writeFileSync(join(dir, `${String(i).padStart(3, '0')}-again.eml`), raw, 'latin1')
    }
    return dir
  }

  async function ingest(dir: string, inThread: boolean) {
    const b = startBackend({
      host: 'cli',
      // a message without a Date: header is dated "now": the same now for both runs
      now: () => new Date('2025-11-10T12:00:00Z'),
      ...(inThread ? { hygieneClassify: classifyMessage } : {})
    })
    try {
      const progress: number[] = []
      b.subscribe((name, p) => {
        if (name === 'progress') progress.push((p as { done: number }).done)
      })
      const r = await b.dispatch('hygiene.ingestPaths', { paths: [dir] })
      if (!r.ok) throw new Error(r.error.message)
      const data = async (p: ReturnType<typeof b.dispatch>) => {
        const res = await p
        if (!res.ok) throw new Error(res.error.message)
        return res.data
      }
      const rows = (await data(b.dispatch('hygiene.suppressions', {}))) as { rows: Suppression[] }
      return {
        summary: r.data as IngestSummary,
        rows: rows.rows.map(({ explanation: _e, ...r }) => r),
        stats: await data(b.dispatch('hygiene.stats', {})),
        again: (await data(b.dispatch('hygiene.ingestPaths', { paths: [dir] }))) as IngestSummary,
        progress
      }
    } finally {
      b.close()
    }
  }

  it('stores the same messages, events and suppressions as a run in one thread', async () => {
    const before = process.env.DELIVERY_DESK_INGEST_WORKERS
    process.env.DELIVERY_DESK_INGEST_WORKERS = '2'
    try {
      const dir = folder()
      const pooled = await ingest(dir, false)
      const single = await ingest(dir, true)
      expect(pooled.summary.messages).toBe(300)
      expect(pooled.summary.duplicates).toBe(20)
      expect(pooled.summary.errors).toEqual([])
      expect(pooled.summary).toEqual(single.summary)
      expect(pooled.rows).toEqual(single.rows)
      expect(pooled.stats).toEqual(single.stats)
      // Dedup holds across runs: the second pass stores nothing.
      expect(pooled.again.messages).toBe(0)
      expect(pooled.again.duplicates).toBe(320)
      // Progress is reported while the workers run, and ends at the total.
      expect(pooled.progress.length).toBeGreaterThan(3)
      expect(Math.max(...pooled.progress)).toBe(300)
    } finally {
      if (before === undefined) delete process.env.DELIVERY_DESK_INGEST_WORKERS
      else process.env.DELIVERY_DESK_INGEST_WORKERS = before
    }
  }, 60_000)
  it('ends the files the workers hand back (an mbox without the name, a non-message, an empty file) as one thread does', async () => {
    const before = process.env.DELIVERY_DESK_INGEST_WORKERS
    process.env.DELIVERY_DESK_INGEST_WORKERS = '2'
    try {
      const dir = folder()
      const bounce = fixtures()[1]
        .bytes.toString('latin1')
        .replace(/^Message-ID:[^\n]*\n/im, '')
      const mbox = [1, 2]
        .map(
          (i) =>
            `From a@example.org Mon Nov  3 10:00:00 2025\nMessage-ID: <box-${i}@bench.example>\n${bounce}\n`
        )
        .join('')
      writeFileSync(join(dir, 'saved-box'), mbox, 'latin1')
      writeFileSync(join(dir, 'photo.eml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))
      writeFileSync(join(dir, 'empty.eml'), '')
      const byFile = (s: IngestSummary) => ({
        ...s,
        errors: [...s.errors].sort((a, b) => (a.file < b.file ? -1 : 1))
      })
      const pooled = await ingest(dir, false)
      const single = await ingest(dir, true)
      expect(pooled.summary.messages).toBe(302)
      expect(pooled.summary.errors.map((e) => e.code).sort()).toEqual(['NOT_A_MESSAGE', 'NOT_A_MESSAGE'])
      expect(byFile(pooled.summary)).toEqual(byFile(single.summary))
      expect(pooled.rows).toEqual(single.rows)
      expect(pooled.stats).toEqual(single.stats)
      expect(pooled.again.messages).toBe(0)
    } finally {
      if (before === undefined) delete process.env.DELIVERY_DESK_INGEST_WORKERS
      else process.env.DELIVERY_DESK_INGEST_WORKERS = before
    }
  }, 60_000)
})
