/**
 * bench:blocklist — sweep throughput against the loopback DNS server (test/support/dns-server.ts), through
 * node's c-ares resolver exactly as in production. Every figure is measured in this run.
 *
 *   (a) 1 IP × 60 lists: wall time vs the slowest zone's latency (bound), target ≤ bound × 1.1 + 20 ms.
 *   (b) N IPs × 60 lists at concurrency 32: wall time vs ideal = queries × mean latency / concurrency,
 *       target within 20 %, zero lost/duplicated results, RSS sampled during the run.
 *
 * Zone latencies are spread evenly over 20–200 ms. Usage:
 *   npx tsx scripts/bench-blocklist.ts [--ips 500] [--lists 60] [--concurrency 32] [--pool 0|N] [--compare]
 *   --pool 0 (default: auto) picks the pool size from a short single-vs-pool comparison; --compare prints it.
 */
import { startDnsServer, type Zones } from '../test/support/dns-server'
import { createDnsClient } from '../src/main/adapters/dns/resolver'
import type { DnsClient } from '../src/main/core/dns/types'
import { BlocklistEntry } from '../src/shared/schemas/blocklist'
import { createPooledClient } from '../src/main/core/blocklist/resolver-pool'
import { selfTest } from '../src/main/core/blocklist/self-test'
import { sweep } from '../src/main/core/blocklist/sweep'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const IPS = arg('ips', 500)
const LISTS = arg('lists', 60)
const CONCURRENCY = arg('concurrency', 32)
const POOL = arg('pool', 0)
const COMPARE = process.argv.includes('--compare')
const MIN_MS = 20
const MAX_MS = 200

const latencyOf = (i: number): number => Math.round(MIN_MS + ((MAX_MS - MIN_MS) * i) / Math.max(1, LISTS - 1))

const lists: BlocklistEntry[] = Array.from({ length: LISTS }, (_, i) =>
  BlocklistEntry.parse({
    id: `bench-${i}`,
    name: `Bench list ${i}`,
    zone: `b${i}.bench.test`,
    type: ['ip4'],
    kind: 'block',
    returnCodes: { '127.0.0.2': 'listed' },
    errorCodes: {},
    testPoints: { ip4: { listed: ['127.0.0.2'], notListed: ['127.0.0.1'] } },
    removal: { method: 'automatic' },
    weight: { level: 'low', note: 'bench' },
    requiresKey: false,
    rejectionPatterns: [],
    docs: 'https://example.com/'
  })
)

/** 500 distinct documentation/benchmark addresses (198.18.0.0/15 is reserved for benchmarking, RFC 2544). */
const ips = Array.from({ length: IPS }, (_, i) => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`)
const reversed = (ip: string): string => ip.split('.').reverse().join('.')

const zones: Zones = {}
lists.forEach((l, i) => {
  zones[l.zone as string] = { delayMs: latencyOf(i) }
  zones[`2.0.0.127.${l.zone}`] = { A: ['127.0.0.2'], TXT: ['test point'] }
})
// A few listings so the TXT follow-up path is part of the measurement: every 50th IP on 3 lists.
const listedPairs: [string, number][] = []
ips.forEach((ip, n) => {
  if (n % 50 !== 0) return
  for (const i of [n % LISTS, (n + 7) % LISTS, (n + 19) % LISTS]) {
    zones[`${reversed(ip)}.${lists[i].zone}`] = { A: ['127.0.0.2'], TXT: [`listed ${ip}`] }
    listedPairs.push([ip, i])
  }
})

const makeSingle = (address: string): DnsClient =>
  createDnsClient({ servers: [address], timeoutMs: 2000, tries: 2 })

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`
}

