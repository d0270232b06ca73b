/**
 * Sending-health ingest benchmark (issue 12). Prints figures, asserts nothing (speed never goes in tests).
 *
 *   npm run bench:ingest [-- ../shared/corpus/sisimai] [--big 100000] [--only-big]
 *
 * 1. Builds a Maildir of 9,520 messages: the sisimai corpus repeated, each copy made unique with an X-Bench-Copy
 *    header (otherwise dedup would skip 19 of 20). Runs, in the same run and on the same Maildir:
 *    - `delivery-desk hygiene ingest MAILDIR --json` end to end (a fresh process: start-up, read, classify,
 *      store in SQLite), from the compiled CLI (out/main/cli.js) when it exists, else through tsx;
 *    - Debian's Perl sisimai (libsisimai-perl, `Sisimai->make(MAILDIR)`), which parses and classifies but stores
 *      nothing.
 *    Wall time and peak RSS of both come from GNU time (%e, %M), and the ratio is printed (target: ≥ 3×, < 500 MB).
 * 2. Streams --big messages (default 100,000) as one mbox through the same ingest in this process and samples
 *    the RSS every 10,000 messages: the figures must stay flat (streaming, a bounded queue to the classification
 *    workers, batched transactions). The workers' memory is part of this process's RSS.
 * 3. Core only, printed beside the end-to-end figures: the same classification in this process, one thread.
 * The 1-minute load average is printed beside each figure: the machine is shared. DELIVERY_DESK_INGEST_WORKERS
 * sets the number of classification threads (default: one per core but one, 1 to 4; 0 = none).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  createWriteStream
} from 'node:fs'
import { writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { classifyMessage } from '../src/main/core/hygiene/light'
import { DEFAULT_MAX_BYTES } from '../src/main/core/mime/sniff-input'
import { startBackend } from '../src/main/host/backend'
import type { IngestSummary } from '../src/shared/contract/hygiene'

const args = process.argv.slice(2)
const corpus = resolve(
  args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? '../shared/corpus/sisimai'
)
const bigIdx = args.indexOf('--big')
const BIG = bigIdx >= 0 ? Number(args[bigIdx + 1]) : 100_000
const TARGET = 9_520
const ROOT = resolve(__dirname, '..')

function corpusFiles(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...corpusFiles(p))
    else if (/\.eml$/.test(e.name)) out.push(p)
  }
  return out.sort()
}

/** Each copy unique: an extra first header line changes the sha256 (Message-ID stays, as in a real resend). */
const copyOf = (raw: Buffer, n: number) => Buffer.concat([Buffer.from(`X-Bench-Copy: ${n}\n`), raw])

/** The 1-minute load average: benchmarks on a shared machine mean little without it. */
const load = () => `load ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`

function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...argv], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 28
  })
  const last = r.stderr.trim().split('\n').pop() ?? ''
  const [secs, kb, user, sys] = last.split(' ').map(Number)
  // CPU seconds (user + system, every thread): less at the mercy of the machine's load than wall time.
  return { secs, mb: kb / 1024, cpu: user + sys, stdout: r.stdout, stderr: r.stderr, status: r.status }
}

