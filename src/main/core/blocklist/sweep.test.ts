import { describe, expect, it } from 'vitest'
import { FakeDns, makeList } from './__fixtures__/fixtures'
import { sweepFindings } from './findings'
import { clearSelfTestCache, selfTest } from './self-test'
import { sweep, type SweepProgress } from './sweep'
import { parseCatalogue } from './catalogue'
import type { BlocklistEntry } from '../../../shared/schemas/blocklist'

const IP = '192.0.2.10' // label 10.2.0.192
const healthy = (zone: string): Record<string, { A: string[] }> => ({
  [`2.0.0.127.${zone}`]: { A: ['127.0.0.2'] }
})

function catalogueOf(lists: BlocklistEntry[]) {
  return parseCatalogue({ version: 1, updated: '2026-01-01', lists })
}

describe('sweep status rules', () => {
  const lists = [
    makeList('listed', 'listed.bl.example'),
    makeList('clean', 'clean.bl.example'),
    makeList('refusing', 'refusing.bl.example'),
    makeList('wildcard', 'wildcard.bl.example'),
    makeList('slow', 'slow.bl.example'),
    makeList('broken', 'broken.bl.example'),
    makeList('hijacked', 'hijacked.bl.example', { weight: { level: 'low', note: 'low' } }),
    makeList('dead', 'dead.bl.example')
  ]
  const zones = {
    ...healthy('listed.bl.example'),
    [`10.2.0.192.listed.bl.example`]: {
      A: ['127.0.0.2', '127.0.0.3'],
      TXT: ['Listed, see https://listed.bl.example/q']
    },
    ...healthy('clean.bl.example'),
    // Spamhaus-style refusal: every name, test points included, gets 127.255.255.254.
    '*.refusing.bl.example': { A: ['127.255.255.254'] },
    // Expired domain taken by a squatter: lists everything, 127.0.0.1 included.
    '*.wildcard.bl.example': { A: ['127.0.0.2'] },
    'slow.bl.example': { behaviour: 'timeout' as const },
    '*.slow.bl.example': { behaviour: 'timeout' as const },
    ...healthy('broken.bl.example'),
    [`10.2.0.192.broken.bl.example`]: { behaviour: 'servfail' as const },
    ...healthy('hijacked.bl.example'),
    [`10.2.0.192.hijacked.bl.example`]: { A: ['198.51.100.7'] }
    // dead.bl.example: nothing at all → test point 127.0.0.2 not listed → unreliable
  }

  it('maps answers to listed / clean / refused / unreliable / error', async () => {
    const client = new FakeDns(zones)
    const { reports } = await sweep({ targets: [IP], lists, client, timeoutMs: 50, retries: 1 })
    expect(reports).toHaveLength(1)
    const byList = Object.fromEntries(reports[0].results.map((r) => [r.list, r]))
    expect(byList.listed).toMatchObject({
      status: 'listed',
      polarity: 'block',
      codes: ['127.0.0.2', '127.0.0.3']
    })
    expect(byList.listed.meanings).toEqual(['listed', 'listed (other reason)'])
    expect(byList.listed.txt).toContain('https://listed.bl.example/q')
    expect(byList.listed.delist).toEqual({ method: 'self-service', url: 'https://listed.bl.example/remove' })
    expect(byList.clean.status).toBe('clean')
    expect(byList.refusing).toMatchObject({ status: 'refused', codes: ['127.255.255.254'] })
    expect(byList.wildcard.status).toBe('unreliable')
    expect(byList.wildcard.reason).toMatch(/never-listed/)
    expect(byList.slow.status).toBe('error')
    expect(byList.broken.status).toBe('error')
    expect(byList.broken.reason).toMatch(/SERVFAIL/)
    expect(byList.hijacked.status).toBe('unreliable')
    expect(byList.hijacked.reason).toMatch(/outside 127\.0\.0\.0\/8/)
    expect(byList.dead.status).toBe('unreliable')
    expect(reports[0].summary).toMatchObject({ listed: 1, clean: 1, refused: 1, unreliable: 3, error: 2 })
    expect(reports[0].summary.listedOn).toEqual(['List listed'])
    // TXT is only asked for the listing.
    expect(client.log.filter((q) => q.type === 'TXT').map((q) => q.name)).toEqual([
      '10.2.0.192.listed.bl.example'
    ])
  })

  it('retries a failing query, then gives "error", never "clean"', async () => {
    const client = new FakeDns({
      ...healthy('broken.bl.example'),
      '10.2.0.192.broken.bl.example': { behaviour: 'throw' }
    })
    const { reports } = await sweep({
      targets: [IP],
      lists: [makeList('broken', 'broken.bl.example')],
      client,
      retries: 2
    })
    expect(reports[0].results[0].status).toBe('error')
    expect(client.log.filter((q) => q.name === '10.2.0.192.broken.bl.example')).toHaveLength(3)
  })

  it('produces findings: listing with evidence and fix, refused with the public-resolver explanation', async () => {
    const client = new FakeDns(zones)
    const { reports } = await sweep({ targets: [IP], lists, client, timeoutMs: 50, retries: 0 })
    const findings = sweepFindings(reports, catalogueOf(lists))
    const listed = findings.find((f) => f.id === `bl.listed:listed:${IP}`)
    expect(listed).toMatchObject({ severity: 'critical', remedy: 'delist' })
    expect(listed?.evidence.map((e) => e.text).join(' ')).toContain('127.0.0.2')
    expect(listed?.fix).toContain('https://listed.bl.example/remove')
    const refused = findings.find((f) => f.id === 'bl.refused:refusing')
    expect(refused?.detail).toMatch(/8\.8\.8\.8/)
    expect(refused?.fix).toMatch(/own recursive resolver/)
    expect(findings.some((f) => f.id === 'bl.error:slow')).toBe(true)
    expect(findings.some((f) => f.id === 'bl.unreliable:wildcard')).toBe(true)
    expect(findings.some((f) => f.id.startsWith('bl.listed:clean'))).toBe(false)
  })
})