async function main(): Promise<void> {
  const server = await startDnsServer({ zones })
  console.log(
    `loopback DNS ${server.address}; ${LISTS} zones, latency ${MIN_MS}–${MAX_MS} ms; node ${process.version}`
  )

  // Pool size: compare a single c-ares channel with small pools on a short run of the (b) workload.
  let poolSize = POOL
  if (poolSize === 0 || COMPARE) {
    const sample = ips.slice(0, Math.min(40, ips.length))
    const candidates = [1, 2, 4, 8]
    const times: Record<number, number> = {}
    for (const n of candidates) {
      const client =
        n === 1 ? makeSingle(server.address) : createPooledClient(() => makeSingle(server.address), n)
      const health = await selfTest(lists, client, { concurrency: CONCURRENCY })
      const t0 = performance.now()
      await sweep({ targets: sample, lists, client, concurrency: CONCURRENCY, selfTest: health })
      times[n] = performance.now() - t0
    }
    const queries = sample.length * LISTS
    const ideal = (queries * meanLatency()) / CONCURRENCY
    console.log(
      `\nresolver pool (${sample.length} IPs × ${LISTS} lists, ideal ${fmt(ideal)}): ` +
        candidates.map((n) => `${n === 1 ? 'single' : `pool ${n}`} ${fmt(times[n])}`).join(', ')
    )
    if (poolSize === 0) {
      // Smallest pool within 3 % of the best.
      const best = Math.min(...Object.values(times))
      poolSize = candidates.find((n) => times[n] <= best * 1.03) ?? 1
    }
  }
  const client =
    poolSize <= 1
      ? makeSingle(server.address)
      : createPooledClient(() => makeSingle(server.address), poolSize)
  console.log(
    `using ${poolSize <= 1 ? 'a single dns.Resolver' : `a pool of ${poolSize} dns.Resolver instances`}`
  )

  // Self-test once per session (as the app does); measured separately.
  const ts0 = performance.now()
  const health = await selfTest(lists, client, { concurrency: 64, refresh: true })
  const selfTestMs = performance.now() - ts0
  const unhealthy = [...health.values()].filter((h) => h.status !== 'ok')
  console.log(`self-test: ${LISTS * 2} queries in ${fmt(selfTestMs)}; ${unhealthy.length} list(s) not ok`)

  // (a) one IP over every list, enough concurrency for one round: bound = slowest zone.
  const bound = latencyOf(LISTS - 1)
  const runsA: number[] = []
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    await sweep({ targets: [`198.19.0.${r + 1}`], lists, client, concurrency: 64, selfTest: health })
    runsA.push(performance.now() - t0)
  }
  const medianA = [...runsA].sort((x, y) => x - y)[2]
  const targetA = bound * 1.1 + 20
  console.log(
    `\n(a) 1 IP × ${LISTS} lists (concurrency 64): median ${fmt(medianA)} of 5 runs [${runsA.map((x) => x.toFixed(0)).join(', ')} ms]` +
      `\n    bound (slowest zone) ${bound} ms; target ≤ ${targetA.toFixed(0)} ms → ${medianA <= targetA ? 'PASS' : 'FAIL'}`
  )

  // (b) many IPs at concurrency 32.
  const rss: number[] = []
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 250)
  let progressCount = 0
  const queriesBefore = server.queries.length
  const t0 = performance.now()
  const result = await sweep({
    targets: ips,
    lists,
    client,
    concurrency: CONCURRENCY,
    selfTest: health,
    onProgress: () => void progressCount++
  })
  const elapsed = performance.now() - t0
  clearInterval(sampler)
  rss.push(process.memoryUsage().rss)

  const served = server.queries.slice(queriesBefore)
  const aQueries = served.filter((q) => q.type === 'A').length
  const txtQueries = served.filter((q) => q.type === 'TXT').length
  // Ideal: every query costs its zone's latency, `concurrency` at a time.
  const latencyByZone = new Map(lists.map((l, i) => [l.zone as string, latencyOf(i)]))
  const zoneOf = (name: string): string => name.split('.').slice(-3).join('.')
  const totalLatency = served.reduce((s, q) => s + (latencyByZone.get(zoneOf(q.name)) ?? 0), 0)
  const ideal = totalLatency / CONCURRENCY
  const expected = IPS * LISTS
  const seen = new Set<string>()
  let dup = 0
  for (const rep of result.reports)
    for (const r of rep.results) {
      const k = `${rep.target}|${r.list}`
      if (seen.has(k)) dup++
      seen.add(k)
    }
  const lost = expected - seen.size
  const listedFound = result.reports.reduce((s, r) => s + r.summary.listed, 0)
  const statuses = result.reports.flatMap((r) => r.results.map((x) => x.status))
  const nonClean = statuses.filter((s) => s !== 'clean' && s !== 'listed').length

  const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`
  const q = Math.max(1, Math.floor(rss.length / 4))
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
  const firstQ = median(rss.slice(0, q))
  const lastQ = median(rss.slice(-q))
  const ratio = elapsed / ideal
  console.log(
    `\n(b) ${IPS} IPs × ${LISTS} lists, concurrency ${CONCURRENCY}: ${fmt(elapsed)}` +
      `\n    queries served: ${aQueries} A + ${txtQueries} TXT (expected ${expected} A + ${listedPairs.length} TXT); mean latency ${(totalLatency / served.length).toFixed(1)} ms` +
      `\n    ideal (Σ latency / concurrency) ${fmt(ideal)}; ratio ${ratio.toFixed(3)} → ${ratio <= 1.2 ? 'PASS' : 'FAIL'} (target ≤ 1.20)` +
      `\n    results ${seen.size}/${expected}, lost ${lost}, duplicated ${dup}, progress events ${progressCount}; listed ${listedFound}/${listedPairs.length}; non-clean ${nonClean}` +
      `\n    RSS: ${rss.length} samples, min ${mb(Math.min(...rss))}, max ${mb(Math.max(...rss))}, first-quarter median ${mb(firstQ)}, last-quarter median ${mb(lastQ)}`
  )
  await server.close()
  const ok = medianA <= targetA && ratio <= 1.2 && lost === 0 && dup === 0 && progressCount === expected
  process.exitCode = ok ? 0 : 1
}

function meanLatency(): number {
  return lists.reduce((s, _, i) => s + latencyOf(i), 0) / LISTS
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