function main() {
  const files = corpusFiles(join(corpus, 'emails'))
  if (!files.length) throw new Error(`no .eml files under ${corpus}/emails`)
  const raws = files.map((f) => readFileSync(f))
  const work = mkdtempSync(join(tmpdir(), 'dd-bench-ingest-'))
  // --only-big: the memory run alone (the comparison takes minutes on a loaded machine).
  if (args.includes('--only-big')) return void big(work, raws)
  const md = join(work, 'Maildir')
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(md, d), { recursive: true })
  for (let i = 0; i < TARGET; i++) {
    writeFileSync(join(md, 'cur', `${1_700_000_000 + i}.M${i}P1.bench:2,S`), copyOf(raws[i % raws.length], i))
  }
  console.log(`Maildir: ${TARGET} messages (${raws.length} corpus files repeated) in ${md}`)

  // 1. Our CLI, end to end, in a fresh process.
  const compiled = join(ROOT, 'out/main/cli.js')
  console.log(`before: ${load()}`)
  const data = join(work, 'data')
  const ours = existsSync(compiled)
    ? timed(process.execPath, [compiled, 'hygiene', 'ingest', md, '--data', data, '--json'])
    : timed(process.execPath, [
        '--import',
        'tsx',
        join(ROOT, 'src/main/host/cli.ts'),
        'hygiene',
        'ingest',
        md,
        '--data',
        data,
        '--json'
      ])
  const summary = JSON.parse(ours.stdout.trim().split('\n').pop() ?? '{}') as IngestSummary
  console.log(
    `delivery-desk hygiene ingest (${existsSync(compiled) ? 'compiled' : 'tsx'}): ${summary.messages} messages, ` +
      `${summary.duplicates} duplicates, ${summary.errors?.length ?? '?'} errors in ${ours.secs.toFixed(2)} s ` +
      `(${Math.round(TARGET / ours.secs)} msg/s), ${ours.cpu.toFixed(2)} CPU s, peak RSS ${ours.mb.toFixed(0)} MB; ${load()}`
  )

  // 2. Debian's sisimai on the same Maildir.
  const probe = spawnSync('perl', ['-MSisimai', '-e', 'print $Sisimai::VERSION'], { encoding: 'utf8' })
  if (probe.status !== 0) {
    console.log('perl Sisimai: not installed (apt-get install -y libsisimai-perl): no ratio')
  } else {
    const script =
      'use Sisimai; my $f=Sisimai->can(q{rise}) ? q{rise} : q{make}; my $v=Sisimai->$f($ARGV[0]); print scalar(@{$v||[]}), "\\n";'
    // Sisimai 4's Maildir reader takes the folder holding the message files (cur/), not the Maildir's root.
    const perl = timed('perl', ['-e', script, join(md, 'cur')])
    console.log(
      `perl Sisimai ${probe.stdout.trim()}: ${perl.stdout.trim()} results in ${perl.secs.toFixed(2)} s ` +
        `(${Math.round(TARGET / perl.secs)} msg/s), ${perl.cpu.toFixed(2)} CPU s, peak RSS ${perl.mb.toFixed(0)} MB; ${load()}`
    )
    console.log(
      `ratio: ${(perl.secs / ours.secs).toFixed(2)}× sisimai's speed (target ≥ 3×), ${(perl.cpu / ours.cpu).toFixed(2)}× in CPU time; ` +
        `peak RSS ${ours.mb.toFixed(0)} MB (target < 500 MB)`
    )
  }
  // Core only, beside the end-to-end figures (never instead): the light classification of the same 9,520 messages in
  // this process, one thread, no reading, hashing or SQLite. JIT warm-up is in it, as it is in every ingest.
  void coreOnly(raws)
    .finally(() => rmSync(md, { recursive: true, force: true }))
    // 3. Many messages, streamed: RSS sampled every 10,000.
    .then(() => (BIG > 0 ? big(work, raws) : undefined))
    .catch((e: unknown) => {
      console.error((e as Error).message)
      process.exitCode = 1
    })
}

async function coreOnly(raws: Buffer[]) {
  const t = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  for (let i = 0; i < TARGET; i++)
    await classifyMessage(copyOf(raws[i % raws.length], i), `m${i}`, DEFAULT_MAX_BYTES)
  const secs = Number(process.hrtime.bigint() - t) / 1e9
  const c = process.cpuUsage(cpu)
  console.log(
    `core only (classifyMessage, one thread, in process): ${TARGET} messages in ${secs.toFixed(2)} s ` +
      `(${Math.round(TARGET / secs)} msg/s, ${((c.user + c.system) / 1000 / TARGET).toFixed(3)} ms CPU per message); ${load()}`
  )
}

async function big(work: string, raws: Buffer[]) {
  const mbox = join(work, 'big.mbox')
  const out = createWriteStream(mbox)
  for (let i = 0; i < BIG; i++) {
    const raw = copyOf(raws[i % raws.length], i)
      .toString('latin1')
      .replace(/\r\n/g, '\n')
      .replace(/^(>*From )/gm, '>$1')
    if (
      !out.write(
        `From bench@example.test Mon Nov  3 10:00:00 2025\n${raw}${raw.endsWith('\n') ? '' : '\n'}\n`,
        'latin1'
      )
    )
      await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(() => r()))
  console.log(`\nmbox: ${BIG} messages, ${(statSync(mbox).size / 1048576).toFixed(0)} MB`)
  const b = startBackend({ dataDir: join(work, 'big-data'), host: 'cli' })
  const samples: string[] = []
  let next = 10_000
  const unsub = b.subscribe((name, p) => {
    if (name !== 'progress') return
    const done = (p as { done: number }).done
    if (done >= next) {
      samples.push(`${next / 1000}k: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`)
      next += 10_000
    }
  })
  const t = process.hrtime.bigint()
  const r = await b.dispatch('hygiene.ingestPaths', { paths: [mbox] })
  const secs = Number(process.hrtime.bigint() - t) / 1e9
  unsub()
  if (!r.ok) throw new Error(r.error.message)
  const s = r.data as IngestSummary
  if (s.errors.length)
    console.log(
      'errors:',
      s.errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ')
    )
  console.log(
    `ingested ${s.messages} messages (${s.duplicates} duplicates, ${s.errors.length} errors) in ${secs.toFixed(1)} s (${Math.round(BIG / secs)} msg/s)`
  )
  console.log(`RSS every 10,000 messages: ${samples.join(', ')}; ${load()}`)
  console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
  b.close()
  rmSync(work, { recursive: true, force: true })
}

try {
  execFileSync('true')
  main()
} catch (e) {
  console.error((e as Error).message)
  process.exitCode = 1
}
