/**
 * bench:dmarc — ingest 10,000 generated aggregate reports (gzip, 1–20 records each, several reporters) through
 * the same service the UI and CLI use, into a real SQLite file, one file at a time. Prints the rate and the RSS /
 * heap after each 1,000 reports: memory must stay flat because nothing but the current file is held.
 *
 * Usage: npx tsx --expose-gc scripts/bench-dmarc.ts [--reports 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { aggregateXml, gz, type FixtureRecord } from '../test/support/dmarc-fixtures'
import { startBackend } from '../src/main/host/backend'
import { createRepos } from '../src/main/services/context'
import { createDmarcService } from '../src/main/services/dmarc-service'

const arg = process.argv.indexOf('--reports')
const N = arg > 0 ? Number(process.argv[arg + 1]) : 10_000
const ORGS = ['google.com', 'outlook.com', 'yahoo.com', 'comcast.net', 'mail.ru', 'fastmail.com']

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
function rng(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-bench-dmarc-'))
  const backend = startBackend({ dataDir, host: 'cli', recheck: false })
  // The same use-case the dispatcher runs (ingestBytes), without the base64 hop of the HTTP/IPC transports.
  const svc = createDmarcService(backend.ctx, createRepos(backend.ctx.db, backend.ctx.now))
  const rand = rng(42)
  const gc = (globalThis as { gc?: () => void }).gc
  let records = 0
  let messages = 0
  let bytes = 0
  const mem: string[] = []
  const start = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const n = 1 + Math.floor(rand() * 20)
    const recs: FixtureRecord[] = Array.from({ length: n }, () => {
      const ok = rand() < 0.85
      return {
        ip: `198.51.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
        count: 1 + Math.floor(rand() * 500),
        dkim: ok ? 'pass' : 'fail',
        spf: ok && rand() < 0.7 ? 'pass' : 'fail',
        dkimDomain: `bench${i % 50}.example`
      }
    })
    const file = gz(
      aggregateXml({
        org: ORGS[i % ORGS.length],
        reportId: `bench-${i}`,
        domain: `bench${i % 50}.example`,
        begin: 1_735_689_600 + (i % 90) * 86400,
        records: recs
      })
    )
    bytes += file.length
    const r = await svc.ingestBytes(file, `bench-${i}.xml.gz`)
    if (r.errors.length) throw new Error(r.errors[0].error)
    records += r.records
    messages += r.messages
    if ((i + 1) % 1000 === 0) {
      gc?.()
      const m = process.memoryUsage()
      mem.push(
        `${i + 1}: rss ${(m.rss / 1048576).toFixed(0)} MB, heap ${(m.heapUsed / 1048576).toFixed(0)} MB`
      )
    }
  }
  const sec = Number(process.hrtime.bigint() - start) / 1e9
  console.log(
    `bench:dmarc — ${N} aggregate reports (${(bytes / 1048576).toFixed(1)} MB gzip), ${records} records, ${messages} messages`
  )
  console.log(
    `  ${sec.toFixed(1)} s: ${(N / sec).toFixed(0)} reports/s, ${(records / sec).toFixed(0)} records/s`
  )
  console.log(`  memory after each 1,000 reports${gc ? ' (after GC)' : ''}:`)
  for (const m of mem) console.log(`    ${m}`)
  const t0 = process.hrtime.bigint()
  const s = await backend.dispatch('dmarc.summary', { domain: 'bench7.example', live: false })
  if (!s.ok) throw new Error(s.error.message)
  console.log(
    `  summary of one domain (${(s.data as { sources: unknown[] }).sources.length} sources): ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`
  )
  backend.close()
  rmSync(dataDir, { recursive: true, force: true })
}
void main()
