/**
 * Throughput benchmark: parse + classify the sisimai corpus repeated up to 10,000 messages (no DNS).
 *   npx tsx scripts/bench-analyze.ts ../shared/corpus/sisimai [count]
 * Prints messages/s and peak RSS (targets: >= 2,000 msg/s, < 400 MB). If Perl's Sisimai module is installed
 * (Debian libsisimai-perl) the same files are run through it and the speed ratio is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBounce } from '../src/main/core/bounce'
import { parseMessage } from '../src/main/core/mime'
import { analyzeFile } from '../src/main/core/diagnose'

async function main(): Promise<void> {
  const root = process.argv[2] ?? '../shared/corpus/sisimai'
  const target = Number(process.argv[3] ?? 10000)
  const dir = join(root, 'emails/maildir/bsd')
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
  const blobs = files.map((f) => readFileSync(join(dir, f)))
  let peak = process.memoryUsage().rss
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }
  // warm-up (JIT) outside the timing
  for (const b of blobs.slice(0, 50)) parseBounce(await parseMessage(b))

  let n = 0
  let bounces = 0
  const t0 = performance.now()
  while (n < target) {
    for (const b of blobs) {
      if (n >= target) break
      const r = parseBounce(await parseMessage(b))
      if (r.isBounce) bounces++
      n++
      if ((n & 255) === 0) sample()
    }
  }
  const secs = (performance.now() - t0) / 1000
  sample()
  const rate = n / secs
  console.log(`messages: ${n} (${files.length} distinct), bounces detected: ${bounces}`)
  console.log(`time: ${secs.toFixed(2)} s, throughput: ${rate.toFixed(0)} msg/s (target >= 2000)`)
  console.log(`peak RSS: ${(peak / 1024 / 1024).toFixed(0)} MB (target < 400)`)

  // The whole offline drop pipeline as the app runs it (sniff, MIME, hops, recorded auth, anti-spam, bounce,
  // the returned original, knowledge base, verdict): what an admin waits for after a drop, without DNS.
  const fullTarget = Math.min(target, 3000)
  for (const b of blobs.slice(0, 20)) await analyzeFile(new Uint8Array(b), 'warmup.eml')
  let m = 0
  const t1 = performance.now()
  while (m < fullTarget) {
    for (const b of blobs) {
      if (m >= fullTarget) break
      await analyzeFile(new Uint8Array(b), 'bench.eml')
      m++
      if ((m & 127) === 0) sample()
    }
  }
  const fullSecs = (performance.now() - t1) / 1000
  console.log(
    `full diagnose pipeline (analyzeFile, no DNS): ${m} messages in ${fullSecs.toFixed(2)} s, ` +
      `${(m / fullSecs).toFixed(0)} msg/s, ${((fullSecs / m) * 1000).toFixed(2)} ms per message; peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`
  )

  const probe = spawnSync('perl', ['-MSisimai', '-e', 'print $Sisimai::VERSION'], { encoding: 'utf8' })
  if (probe.status !== 0) {
    console.log('perl Sisimai: not installed (apt-get install libsisimai-perl), no comparison')
    return
  }
  // Same message count for Perl: write an mbox of the corpus repeated, let Sisimai->rise (v5) / ->make (v4,
  // Debian's libsisimai-perl) parse it.
  const tmp = mkdtempSync(join(tmpdir(), 'bench-sisimai-'))
  const mbox = join(tmp, 'all.mbox')
  const parts: string[] = []
  for (let i = 0; i < n; i++) {
    const text = blobs[i % blobs.length].toString('latin1').replace(/^From /gm, '>From ')
    parts.push(`From MAILER-DAEMON Thu Jan  1 00:00:00 2015\n${text}\n`)
  }
  writeFileSync(mbox, parts.join(''), 'latin1')
  const script =
    'use Sisimai; use Time::HiRes qw(time); my $t=time; my $f=Sisimai->can(q{rise}) ? q{rise} : q{make}; my $v=Sisimai->$f($ARGV[0]); printf("%d %.3f\\n", scalar(@{$v||[]}), time-$t);'
  const out = execFileSync('perl', ['-e', script, mbox], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim()
  const [count, perlSecs] = out.split(' ').map(Number)
  const perlRate = n / perlSecs
  console.log(
    `perl Sisimai ${probe.stdout}: ${perlSecs.toFixed(2)} s for ${n} messages (${count} results), ${perlRate.toFixed(0)} msg/s`
  )
  console.log(`ratio ours/sisimai: ${(rate / perlRate).toFixed(2)}x`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
