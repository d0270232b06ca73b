import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer, type Zones } from '../../../test/support/dns-server'
import { startHttpsServer, type HttpsTestServer } from '../../../test/support/https-server'
import type { EventName, EventPayload } from '../../shared/events'
import { DomainReport } from '../../shared/schemas/domain'
import type { Analysis } from '../../shared/schemas/analysis'
import { openDatabase } from '../db/open'
import { analyzeFile } from '../core/diagnose'
import { createDispatcher } from '../host/dispatch'
import type { Handlers } from '../../shared/api'
import { createRepos, type Repos, type ServiceContext } from './context'
import { createDomainHandlers, dkimFieldsInRaw, dkimSelectorsFor } from './domain-service'

const STS = 'version: STSv1\nmode: enforce\nmx: mx.shop.test\nmax_age: 604800\n'

const zones: Zones = {
  // Misconfigured on purpose: 11 includes, DMARC p=none, a selector the messages use but DNS lacks.
  'shop.test': {
    TXT: ['v=spf1 ' + Array.from({ length: 11 }, (_, i) => `include:s${i}.shop.test`).join(' ') + ' -all'],
    MX: [{ exchange: 'mx.shop.test', priority: 10 }]
  },
  ...Object.fromEntries(
    Array.from({ length: 11 }, (_, i) => [`s${i}.shop.test`, { TXT: [`v=spf1 ip4:198.51.100.${i} -all`] }])
  ),
  'mx.shop.test': { A: ['192.0.2.25'] },
  '25.2.0.192.in-addr.arpa': { PTR: ['mx.shop.test'] },
  '_dmarc.shop.test': { TXT: ['v=DMARC1; p=none; rua=mailto:dmarc@shop.test'] },
  '_mta-sts.shop.test': { TXT: ['v=STSv1; id=2024a'] },
  // The policy host resolves through the same test resolver to the local HTTPS server.
  'mta-sts.shop.test': { A: ['127.0.0.1'] },
  '_smtp._tls.shop.test': { TXT: ['v=TLSRPTv1; rua=mailto:tls@shop.test'] },

  // A zone whose servers never answer, and one that SERVFAILs (whole zones: the wildcard covers _dmarc etc.).
  'slow.test': { behaviour: 'timeout' },
  '*.slow.test': { behaviour: 'timeout' },
  'broken.test': { behaviour: 'servfail' },
  '*.broken.test': { behaviour: 'servfail' }
}

const SIGNED = (d: string, s: string) =>
  `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${d};\r\n s=${s}; h=from:to:subject; bh=abc=;\r\n b=def=`

/** A bounce whose returned message carries the DKIM signatures (they are not in the bounce's own header). */
const BOUNCE = [
  'Received: from mx.shop.test (mx.shop.test [192.0.2.25]) by mx.receiver.example with ESMTPS id q1; Tue, 14 Mar 2023 09:12:07 +0100',
  'From: MAILER-DAEMON@receiver.example',
  'To: alice@shop.test',
  'Subject: Undelivered Mail Returned to Sender',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
  '',
  '--B',
  'Content-Type: text/plain',
  '',
  '550 5.7.1 rejected',
  '--B',
  'Content-Type: message/rfc822',
  '',
  SIGNED('shop.test', 's2024'),
  SIGNED('esp.example', 'other'),
  'From: alice@shop.test',
  'Subject: hello',
  '',
  'hi',
  '--B--',
  ''
].join('\r\n')

let dns: DnsTestServer
let web: HttpsTestServer
let repos: Repos
let handlers: ReturnType<typeof createDomainHandlers>
const events: { name: EventName; payload: unknown }[] = []

function makeCtx(): ServiceContext {
  const dataDir = mkdtempSync(join(tmpdir(), 'dd-domain-'))
  const db = openDatabase(join(dataDir, 'delivery-desk.sqlite'))
  return {
    db,
    dataDir,
    dbFile: join(dataDir, 'delivery-desk.sqlite'),
    host: 'cli',
    version: 'test',
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void events.push({ name, payload }),
    analyze: analyzeFile,
    now: () => new Date('2024-05-01T10:00:00Z')
  }
}

beforeAll(async () => {
  dns = await startDnsServer({ zones })
  web = await startHttpsServer({
    hostnames: ['mta-sts.shop.test'],
    routes: { 'mta-sts.shop.test/.well-known/mta-sts.txt': { status: 200, body: STS } }
  })
  const ctx = makeCtx()
  repos = createRepos(ctx.db, ctx.now)
  // Short timeouts: the "never answers" zone must not make the suite slow.
  repos.settings.set({ resolver: dns.address, dnsTimeoutMs: 300 })
  handlers = createDomainHandlers(ctx, repos, { https: { ca: web.ca, port: web.port, timeoutMs: 3000 } })
}, 30000)

