import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer, type Zones } from '../../../../test/support/dns-server'
import { createDnsClient } from '../../adapters/dns/resolver'
import type { DnsClient } from '../dns/types'
import { makeList } from './__fixtures__/fixtures'
import { sweepFindings } from './findings'
import { parseCatalogue } from './catalogue'
import { sweep, type SweepProgress } from './sweep'

/**
 * The sweep through node's c-ares resolver against a real UDP/TCP DNS server on loopback
 * (test/support/dns-server.ts), with one fixture zone per behaviour a real resolver meets.
 */

const IP = '203.0.113.7' // label 7.113.0.203
const testPoint = (zone: string): Zones => ({
  [`2.0.0.127.${zone}`]: { A: ['127.0.0.2'], TXT: ['RFC 5782 test point'] }
})

const zones: Zones = {
  ...testPoint('listed.bl.test'),
  '7.113.0.203.listed.bl.test': {
    A: ['127.0.0.2'],
    TXT: ['Listed for spamtrap hits; https://listed.bl.test/lookup?ip=203.0.113.7']
  },
  ...testPoint('clean.bl.test'),
  // Spamhaus public-mirror behaviour towards an unattributable resolver: error code for every name.
  '*.refused.bl.test': { A: ['127.255.255.254'] },
  // A defunct list whose expired domain was wildcarded: lists the whole internet, test points included.
  '*.defunct.bl.test': { A: ['127.0.0.2'] },
  // behaviour applies per name, so a wildcard covers the whole zone (test points included).
  '*.timeout.bl.test': { behaviour: 'timeout' },
  '*.servfail.bl.test': { behaviour: 'servfail' }
}

const lists = [
  makeList('listed', 'listed.bl.test'),
  makeList('clean', 'clean.bl.test'),
  makeList('refused', 'refused.bl.test'),
  makeList('defunct', 'defunct.bl.test'),
  makeList('timeout', 'timeout.bl.test'),
  makeList('servfail', 'servfail.bl.test')
]

/** Wraps a client to measure the number of queries in flight. */
function instrument(inner: DnsClient): DnsClient & { max: number; count: number } {
  let inFlight = 0
  const c = {
    max: 0,
    count: 0,
    async query(name: string, type: Parameters<DnsClient['query']>[1]) {
      c.count++
      inFlight++
      c.max = Math.max(c.max, inFlight)
      try {
        return await inner.query(name, type)
      } finally {
        inFlight--
      }
    }
  }
  return c
}

describe('sweep over a loopback DNS server', () => {
  let server: DnsTestServer
  let client: DnsClient

  beforeAll(async () => {
    server = await startDnsServer({ zones })
    client = createDnsClient({ servers: [server.address], timeoutMs: 300, tries: 1 })
  })
  afterAll(async () => {
    await server.close()
  })

  it('reports listed, clean, refused, unreliable and error per list', async () => {
    const { reports, health } = await sweep({ targets: [IP], lists, client, timeoutMs: 400, retries: 0 })
    const status = Object.fromEntries(reports[0].results.map((r) => [r.list, r.status]))
    expect(status).toEqual({
      listed: 'listed',
      clean: 'clean',
      refused: 'refused',
      defunct: 'unreliable',
      timeout: 'error',
      servfail: 'error'
    })
    const listed = reports[0].results[0]
    expect(listed.codes).toEqual(['127.0.0.2'])
    expect(listed.txt).toContain('https://listed.bl.test/lookup')
    expect(health.get('defunct:ip4')).toMatchObject({ status: 'unreliable' })
    expect(health.get('refused:ip4')).toMatchObject({ status: 'refused' })
    expect(health.get('timeout:ip4')).toMatchObject({ status: 'unknown' })

    const findings = sweepFindings(reports, parseCatalogue({ version: 1, updated: '2026-01-01', lists }))
    expect(findings.map((f) => f.id).sort()).toEqual(
      [
        `bl.listed:listed:${IP}`,
        'bl.refused:refused',
        'bl.unreliable:defunct',
        'bl.error:timeout',
        'bl.error:servfail'
      ].sort()
    )
  })

  it('sees a delisting made on the server (no stale cache between sweeps)', async () => {
    server.setRecord('9.113.0.203.listed.bl.test', 'A', ['127.0.0.3'])
    const before = await sweep({ targets: ['203.0.113.9'], lists: [lists[0]], client })
    expect(before.reports[0].results[0].status).toBe('listed')
    server.deleteName('9.113.0.203.listed.bl.test')
    const after = await sweep({ targets: ['203.0.113.9'], lists: [lists[0]], client })
    expect(after.reports[0].results[0].status).toBe('clean')
  })

  it('respects the concurrency bound, counts progress per query and returns every result once', async () => {
    const many = Array.from({ length: 12 }, (_, i) => makeList(`z${i}`, `z${i}.many.test`))
    server.setZones({
      ...zones,
      ...Object.assign({}, ...many.map((l) => testPoint(l.zone as string))),
      'many.test': { delayMs: 5 }
    })
    const counted = instrument(client)
    const targets = Array.from({ length: 8 }, (_, i) => `198.51.100.${i + 1}`)
    const progress: SweepProgress[] = []
    const { reports } = await sweep({
      targets,
      lists: many,
      client: counted,
      concurrency: 5,
      onProgress: (p) => progress.push(p)
    })
    expect(counted.max).toBeLessThanOrEqual(5)
    expect(progress).toHaveLength(96)
    expect(progress.at(-1)).toMatchObject({ done: 96, total: 96 })
    expect(reports.flatMap((r) => r.results)).toHaveLength(96)
    expect(reports.every((r) => r.results.every((x) => x.status === 'clean'))).toBe(true)
    server.setZones(zones)
  })

  it('can be cancelled mid-sweep', async () => {
    const counted = instrument(client)
    const ac = new AbortController()
    const targets = Array.from({ length: 50 }, (_, i) => `192.0.2.${i + 1}`)
    const run = sweep({
      targets,
      lists: lists.slice(0, 2),
      client: counted,
      concurrency: 2,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 5) ac.abort()
      }
    })
    await expect(run).rejects.toThrow()
    expect(counted.count).toBeLessThan(100)
  })
})