describe('sweep mechanics', () => {
  const many = Array.from({ length: 20 }, (_, i) => makeList(`l${i}`, `z${i}.bl.example`))
  const manyZones = Object.assign({}, ...many.map((l) => healthy(l.zone as string)))
  const targets = Array.from({ length: 10 }, (_, i) => `198.51.100.${i + 1}`)

  it('never exceeds the concurrency bound, reports progress per query and loses/duplicates nothing', async () => {
    const client = new FakeDns(manyZones, 2)
    const progress: SweepProgress[] = []
    const { reports } = await sweep({
      targets,
      lists: many,
      client,
      concurrency: 7,
      selfTest: false,
      onProgress: (p) => progress.push(p)
    })
    expect(client.maxInFlight).toBeLessThanOrEqual(7)
    expect(client.maxInFlight).toBe(7)
    expect(progress).toHaveLength(200)
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(progress.every((p) => p.total === 200)).toBe(true)
    expect(reports.map((r) => r.target)).toEqual(targets)
    for (const r of reports) expect(r.results.map((x) => x.list)).toEqual(many.map((l) => l.id))
    expect(client.log).toHaveLength(200)
    expect(new Set(client.log.map((q) => q.name)).size).toBe(200)
  })

  it('stops starting queries once cancelled and rejects with the abort reason', async () => {
    const client = new FakeDns(manyZones, 2)
    const ac = new AbortController()
    const run = sweep({
      targets,
      lists: many,
      client,
      concurrency: 4,
      selfTest: false,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 10) ac.abort(new Error('user cancelled'))
      }
    })
    await expect(run).rejects.toThrow('user cancelled')
    const started = client.log.length
    await new Promise((r) => setTimeout(r, 30))
    expect(client.log.length).toBe(started)
    expect(started).toBeLessThan(10 + 4 + 1)
  })

  it('rejects at once when the signal is already aborted', async () => {
    const client = new FakeDns(manyZones)
    await expect(sweep({ targets, lists: many, client, signal: AbortSignal.abort() })).rejects.toThrow()
    expect(client.log).toHaveLength(0)
  })

  it('checks domains only against domain lists and IPv6 only against IPv6 lists', async () => {
    const lists = [
      makeList('ip4only', 'v4.bl.example'),
      makeList('v6', 'v6.bl.example', {
        type: ['ip4', 'ip6'],
        testPoints: { ip6: { listed: ['::ffff:7f00:2'], notListed: ['::ffff:7f00:1'] } }
      }),
      makeList('dom', 'dom.bl.example', {
        type: ['domain'],
        returnCodes: { '127.0.1.2': 'spam domain' },
        testPoints: { domain: { listed: ['test'], notListed: ['invalid'] } }
      })
    ]
    const client = new FakeDns({
      'test.dom.bl.example': { A: ['127.0.1.2'] },
      'bücher.example': {},
      'xn--bcher-kva.example.dom.bl.example': { A: ['127.0.1.2'] },
      '2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.v6.bl.example': { A: ['127.0.0.2'] }
    })
    const { reports, invalid, health } = await sweep({
      targets: ['bücher.example', '2001:db8::1', 'not a target'],
      lists,
      client
    })
    expect(invalid).toHaveLength(1)
    expect(reports[0]).toMatchObject({ target: 'xn--bcher-kva.example', type: 'domain' })
    expect(reports[0].results.map((r) => [r.list, r.status])).toEqual([['dom', 'listed']])
    expect(reports[1].results.map((r) => [r.list, r.status])).toEqual([['v6', 'clean']])
    expect(health.get('v6:ip6')?.status).toBe('ok')
    expect(health.get('v6:ip4')?.status).toBe('untested')
  })

  it('uses the DQS/Abusix key zones and skips keyed lists without a key', async () => {
    const zen = makeList('zen', 'zen.bl.example', { keyZone: '<key>.zen.dq.bl.example', keyProvider: 'dqs' })
    const abx = makeList('abx', 'combined.abx.example', {
      keyZone: '<key>.combined.abx.example',
      keyProvider: 'abusix',
      requiresKey: true
    })
    const client = new FakeDns({
      ...healthy('k3y.zen.dq.bl.example'),
      '10.2.0.192.k3y.zen.dq.bl.example': { A: ['127.0.0.2'] }
    })
    const withKey = await sweep({ targets: [IP], lists: [zen, abx], client, keys: { dqs: 'k3y' } })
    expect(withKey.reports[0].results).toHaveLength(1)
    expect(withKey.reports[0].results[0]).toMatchObject({
      list: 'zen',
      status: 'listed',
      query: '10.2.0.192.<key>.zen.dq.bl.example'
    })
    expect(withKey.reports[0].summary.skipped).toEqual([
      {
        list: 'abx',
        reason: 'Needs a Abusix key',
        reasonText: { code: 'listing:note.needsKey', params: { provider: 'Abusix' } }
      }
    ])
    expect(client.log.every((q) => !q.name.includes('abx'))).toBe(true)
  })

  it('decodes bitmask answers and treats bit 0x1 as a refusal (URIBL/SURBL)', async () => {
    const surbl = makeList('surbl', 'multi.surbl.example', {
      type: ['domain'],
      bitmask: true,
      returnCodes: { '127.0.0.8': 'PH', '127.0.0.16': 'MW', '127.0.0.64': 'ABUSE' },
      errorCodes: { '127.0.0.1': 'blocked' },
      testPoints: { domain: { listed: ['test'], notListed: ['invalid'] } }
    })
    const client = new FakeDns({
      'test.multi.surbl.example': { A: ['127.0.0.8'] },
      'bad.example.multi.surbl.example': { A: ['127.0.0.80'] },
      'blocked.example.multi.surbl.example': { A: ['127.0.0.1'] }
    })
    const { reports } = await sweep({ targets: ['bad.example', 'blocked.example'], lists: [surbl], client })
    expect(reports[0].results[0]).toMatchObject({ status: 'listed', meanings: ['MW', 'ABUSE'] })
    expect(reports[1].results[0]).toMatchObject({ status: 'refused', meanings: ['blocked'] })
  })

  it('runs the self-test once per client and reuses it', async () => {
    const list = makeList('one', 'one.bl.example')
    const client = new FakeDns(healthy('one.bl.example'))
    clearSelfTestCache(client)
    await sweep({ targets: [IP], lists: [list], client })
    await sweep({ targets: ['198.51.100.1'], lists: [list], client })
    expect(
      client.log.filter((q) => q.name.startsWith('2.0.0.127.') || q.name.startsWith('1.0.0.127.'))
    ).toHaveLength(2)
    const again = await selfTest([list], client, { refresh: true })
    expect(again.get('one:ip4')?.status).toBe('ok')
    expect(client.log.filter((q) => q.name.startsWith('2.0.0.127.'))).toHaveLength(2)
  })

  it('marks allow-list hits as good news, not listings', async () => {
    const wl = makeList('wl', 'wl.example', { kind: 'allow', returnCodes: { '127.0.*.2': 'trust medium' } })
    const client = new FakeDns({ ...healthy('wl.example'), '10.2.0.192.wl.example': { A: ['127.0.15.2'] } })
    const { reports } = await sweep({ targets: [IP], lists: [wl], client })
    expect(reports[0].results[0]).toMatchObject({
      status: 'listed',
      polarity: 'allow',
      meanings: ['trust medium']
    })
    expect(reports[0].summary).toMatchObject({ listed: 0, allowListed: 1 })
    expect(sweepFindings(reports, catalogueOf([wl]))[0]).toMatchObject({
      id: `bl.allow:wl:${IP}`,
      severity: 'ok'
    })
  })
})