afterAll(async () => {
  await dns?.close()
  await web?.close()
})

const ids = (r: DomainReport) => r.findings.map((f) => f.id)

function caseWithBounce(): number {
  const c = repos.cases.create('Rejected by receiver.example')
  repos.cases.update(c.id, { sendingDomain: 'shop.test', sendingIps: ['192.0.2.25'] })
  const analysis = {
    file: 'bounce.eml',
    kind: 'bounce',
    headers: [{ name: 'DKIM-Signature', value: 'v=1; d=receiver.example; s=bouncer; b=x' }],
    // The bounce's own edge is the receiver's server; the sender's HELO is in the returned original's edge.
    edge: { index: 0, ip: '198.51.100.30', helo: 'mx.receiver.example', reason: 'test', confidence: 'high' },
    original: {
      edge: { index: 0, ip: '192.0.2.30', helo: 'submit.shop.test', reason: 'test', confidence: 'low' }
    },
    // who is who decides: the sending MTA's HELO as the receiver saw it, not the original's own first hop
    parties: {
      sender: {
        domain: { value: 'shop.test', source: 'original:From', confidence: 0.95 },
        envelopeDomain: null,
        host: null,
        helo: { value: 'mx.shop.test', source: 'original:Received#0', confidence: 0.85 },
        ip: { value: '192.0.2.25', source: 'original:Received#0', confidence: 0.85 }
      },
      receiver: { host: null, ip: null, domain: null },
      relays: []
    }
  } as unknown as Analysis
  repos.evidence.add({
    caseId: c.id,
    name: 'bounce.eml',
    kind: 'bounce',
    sha256: 'x',
    content: new TextEncoder().encode(BOUNCE),
    subject: 'Undelivered Mail Returned to Sender',
    analysis
  })
  return c.id
}

