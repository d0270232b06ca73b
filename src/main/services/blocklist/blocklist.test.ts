import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer, type Zones } from '../../../../test/support/dns-server'
import type { Input, Method, Output } from '../../../shared/api'
import type { EventName, EventPayload } from '../../../shared/events'
import { startBackend, type Backend } from '../../host/backend'

/**
 * The blocklist and delisting services end to end: a real SQLite file (startBackend) and the real catalogue,
 * queried through node's c-ares against a loopback DNS server (test/support/dns-server.ts) whose fixture zones
 * stand in for the public lists: listed (SpamCop), clean (Barracuda), refused (Spamhaus' 127.255.255.254 for a
 * public resolver), timeout (PSBL), SERVFAIL (Mailspike BL) and a defunct zone that wildcards everything (SORBS).
 */

const IP = '203.0.113.77' // label 77.113.0.203
const BOUNCE = readFileSync(join(__dirname, '../../../../e2e/data/bl-bounce.eml'))

/** RFC 5782 §5: every working list answers for 127.0.0.2 and not for 127.0.0.1. */
const testPoint = (zone: string): Zones => ({ [`2.0.0.127.${zone}`]: { A: ['127.0.0.2'] } })

const LISTING = `77.113.0.203.bl.spamcop.net`
const baseZones = (): Zones => ({
  ...testPoint('bl.spamcop.net'),
  [LISTING]: { A: ['127.0.0.2'], TXT: ['Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.77'] },
  ...testPoint('b.barracudacentral.org'),
  '*.zen.spamhaus.org': { A: ['127.255.255.254'] },
  '*.psbl.surriel.com': { behaviour: 'timeout' },
  '*.bl.mailspike.net': { behaviour: 'servfail' },
  '*.dnsbl.sorbs.net': { A: ['127.0.0.2'] }
})
const LISTS = ['spamcop', 'barracuda', 'spamhaus-zen', 'psbl', 'mailspike-bl']

interface Harness {
  backend: Backend
  events: { name: EventName; payload: unknown }[]
  clock: { now: Date }
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>
  fail(method: Method, input: unknown): Promise<{ code: string; message: string }>
  close(): void
}

