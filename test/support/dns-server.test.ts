import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from './dns-server'
import { createCachingClient } from '../../src/main/core/dns/caching'
import { createDnsClient } from '../../src/main/adapters/dns/resolver'
import { zoneClient } from './zone-client'
import type { DnsClient } from '../../src/main/core/dns/types'
import type { Zones } from '../../src/main/core/dns/zone'

const big = 'v=spf1 ' + Array.from({ length: 120 }, (_, i) => `ip4:198.51.${i}.0/24`).join(' ') + ' -all'

const zones: Zones = {
  'example.test': {
    A: ['192.0.2.1'],
    AAAA: ['2001:db8::1'],
    MX: [
      { exchange: 'mx1.example.test', priority: 10 },
      { exchange: 'mx2.example.test', priority: 20 }
    ],
    TXT: ['v=spf1 -all', ['split ', 'in two']],
    NS: ['ns1.example.test']
  },
  'www.example.test': { CNAME: 'example.test' },
  'big.example.test': { TXT: [big, big + ' ', big + '  '] },
  '1.2.0.192.in-addr.arpa': { PTR: ['mail.example.test'] },
  '*.bl.test': { A: ['127.0.0.2'], TXT: ['listed'] },
  'clean.bl.test': { TXT: ['exists but no A'] },
  'slowzone.test': { delayMs: 150 },
  'a.slowzone.test': { A: ['192.0.2.9'] },
  'servfail.test': { behaviour: 'servfail' },
  '*.servfail.test': { behaviour: 'servfail' },
  'refused.test': { behaviour: 'refused' },
  'timeout.test': { behaviour: 'timeout' },
  'deep.ent.test': { A: ['192.0.2.5'] }
}

async function checkCommon(client: DnsClient, kind: string): Promise<void> {
  const a = await client.query('Example.TEST.', 'A')
  expect(a, kind).toMatchObject({ status: 'ok', name: 'example.test', records: ['192.0.2.1'] })
  expect((await client.query('example.test', 'AAAA')).records).toEqual(['2001:db8::1'])
  const mx = await client.query('example.test', 'MX')
  expect(mx.records).toEqual(
    expect.arrayContaining([
      { exchange: 'mx1.example.test', priority: 10 },
      { exchange: 'mx2.example.test', priority: 20 }
    ])
  )
  const txt = await client.query('example.test', 'TXT')
  expect(txt.records).toEqual(expect.arrayContaining([['v=spf1 -all'], ['split ', 'in two']]))
  expect((await client.query('example.test', 'NS')).records).toEqual(['ns1.example.test'])
  expect((await client.query('www.example.test', 'CNAME')).records).toEqual(['example.test'])
  // CNAME chased within the zone.
  expect((await client.query('www.example.test', 'A')).records).toEqual(['192.0.2.1'])
  expect((await client.query('1.2.0.192.in-addr.arpa', 'PTR')).records).toEqual(['mail.example.test'])
  expect((await client.query('nope.example.test', 'A')).status).toBe('nxdomain')
  expect((await client.query('www.example.test', 'TXT')).records).toEqual(
    expect.arrayContaining([['v=spf1 -all']])
  )
  expect((await client.query('example.test', 'PTR')).status).toBe('nodata')
  // Wildcards, and an explicit name under the wildcard that has no A.
  expect((await client.query('2.0.0.127.bl.test', 'A')).records).toEqual(['127.0.0.2'])
  expect((await client.query('clean.bl.test', 'A')).status).toBe('nodata')
  // Empty non-terminal is NODATA, not NXDOMAIN (RFC 8020).
  expect((await client.query('ent.test', 'A')).status).toBe('nodata')
  expect((await client.query('servfail.test', 'A')).status).toBe('servfail')
  expect((await client.query('x.servfail.test', 'TXT')).status).toBe('servfail')
  expect((await client.query('refused.test', 'A')).status).toBe('refused')
}

describe('dns-server + createDnsClient', () => {
  let server: DnsTestServer
  let client: DnsClient
  beforeAll(async () => {
    server = await startDnsServer({ zones })
    client = createDnsClient({ servers: [server.address], timeoutMs: 300, tries: 1 })
  })
  afterAll(async () => {
    await server.close()
  })

  it('serves the fixture zones over UDP', async () => {
    await checkCommon(client, 'udp')
    expect(server.queries.some((q) => q.transport === 'udp' && q.name === 'example.test')).toBe(true)
  })

  it('sets TC=1 for big answers and c-ares retries over TCP', async () => {
    server.queries.length = 0
    const a = await client.query('big.example.test', 'TXT')
    expect(a.status).toBe('ok')
    const joined = a.records.map((r) => (r as string[]).join('')).sort()
    expect(joined).toEqual([big, big + ' ', big + '  '].sort())
    // Strings over 255 bytes come back as several character-strings of one RR.
    expect((a.records[0] as string[]).length).toBeGreaterThan(1)
    const seen = server.queries.filter((q) => q.name === 'big.example.test').map((q) => q.transport)
    expect(seen).toContain('udp')
    expect(seen).toContain('tcp')
  })

  it('maps a server that never answers to timeout', async () => {
    const t0 = Date.now()
    const a = await client.query('timeout.test', 'A')
    expect(a.status).toBe('timeout')
    expect(a.error).toMatch(/ETIMEOUT/)
    expect(Date.now() - t0).toBeLessThan(3000)
  })

  it('applies per-zone delays to names below the zone', async () => {
    const a = await client.query('a.slowzone.test', 'A')
    expect(a.status).toBe('ok')
    expect(a.ms).toBeGreaterThanOrEqual(140)
    const fast = await client.query('example.test', 'A')
    expect(fast.ms).toBeLessThan(140)
  })

  it('setRecord / deleteName change the answers', async () => {
    server.setRecord('new.example.test', 'TXT', ['hello'])
    expect((await client.query('new.example.test', 'TXT')).records).toEqual([['hello']])
    server.deleteName('new.example.test')
    expect((await client.query('new.example.test', 'TXT')).status).toBe('nxdomain')
  })

  it('maps connection failures to error, not nxdomain', async () => {
    const dead = createDnsClient({ servers: ['127.0.0.1:1'], timeoutMs: 200, tries: 1 })
    const a = await dead.query('example.test', 'A')
    expect(['error', 'timeout', 'refused']).toContain(a.status)
  })
})

describe('zoneClient', () => {
  it('has the same semantics as the server', async () => {
    const c = zoneClient(zones)
    await checkCommon(c, 'zone')
    expect((await c.query('timeout.test', 'A')).status).toBe('timeout')
  })
})

describe('createCachingClient', () => {
  it('de-duplicates in-flight and repeated queries', async () => {
    const inner = zoneClient({ 'x.test': { A: ['192.0.2.7'], delayMs: 20 } })
    let calls = 0
    const counting: DnsClient = {
      query: (n, t) => {
        calls++
        return inner.query(n, t)
      }
    }
    const c = createCachingClient(counting)
    const [a, b] = await Promise.all([c.query('x.test', 'A'), c.query('X.TEST.', 'A')])
    expect(a.records).toEqual(['192.0.2.7'])
    expect(b).toBe(a)
    await c.query('x.test', 'A')
    await c.query('x.test', 'TXT')
    expect(calls).toBe(2)
    expect(c.misses).toBe(2)
    c.clear()
    await c.query('x.test', 'A')
    expect(calls).toBe(3)
  })
})