describe('domain service over the loopback DNS server', () => {
  it('domain.check stores the report for a case, emits progress per mechanism and adds a timeline event', async () => {
    const caseId = repos.cases.create('standalone').id
    events.length = 0
    const r = await handlers['domain.check']({
      domain: 'shop.test',
      selectors: ['s2024'],
      caseId,
      taskId: 't1'
    })
    expect(() => DomainReport.parse(r)).not.toThrow()
    expect(ids(r)).toEqual(
      expect.arrayContaining(['spf.lookups-exceeded', 'dmarc.policy-none', 'dkim.selector-missing:s2024'])
    )
    expect(r.spf.lookupCount).toBe(11)

    const progress = events
      .filter((e) => e.name === 'progress')
      .map((e) => e.payload as EventPayload<'progress'>)
    expect(progress.every((p) => p.taskId === 't1' && p.total === 8)).toBe(true)
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(new Set(progress.slice(1).map((p) => p.label))).toEqual(
      new Set(['SPF', 'DKIM', 'DMARC', 'MX', 'PTR/FCrDNS', 'MTA-STS', 'TLS-RPT', 'BIMI'])
    )
    expect(events.some((e) => e.name === 'case:changed')).toBe(true)

    expect(repos.checkRuns.list(caseId, 'domain')).toHaveLength(1)
    const note = repos.notes
      .listForCase(caseId)
      .find((n) => n.kind === 'event' && n.body.includes('shop.test'))
    expect(note?.body).toMatch(/Domain health of shop\.test: .*error/)
    expect(await handlers['domain.latest']({ caseId })).toEqual(r)
  })

  it('domain.checkCase takes the domain, IPs, edge HELO and DKIM selectors from the case evidence', async () => {
    const caseId = caseWithBounce()
    expect(await handlers['domain.latest']({ caseId })).toBeNull()
    const r = await handlers['domain.checkCase']({ caseId })
    expect(r.domain).toBe('shop.test')
    expect(r.ptr).toEqual([
      expect.objectContaining({ ip: '192.0.2.25', helo: 'mx.shop.test', heloResolves: true })
    ])
    expect(r.ptr[0].confirmedName).toBe('mx.shop.test')
    // s2024 comes from the returned message's signature for d=shop.test; signatures for other domains are ignored.
    const inputSelectors = r.dkim.filter((d) => d.source === 'input').map((d) => d.selector)
    expect(inputSelectors).toEqual(['s2024'])
    expect(ids(r)).toContain('dkim.selector-missing:s2024')
    expect(r.spf.evaluations[0]).toMatchObject({ ip: '192.0.2.25' })
    expect((await handlers['domain.latest']({ caseId }))?.checkedAt).toBe(r.checkedAt)
  })

  it('fetches the MTA-STS policy over HTTPS from the address the test resolver gives', async () => {
    const r = await handlers['domain.check']({ domain: 'shop.test' })
    expect(r.mtaSts).toMatchObject({ state: 'pass', id: '2024a', uncoveredMx: [] })
    expect(r.mtaSts.policy?.mode).toBe('enforce')
    // Without the test CA the certificate is not trusted: a fetch failure, never a valid policy.
    const ctx = makeCtx()
    const other = createRepos(ctx.db, ctx.now)
    other.settings.set({ resolver: dns.address, dnsTimeoutMs: 300 })
    const untrusted = createDomainHandlers(ctx, other, { https: { port: web.port, timeoutMs: 3000 } })
    const u = await untrusted['domain.check']({ domain: 'shop.test' })
    expect(u.mtaSts.state).toBe('fail')
    expect(u.mtaSts.fetchError).toMatch(/certificate/i)
  })

  it('never turns a timeout or SERVFAIL into "missing", and says so in the timeline', async () => {
    for (const domain of ['slow.test', 'broken.test']) {
      const caseId = repos.cases.create(domain).id
      const r = await handlers['domain.check']({ domain, caseId })
      const list = ids(r)
      for (const missing of [
        'spf.missing',
        'dmarc.missing',
        'mx.none',
        'mx.domain-nxdomain',
        'dkim.none-found',
        'mta-sts.missing',
        'tls-rpt.missing',
        'bimi.missing'
      ])
        expect(list, `${domain}: ${missing}`).not.toContain(missing)
      expect(r.spf.state, domain).toBe('could_not_check')
      expect(r.dmarc.state, domain).toBe('could_not_check')
      expect(r.mtaSts.state, domain).toBe('could_not_check')
      expect(r.tlsRpt.state, domain).toBe('could_not_check')
      expect(r.bimi.state, domain).toBe('could_not_check')
      expect(
        r.dkim.every((d) => d.state !== 'none' && d.state !== 'pass'),
        domain
      ).toBe(true)
      const note = repos.notes.listForCase(caseId).find((n) => n.body.startsWith('Domain health'))
      expect(note?.body, domain).toMatch(/could not be completed/)
    }
  }, 30000)
})

describe('domain service input', () => {
  const dispatch = () => createDispatcher(handlers as unknown as Handlers, () => undefined)

  it.each([
    ['http://shop.test', /URL/],
    ['shop test.com', /spaces/],
    ['192.0.2.1', /IP address/],
    ['[2001:db8::1]', /IP address/],
    ['localhost', /single label/],
    ['', /Enter a domain/],
    ['alice@shop.test', /email address/],
    ['-bad-.test', /not a valid domain/]
  ])('refuses %j with a clear message', async (domain, message) => {
    const r = await dispatch()('domain.check', { domain })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT')
      expect(r.error.message).toMatch(message)
    }
  })

  it('normalises case, a trailing dot and IDNs', async () => {
    const { api } = await import('../../shared/api')
    expect(api['domain.check'].input.parse({ domain: 'Shop.Test.' }).domain).toBe('shop.test')
    expect(api['domain.check'].input.parse({ domain: 'bücher.test' }).domain).toBe('xn--bcher-kva.test')
    expect(api['domain.check'].input.safeParse({ domain: 'shop.test', ips: ['999.1.1.1'] }).success).toBe(
      false
    )
  })

  it('refuses a bad resolver and a case without a sending domain', async () => {
    const bad = await dispatch()('domain.check', { domain: 'shop.test', resolver: 'dns.google' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const caseId = repos.cases.create('empty').id
    const r = await dispatch()('domain.checkCase', { caseId })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/no sending domain/) }
    })
    expect(await dispatch()('domain.latest', { caseId: 99999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })

  it('reads selectors only from signatures of the domain, including folded fields', () => {
    const fields = dkimFieldsInRaw(BOUNCE)
    expect(fields).toHaveLength(2)
    expect(dkimSelectorsFor('shop.test', fields)).toEqual(['s2024'])
    expect(dkimSelectorsFor('esp.example', fields)).toEqual(['other'])
    expect(dkimSelectorsFor('nobody.test', fields)).toEqual([])
  })
})
