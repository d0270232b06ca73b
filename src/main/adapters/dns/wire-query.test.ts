import dgram from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as packet from 'dns-packet'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { createDnsClient } from './resolver'
import { ipv6Text, isWireLegal, parseServer, presentationName, wireLabels } from './wire-query'
import type { DnsRrType } from '../../core/dns/types'
import type { Zones } from '../../core/dns/zone'

const big = 'v=spf1 ' + Array.from({ length: 120 }, (_, i) => `ip4:198.51.${i}.0/24`).join(' ') + ' -all'

const zones: Zones = {
  'foo:bar/baz.example.com': {
    A: ['1.2.3.4'],
    MX: [{ exchange: 'foo:bar/baz.example.com', priority: 0 }]
  },
  'macro%percent  space%20url-space.example.com': { A: ['192.0.2.7'], TXT: ['v=spf1 -all'] },
  'big:txt.example': { TXT: [big, big + ' '] },
  'slow:name.example': { behaviour: 'timeout' },
  'sf:name.example': { behaviour: 'servfail' },
  'rf:name.example': { behaviour: 'refused' }
}

describe('names c-ares refuses (EBADNAME) are sent over the wire', () => {
  let server: DnsTestServer
  beforeAll(async () => {
    server = await startDnsServer({ zones })
  })
  afterAll(async () => {
    await server.close()
  })
  const client = (): ReturnType<typeof createDnsClient> =>
    createDnsClient({ servers: [server.address], timeoutMs: 300, tries: 1 })

  it('answers a name with ":" and "/" (A and MX), querying the server', async () => {
    server.queries.length = 0
    const a = await client().query('FOO:bar/baz.example.com.', 'A')
    expect(a).toMatchObject({ status: 'ok', name: 'foo:bar/baz.example.com', records: ['1.2.3.4'] })
    expect(a.error).toBeUndefined()
    const mx = await client().query('foo:bar/baz.example.com', 'MX')
    expect(mx).toMatchObject({
      status: 'ok',
      records: [{ exchange: 'foo:bar/baz.example.com', priority: 0 }]
    })
    expect(await client().query('foo:bar/baz.example.com', 'AAAA')).toMatchObject({ status: 'nodata' })
    expect(server.queries.map((q) => `${q.type} ${q.name}`)).toEqual([
      'A foo:bar/baz.example.com',
      'MX foo:bar/baz.example.com',
      'AAAA foo:bar/baz.example.com'
    ])
  })

  it('answers names with "%" and spaces: ok when present, nxdomain when not', async () => {
    const ok = await client().query('macro%percent  space%20url-space.example.com', 'A')
    expect(ok).toMatchObject({ status: 'ok', records: ['192.0.2.7'] })
    expect((await client().query('macro%percent  space%20url-space.example.com', 'TXT')).records).toEqual([
      ['v=spf1 -all']
    ])
    const missing = await client().query('no such%name here.example.com', 'A')
    expect(missing).toMatchObject({ status: 'nxdomain', records: [] })
    expect(missing.error).toBeUndefined()
    expect(server.queries.some((q) => q.name === 'no such%name here.example.com')).toBe(true)
  })

  it('answers a too-long label or an empty label as nxdomain without a query', async () => {
    server.queries.length = 0
    const long = await client().query(`a:${'x'.repeat(70)}.example`, 'A')
    expect(long).toMatchObject({ status: 'nxdomain', records: [] })
    const empty = await client().query('a..b:c.example', 'A')
    expect(empty).toMatchObject({ status: 'nxdomain', records: [] })
    expect(server.queries).toEqual([])
  })

  it('retries over TCP when the UDP answer is truncated', async () => {
    server.queries.length = 0
    const txt = await client().query('big:txt.example', 'TXT')
    expect(txt.status).toBe('ok')
    expect(txt.records.map((r) => (r as string[]).join(''))).toEqual([big, big + ' '])
    expect(server.queries.map((q) => q.transport)).toEqual(['udp', 'tcp'])
  })

  it('keeps failures apart from answers: timeout, servfail, refused', async () => {
    const t = await createDnsClient({ servers: [server.address], timeoutMs: 100, tries: 2 }).query(
      'slow:name.example',
      'A'
    )
    expect(t.status).toBe('timeout')
    expect(t.error).toMatch(/ETIMEOUT/)
    expect(server.queries.filter((q) => q.name === 'slow:name.example')).toHaveLength(2)
    expect((await client().query('sf:name.example', 'A')).status).toBe('servfail')
    expect((await client().query('rf:name.example', 'A')).status).toBe('refused')
  })

  it('moves on to the next configured server when one does not answer', async () => {
    // A UDP port with nothing behind it: the attempt fails (ICMP unreachable or timeout), the next server answers.
    const dead = dgram.createSocket('udp4')
    await new Promise<void>((r) => dead.bind(0, '127.0.0.1', () => r()))
    const deadPort = dead.address().port
    await new Promise<void>((r) => dead.close(() => r()))
    const c = createDnsClient({
      servers: [`127.0.0.1:${deadPort}`, server.address],
      timeoutMs: 200,
      tries: 1
    })
    expect(await c.query('foo:bar/baz.example.com', 'A')).toMatchObject({
      status: 'ok',
      records: ['1.2.3.4']
    })
  })
})

/**
 * A responder that answers every question with the same canned records (owner = the question's name), so the
 * c-ares path (an ordinary name) and the wire path (a name with ":") decode identical RDATA.
 */