function harness(): Harness {
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-bl-'))
  const clock = { now: new Date('2025-05-12T10:00:00Z') }
  const backend = startBackend({ dataDir, host: 'web', now: () => clock.now, recheck: false })
  const events: Harness['events'] = []
  backend.subscribe(
    <E extends EventName>(name: E, payload: EventPayload<E>) => void events.push({ name, payload })
  )
  const h: Harness = {
    backend,
    events,
    clock,
    async call(method, input) {
      const r = await backend.dispatch(method, input)
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
      return r.data as never
    },
    async fail(method, input) {
      const r = await backend.dispatch(method, input)
      if (r.ok) throw new Error(`${method} should have failed`)
      return r.error
    },
    close() {
      backend.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  return h
}

async function caseWithBounce(h: Harness): Promise<number> {
  const c = await h.call('cases.create', { title: 'Retailer rejects our quotes' })
  await h.call('evidence.add', {
    caseId: c.id,
    files: [{ name: 'bl-bounce.eml', base64: BOUNCE.toString('base64') }]
  })
  return c.id
}

describe('blocklist service over a loopback DNS server', () => {
  let server: DnsTestServer
  let h: Harness

  beforeAll(async () => {
    server = await startDnsServer({ zones: baseZones() })
  })
  afterAll(async () => {
    await server.close()
  })
  beforeEach(async () => {
    server.setZones(baseZones())
    server.queries.length = 0
    h = harness()
    await h.call('settings.set', { resolver: server.address, dnsTimeoutMs: 300 })
  })
  afterEach(() => h.close())

  it('scans: listed, clean, refused, could-not-check; stores the run, a timeline event and progress', async () => {
    const caseId = await caseWithBounce(h)
    const res = await h.call('blocklist.scan', { targets: [IP], lists: LISTS, caseId, taskId: 't1' })
    const status = Object.fromEntries(res.reports[0].results.map((r) => [r.list, r.status]))
    expect(status).toEqual({
      spamcop: 'listed',
      barracuda: 'clean',
      'spamhaus-zen': 'refused',
      psbl: 'error',
      'mailspike-bl': 'error'
    })
    const listed = res.reports[0].results.find((r) => r.list === 'spamcop')!
    expect(listed.codes).toEqual(['127.0.0.2'])
    expect(listed.txt).toContain('spamcop.net/bl.shtml')
    expect(listed.delist?.method).toBe('automatic')
    expect(res.reports[0].summary).toMatchObject({ listed: 1, clean: 1, refused: 1, error: 2 })
    expect(res.findings.map((f) => f.id)).toContain(`bl.listed:spamcop:${IP}`)
    expect(res.findings.map((f) => f.id)).toContain('bl.refused:spamhaus-zen')

    const progress = h.events
      .filter((e) => e.name === 'progress')
      .map((e) => e.payload as { done: number; total: number })
    expect(progress.at(-1)).toEqual({ taskId: 't1', label: 'blocklist', done: 5, total: 5 })

    expect(res.runId).toBeGreaterThan(0)
    const last = await h.call('blocklist.lastScan', { caseId })
    expect(last.scan?.reports[0].target).toBe(IP)
    const detail = await h.call('cases.get', { id: caseId })
    const event = detail.notes.find((n) => n.text?.code === 'timeline:blocklist.scanned')
    expect(event?.body).toContain(`${IP} — SpamCop`)
    // Lists without a usable answer are counted once, as coverage (refused, unreliable and errors alike).
    expect(event?.text?.params?.coverage).toMatchObject({ code: 'timeline:blocklist.coverage' })
    expect(event?.body).toMatch(/\d+ lists gave no usable answer/)
    expect(h.events.some((e) => e.name === 'case:changed')).toBe(true)
  })

  it('never queries defunct lists, even when their zone answers "listed" for everything', async () => {
    const res = await h.call('blocklist.scan', { targets: [IP] })
    expect(res.reports[0].results.some((r) => r.list === 'sorbs')).toBe(false)
    expect(server.queries.some((q) => q.name.endsWith('dnsbl.sorbs.net'))).toBe(false)
    expect(server.queries.some((q) => q.name.endsWith('bl.spamcop.net'))).toBe(true)
    // Lists without a fixture zone fail their self-test here: unreliable, never clean.
    const dronebl = res.reports[0].results.find((r) => r.list === 'dronebl')
    expect(dronebl?.status).toBe('unreliable')
  })

  it('self-tests each list once per session and resolver, then trusts it', async () => {
    await h.call('blocklist.scan', { targets: [IP], lists: ['spamcop', 'barracuda'] })
    await h.call('blocklist.scan', { targets: ['198.51.100.1'], lists: ['spamcop', 'barracuda'] })
    const probes = server.queries.filter((q) => q.name === '2.0.0.127.bl.spamcop.net' && q.type === 'A')
    expect(probes).toHaveLength(1)
    // A timed-out self-test is not cached: the next scan tests again.
    await h.call('blocklist.scan', { targets: [IP], lists: ['psbl'] })
    await h.call('blocklist.scan', { targets: [IP], lists: ['psbl'] })
    const psblProbes = server.queries.filter((q) => q.name.startsWith('2.0.0.127.psbl.surriel.com'))
    expect(psblProbes.length).toBeGreaterThanOrEqual(2)
  })

  it('reports bad input clearly and keeps the good targets', async () => {
    const res = await h.call('blocklist.scan', { targets: ['not a host!', IP], lists: ['spamcop'] })
    expect(res.invalid).toEqual([{ input: 'not a host!', reason: expect.stringContaining('not a domain') }])
    expect(res.reports.map((r) => r.target)).toEqual([IP])
    const unknown = await h.fail('blocklist.scan', { targets: [IP], lists: ['nope'] })
    expect(unknown).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('"nope" is not in the')
    })
    const defunct = await h.fail('blocklist.scan', { targets: [IP], lists: ['sorbs'] })
    expect(defunct.message).toContain('defunct')
    const resolver = await h.fail('blocklist.scan', { targets: [IP], resolver: 'dns.google' })
    expect(resolver.code).toBe('INVALID_INPUT')
  })

  it('can be cancelled', async () => {
    server.setZones({ ...baseZones(), 'bl.spamcop.net': { delayMs: 30 } })
    const targets = Array.from({ length: 120 }, (_, i) => `198.51.100.${i + 1}`)
    let cancelled: Promise<unknown> | undefined
    h.backend.subscribe((name, p) => {
      const payload = p as { taskId: string; done: number }
      if (name === 'progress' && payload.done > 0 && !cancelled)
        cancelled = h.call('blocklist.cancel', { taskId: 'big' })
    })
    const err = await h.fail('blocklist.scan', { targets, lists: ['spamcop'], taskId: 'big' })
    expect(err.code).toBe('CANCELLED')
    expect(await cancelled).toEqual({ cancelled: true })
    expect(await h.call('blocklist.cancel', { taskId: 'big' })).toEqual({ cancelled: false })
  })

  it('offers the case targets: IP named in the rejection, From/DKIM domains, linked domains', async () => {
    const caseId = await caseWithBounce(h)
    const { targets, named } = await h.call('blocklist.caseTargets', { caseId })
    const byValue = Object.fromEntries(targets.map((t) => [t.value, t]))
    expect(byValue[IP].sources).toContain('rejection')
    expect(byValue[IP].suggested).toBe(true)
    // The receiving MTA ("host mx1.retailer.example[198.51.100.30] said") is not the sender.
    expect(byValue['198.51.100.30']).toBeUndefined()
    expect(byValue['acme-widgets.example'].sources).toEqual(expect.arrayContaining(['from', 'dkim', 'link']))
    expect(byValue['parcelhub.example'].sources).toEqual(['link'])
    // The private hop inside the returned message is never a suggestion.
    expect(byValue['10.20.0.14']).toBeUndefined()
    expect(named.map((n) => n.list)).toContain('spamhaus-zen')
  })

  it('tracks a delisting until two clean re-checks in a row, with timeline events and a toast', async () => {
    const caseId = await caseWithBounce(h)
    await h.call('blocklist.scan', { targets: [IP], lists: ['spamcop'], caseId })
    const created = await h.call('delist.create', {
      caseId,
      list: 'spamcop',
      target: IP,
      requested: true,
      reference: 'SC-42'
    })
    expect(created).toMatchObject({
      status: 'requested',
      reference: 'SC-42',
      manual: false,
      method: 'automatic'
    })
    expect(created.timeline[0].note).toContain('A 127.0.0.2')
    const dup = await h.fail('delist.create', { caseId, list: 'spamcop', target: IP })
    expect(dup.code).toBe('CONFLICT')

    h.clock.now = new Date('2025-05-12T10:30:00Z')
    let round = await h.call('delist.checkNow', {})
    expect(round.requests[0]).toMatchObject({ status: 'requested', cleanStreak: 0 })

    server.deleteName(LISTING)
    h.clock.now = new Date('2025-05-12T11:00:00Z')
    round = await h.call('delist.checkNow', { id: created.id })
    expect(round.requests[0]).toMatchObject({ status: 'requested', cleanStreak: 1 })
    expect(round.changed).toBe(0)

    h.clock.now = new Date('2025-05-12T11:30:00Z')
    round = await h.call('delist.checkNow', {})
    expect(round).toMatchObject({ checked: 1, changed: 1 })
    expect(round.requests[0]).toMatchObject({ status: 'delisted', lastCheckedAt: '2025-05-12T11:30:00.000Z' })

    const toast = h.events.find((e) => e.name === 'toast')?.payload as { level: string; title: string }
    expect(toast).toMatchObject({ level: 'success', title: `Delisted: ${IP}` })
    const notes = (await h.call('cases.get', { id: caseId })).notes
    const change = notes.find((n) => n.body.includes('Requested → Delisted'))
    expect(JSON.stringify(change?.text)).toContain('"code":"timeline:delist.changed"')
    expect(JSON.stringify(change?.text)).toContain('"to":{"code":"blocklist:delistStatus.delisted"}')
    expect(await h.call('delist.list', { status: 'delisted' })).toHaveLength(1)
    // Settled requests are no longer re-checked.
    expect((await h.call('delist.checkNow', {})).checked).toBe(0)
  })

  it('never counts "could not check" as clean', async () => {
    const caseId = await caseWithBounce(h)
    const req = await h.call('delist.create', { caseId, list: 'psbl', target: IP, requested: true })
    for (let i = 0; i < 3; i++) await h.call('delist.checkNow', { id: req.id })
    const [after] = await h.call('delist.list', { caseId })
    expect(after).toMatchObject({ status: 'requested', cleanStreak: 0 })
    expect(after.timeline.at(-1)?.note).toContain('inconclusive')
  })

  it('flags a request still listed after the list usual delay as stale, with a toast', async () => {
    const caseId = await caseWithBounce(h)
    const req = await h.call('delist.create', { caseId, list: 'spamcop', target: IP, requested: true })
    expect(req.expectedDelayHours).toBe(24)
    h.clock.now = new Date('2025-05-13T12:00:00Z')
    const [after] = (await h.call('delist.checkNow', {})).requests
    expect(after).toMatchObject({ status: 'requested', stale: true, overdue: true })
    expect(
      h.events.some(
        (e) => e.name === 'toast' && (e.payload as { title: string }).title.startsWith('Still listed')
      )
    ).toBe(true)
  })

  it('tracks provider blocks by hand and refuses impossible moves with a clear message', async () => {
    const caseId = await caseWithBounce(h)
    const ms = await h.call('delist.create', { caseId, list: 'microsoft', target: IP })
    expect(ms).toMatchObject({ manual: true, status: 'listed', removalUrl: 'https://sender.office.com/' })
    expect((await h.fail('delist.checkNow', { id: ms.id })).code).toBe('UNSUPPORTED')
    const requested = await h.call('delist.update', { id: ms.id, status: 'requested', reference: 'MS-1' })
    expect(requested).toMatchObject({ status: 'requested', reference: 'MS-1' })
    const done = await h.call('delist.update', {
      id: ms.id,
      status: 'delisted',
      notes: 'Portal says removed'
    })
    expect(done.status).toBe('delisted')
    expect(done.timeline.at(-1)?.note).toBe('Portal says removed')

    const dns = await h.call('delist.create', { caseId, list: 'barracuda', target: IP })
    const confirm = await h.fail('delist.update', { id: dns.id, status: 'delisted' })
    expect(confirm).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('re-checks') })
    const note = await h.call('delist.update', { id: dns.id, notes: 'Form filed, waiting for mail' })
    expect(note.status).toBe('listed')
    // A reference alone: kept on the request, and the timeline says so as a Text (rendered in the reader's language).
    const ref = await h.call('delist.update', { id: dns.id, reference: 'BC-7' })
    expect(ref.reference).toBe('BC-7')
    expect(ref.timeline.at(-1)).toMatchObject({
      note: 'Reference: BC-7',
      noteText: { code: 'listing:timeline.reference', params: { reference: 'BC-7' } }
    })
    expect((await h.fail('delist.create', { caseId, list: 'sorbs', target: IP })).message).toContain(
      'defunct'
    )
    expect((await h.fail('delist.create', { caseId, list: 'spamcop', target: '::zz' })).code).toBe(
      'INVALID_INPUT'
    )
    expect((await h.fail('delist.update', { id: '999', status: 'pending' })).code).toBe('NOT_FOUND')

    const notes = (await h.call('cases.get', { id: caseId })).notes.map((n) => n.body)
    expect(notes.filter((n) => n.includes('on Microsoft 365'))).toHaveLength(3) // tracking + 2 changes
  })

  it('re-checks in the background on the injected timer', async () => {
    h.close()
    const dataDir = mkdtempSync(join(tmpdir(), 'dd-bl-'))
    const pending: { fn: () => void; ms: number }[] = []
    const backend = startBackend({
      dataDir,
      host: 'web',
      recheck: { timers: { setTimeout: (fn, ms) => pending.push({ fn, ms }), clearTimeout: () => undefined } }
    })
    try {
      const call = async (m: Method, i: unknown) => {
        const r = await backend.dispatch(m, i)
        if (!r.ok) throw new Error(r.error.message)
        return r.data as never
      }
      await call('settings.set', { resolver: server.address, dnsTimeoutMs: 300, recheckMinutes: 5 })
      const c: { id: number } = await call('cases.create', { title: 'bg' })
      await call('delist.create', { caseId: c.id, list: 'spamcop', target: IP, requested: true })
      expect(pending).toHaveLength(1)
      expect(pending[0].ms).toBe(30 * 60_000) // scheduled at start, before the setting changed
      pending.shift()!.fn()
      await backend.recheck!.tick()
      const [req]: { lastCheckedAt?: string }[] = await call('delist.list', {})
      expect(req.lastCheckedAt).toBeDefined()
      expect(pending.at(-1)?.ms).toBe(5 * 60_000)
    } finally {
      backend.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
    h = harness() // for afterEach
  })
})
