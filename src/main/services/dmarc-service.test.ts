import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../test/support/dns-server'
import { aggregateXml, gz, type FixtureReport } from '../../../test/support/dmarc-fixtures'
import { startBackend, type Backend } from '../host/backend'
import { createRepos } from './context'
import { createDmarcService } from './dmarc-service'

/** The DMARC use-cases behind the dispatcher, on a real SQLite file, a fixed clock and a loopback DNS server. */
const NOW = new Date('2025-03-10T12:00:00Z')
const day = (d: number) => Date.parse('2025-03-10T00:00:00Z') / 1000 - d * 86400
const reports: FixtureReport[] = [
  {
    org: 'google.com',
    reportId: 'a',
    domain: 'shop.test',
    begin: day(3),
    records: [
      { ip: '209.85.220.41', count: 50, dkim: 'pass', spf: 'pass', dkimDomain: 'shop.test' },
      { ip: '192.0.2.10', count: 20, dkim: 'fail', spf: 'pass' },
      { ip: '192.0.2.10', count: 5, dkim: 'fail', spf: 'fail' },
      { ip: '203.0.113.50', count: 3, dkim: 'fail', spf: 'fail' }
    ]
  }
]
const upload = (name: string, bytes: Uint8Array) => ({ name, base64: Buffer.from(bytes).toString('base64') })

let dns: DnsTestServer
let backend: Backend
let dataDir: string
beforeAll(async () => {
  dns = await startDnsServer({
    zones: {
      '_spf.google.com': { TXT: ['v=spf1 ip4:209.85.128.0/17 ~all'] },
      '41.220.85.209.in-addr.arpa': { PTR: ['mail-sor-f41.google.com'] }
    }
  })
  dataDir = mkdtempSync(join(tmpdir(), 'dd-dmarc-svc-'))
  backend = startBackend({ dataDir, host: 'web', now: () => NOW, recheck: false })
  await backend.dispatch('settings.set', { resolver: dns.address, dnsTimeoutMs: 500 })
})
afterAll(async () => {
  backend.close()
  await dns.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await backend.dispatch(method, input)
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
  return r.data as T
}

describe('dmarc service', () => {
  it('ingests uploads, refuses paths outside the CLI, and feeds readiness, planner and SPF builder', async () => {
    await expect(call('dmarc.ingest', { paths: ['/etc'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    const res = await call<{ reports: number; messages: number }>('dmarc.ingest', {
      files: [upload('a.xml.gz', gz(aggregateXml(reports[0])))]
    })
    expect(res).toMatchObject({ reports: 1, messages: 78 })

    await call('dmarc.markSource', { domain: 'shop.test', source: 'service:google', legitimate: true })
    await call('dmarc.markSource', { domain: 'shop.test', source: 'ip:192.0.2.10', legitimate: true })
    const r = await call<{ verdict: { code: string; params: Record<string, unknown> }; stagedPct: boolean }>(
      'dmarc.readiness',
      { domain: 'shop.test', target: 'reject', days: 7 }
    )
    // 192.0.2.10 passes 20 of 25: legitimate mail that p=reject would refuse.
    expect(r.verdict).toMatchObject({
      code: 'dmarc.readiness.notReady',
      params: { worst: '192.0.2.10', rate: 80 }
    })
    expect(r.stagedPct).toBe(true)
    const old = await call<{ verdict: { code: string } }>('dmarc.readiness', { domain: 'shop.test', days: 1 })
    expect(old.verdict.code).toBe('dmarc.readiness.noData')

    const inputs = await call<{ services: string[]; ips: string[]; stagedPct: boolean }>('dmarc.fixInputs', {
      domain: 'shop.test'
    })
    expect(inputs).toMatchObject({ services: ['google'], ips: ['192.0.2.10'], stagedPct: true })
  })

  it('can be cancelled between files, keeping what was stored', async () => {
    const files = Array.from({ length: 30 }, (_, i) =>
      upload(`r${i}.xml`, new TextEncoder().encode(aggregateXml({ ...reports[0], reportId: `c${i}` })))
    )
    let cancel: Promise<unknown> | undefined
    const off = backend.subscribe((name, p) => {
      const payload = p as { taskId: string; done: number }
      if (name === 'progress' && payload.taskId === 'cancel-me' && payload.done === 2 && !cancel)
        cancel = backend.dispatch('dmarc.cancel', { taskId: 'cancel-me' })
    })
    const r = await backend.dispatch('dmarc.ingest', { files, taskId: 'cancel-me' })
    off()
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.code).toBe('CANCELLED')
    expect(await cancel).toMatchObject({ ok: true, data: { cancelled: true } })
    const domains = await call<{ domain: string; reports: number }[]>('dmarc.domains', {})
    const stored = domains.find((d) => d.domain === 'shop.test')!.reports
    expect(stored).toBeGreaterThan(1)
    expect(stored).toBeLessThan(31)
  })

  it('exposes ingestBytes for other report sources (a mailbox), with duplicates counted once', async () => {
    const svc = createDmarcService(backend.ctx, createRepos(backend.ctx.db, backend.ctx.now))
    const bytes = new TextEncoder().encode(aggregateXml({ ...reports[0], reportId: 'mailbox-1' }))
    expect(await svc.ingestBytes(bytes, 'INBOX/42')).toMatchObject({
      reports: 1,
      messages: 78,
      duplicates: 0
    })
    expect(await svc.ingestBytes(bytes, 'INBOX/43')).toMatchObject({ reports: 0, messages: 0, duplicates: 1 })
  })
})