function cannedAnswers(q: packet.Question): packet.Answer[] {
  const rr = { name: q.name, ttl: 60, class: 'IN' as const }
  switch (q.type) {
    case 'A':
      return [{ ...rr, type: 'A', data: '192.0.2.1' }]
    case 'AAAA':
      return [
        '::ffff:1.2.3.4',
        '::1.2.3.4',
        '2001:db8:0:0:1:0:0:1',
        '::',
        '::1',
        'fe80::a:0:0:0:0',
        '2001:0:0:1::1',
        '::2',
        '::ffff:0:0',
        '1:0:0:2:0:0:3:4'
      ].map((data) => ({ ...rr, type: 'AAAA' as const, data }))
    case 'TXT':
      return [
        { ...rr, type: 'TXT', data: [Buffer.from('héllo ☃', 'utf8')] },
        { ...rr, type: 'TXT', data: [Buffer.from('split '), Buffer.from('in two')] }
      ]
    case 'MX':
      return [
        { ...rr, type: 'MX', data: { preference: 5, exchange: 'Mx.Example' } },
        { ...rr, type: 'MX', data: { preference: 6, exchange: 'a b@c$d(e"f;g\\h.example' } },
        { ...rr, type: 'MX', data: { preference: 7, exchange: 'é%x:y/z.example' } }
      ]
    case 'PTR':
      return [{ ...rr, type: 'PTR', data: 'p q.Example' }]
    case 'NS':
      return [
        { ...rr, type: 'NS', data: 'ns1.example' },
        { ...rr, type: 'NS', data: 'ns2.example' }
      ]
    case 'CNAME':
      return [{ ...rr, type: 'CNAME', data: 'Target.example' }]
    case 'SOA':
      return [
        {
          ...rr,
          type: 'SOA',
          data: {
            mname: 'ns1.example',
            rname: 'host\\.master.example',
            serial: 2024010101,
            refresh: 3600,
            retry: 600,
            expire: 86400,
            minimum: 300
          }
        }
      ]
    default:
      return []
  }
}

describe('the wire path gives the same records as c-ares', () => {
  let sock: dgram.Socket
  let address = ''
  beforeAll(async () => {
    sock = dgram.createSocket('udp4')
    sock.on('message', (msg, rinfo) => {
      const req = packet.decode(msg)
      const q = req.questions?.[0]
      if (!q) return
      const res = packet.encode({
        id: req.id,
        type: 'response',
        flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED,
        questions: [q],
        answers: cannedAnswers(q)
      })
      sock.send(res, rinfo.port, rinfo.address)
    })
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()))
    address = `127.0.0.1:${sock.address().port}`
  })
  afterAll(async () => {
    await new Promise<void>((r) => sock.close(() => r()))
  })

  const types: DnsRrType[] = ['A', 'AAAA', 'TXT', 'MX', 'PTR', 'NS', 'CNAME', 'SOA']
  it.each(types)('%s', async (type) => {
    const c = createDnsClient({ servers: [address], timeoutMs: 500, tries: 2 })
    const viaCares = await c.query('parity.example', type)
    const viaWire = await c.query('parity:x.example', type)
    expect(viaCares.status).toBe('ok')
    expect(viaWire.status).toBe('ok')
    expect(viaWire.records).toEqual(viaCares.records)
  })
})

describe('wire-query helpers', () => {
  it('reads presentation-format escapes into wire labels', () => {
    expect(wireLabels('a\\.b.c\\064d.example').map((l) => l.toString('latin1'))).toEqual([
      'a.b',
      'c@d',
      'example'
    ])
    expect(wireLabels('x\\195\\169.example')[0]).toEqual(Buffer.from('xé', 'utf8'))
    expect(wireLabels('a b:c.example.').map(String)).toEqual(['a b:c', 'example'])
  })
  it('checks wire legality (labels 1–63 octets, name ≤ 255 octets)', () => {
    expect(isWireLegal(wireLabels(`${'x'.repeat(63)}.example`))).toBe(true)
    expect(isWireLegal(wireLabels(`${'x'.repeat(64)}.example`))).toBe(false)
    expect(isWireLegal(wireLabels('a..example'))).toBe(false)
    expect(isWireLegal(wireLabels(Array(5).fill('x'.repeat(63)).join('.')))).toBe(false)
    expect(isWireLegal(wireLabels(Array(4).fill('x'.repeat(62)).join('.')))).toBe(true)
  })
  it('prints names and IPv6 as c-ares does', () => {
    expect(presentationName('a b@c$d.é.example')).toBe('a b\\@c\\$d.\\195\\169.example')
    expect(presentationName('host\\.master.example', true)).toBe('host\\.master.example')
    expect(ipv6Text([0xfe80, 0, 0, 0xa, 0, 0, 0, 0])).toBe('fe80:0:0:a::')
    expect(ipv6Text([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304])).toBe('::ffff:1.2.3.4')
    expect(ipv6Text([0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1')
  })
  it('parses c-ares server strings', () => {
    expect(parseServer('192.0.2.1')).toEqual({ host: '192.0.2.1', port: 53 })
    expect(parseServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 })
    expect(parseServer('[::1]:5353')).toEqual({ host: '::1', port: 5353 })
    expect(parseServer('2001:db8::53')).toEqual({ host: '2001:db8::53', port: 53 })
    expect(parseServer('not a server')).toBeUndefined()
  })
})
