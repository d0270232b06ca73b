import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import {
  brokenZones,
  fixedRecords,
  WF_DOMAIN,
  WF_IP,
  WF_LIST,
  WF_LISTING
} from '../../core/findings/__fixtures__/wf-zones'
import { tempBackend } from '../../host/test-backend'
import type { Backend } from '../../host/backend'

const FIXTURE = join(__dirname, '../../../../e2e/data/wf-s3150-dmarc.eml')

let backend: Backend & { dataDir: string }
let dns: DnsTestServer

async function api<T = any>(method: string, input: unknown): Promise<T> {
  const r = await backend.dispatch(method as never, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.data as T
}

beforeEach(async () => {
  backend = tempBackend('web')
  dns = await startDnsServer({ zones: brokenZones() })
  await api('settings.set', { resolver: dns.address, dnsTimeoutMs: 800 })
})
afterEach(async () => {
  backend.close()
  await dns.close()
})

async function caseWithBounce() {
  const c = await api<{ id: number }>('cases.create', { title: 'Outlook S3150' })
  const b64 = readFileSync(FIXTURE).toString('base64')
  const added = await api<{ added: unknown[] }>('evidence.add', {
    caseId: c.id,
    files: [{ name: 'wf.eml', base64: b64 }]
  })
  expect(added.added).toHaveLength(1)
  return c.id
}

describe('workflow service over loopback DNS', () => {
  it('collects the bounce, domain and blocklist findings into one list mapped to steps', async () => {
    const caseId = await caseWithBounce()
    await api('domain.checkCase', { caseId })
    await api('blocklist.scan', { caseId, targets: [WF_IP], lists: [WF_LIST] })
    const list = await api<any[]>('findings.list', { caseId })
    const ids = list.map((f) => f.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(list.find((f) => f.id === `bl.listed:${WF_LIST}:${WF_IP}`)).toMatchObject({
      step: 'delist',
      status: 'open'
    })
    expect(list.find((f) => f.id === 'auth.dmarc-fail')).toMatchObject({ step: 'fix', status: 'open' })
    expect(list.some((f) => f.id.startsWith('verdict.'))).toBe(true)
    const status = await api<any>('workflow.status', { caseId })
    const step = (s: string) => status.steps.find((x: any) => x.step === s)
    expect(step('delist').remaining).toBeGreaterThanOrEqual(1)
    expect(step('delist').complete).toBe(false)
    expect(step('fix').remaining).toBeGreaterThan(0)
    expect(step('verify')).toMatchObject({ complete: false, pending: 'not-verified' })
    // Listing again does not duplicate anything.
    expect((await api<any[]>('findings.list', { caseId })).length).toBe(list.length)
  })

  it('Verify keeps what is still broken open, then resolves everything once the zone is fixed', async () => {
    const caseId = await caseWithBounce()
    await api('domain.checkCase', { caseId })
    await api('blocklist.scan', { caseId, targets: [WF_IP], lists: [WF_LIST] })

    const first = await api<any>('workflow.verify', { caseId })
    const item = (r: any, id: string) => r.items.find((i: any) => i.findingId === id)
    expect(item(first, `listing:${WF_LIST}:${WF_IP}`).outcome).toBe('still-open')
    expect(item(first, 'dmarc').outcome).toBe('still-open')

    const fixed = fixedRecords()
    dns.setRecord(WF_DOMAIN, 'TXT', [fixed.spf])
    dns.setRecord(`_dmarc.${WF_DOMAIN}`, 'TXT', [fixed.dmarc])
    dns.setRecord(fixed.dkimName, 'TXT', fixed.dkim)
    dns.deleteName(WF_LISTING)
    // Microsoft's own list (S3150) is not a DNS list: only the admin can confirm its delisting.
    const req = await api<any>('delist.create', { caseId, list: 'microsoft', target: WF_IP, requested: true })
    await api('delist.update', { id: req.id, status: 'delisted', notes: 'Microsoft support: mitigated' })
    // Whatever HELO finding the fixture raises is accepted with a note, as an admin would close it.
    for (const f of await api<any[]>('findings.list', { caseId }))
      if (f.id.startsWith('helo.mismatch:') && f.status === 'open')
        await api('findings.accept', { caseId, findingId: f.id, note: 'HELO of the NDR sender, not ours' })
    // One clean answer is not a delisting yet (replication lag, cached answers): the listing stays open…
    const clean1 = await api<any>('workflow.verify', { caseId })
    expect(item(clean1, `listing:${WF_LIST}:${WF_IP}`).after).toBe('open')
    // DMARC's condition is gone at once (today's check passes), and the receiver's symptoms of it follow.
    expect(item(clean1, 'dmarc').outcome).toBe('resolved')
    // …and is gone after the second clean answer in a row.
    const second = await api<any>('workflow.verify', { caseId })
    expect(item(second, `listing:${WF_LIST}:${WF_IP}`).outcome).toBe('resolved')
    expect(item(second, 'dmarc').outcome).toBe('resolved')
    const open = second.items.filter((i: any) => i.after === 'open')
    expect(open).toEqual([])
    const status = await api<any>('workflow.status', { caseId })
    expect(status.steps.filter((s: any) => s.step !== 'report').every((s: any) => s.complete)).toBe(true)
    expect(await api('workflow.lastVerify', { caseId })).toMatchObject({ runId: second.runId })
  })

  it('a listing whose list cannot be checked stays open as "could not check"', async () => {
    const caseId = await caseWithBounce()
    await api('blocklist.scan', { caseId, targets: [WF_IP], lists: [WF_LIST] })
    await api('findings.list', { caseId })
    dns.deleteName(WF_LISTING)
    dns.setRecord('*.bl.spamcop.net', 'behaviour', 'servfail')
    dns.setRecord('bl.spamcop.net', 'behaviour', 'servfail')
    dns.deleteName('2.0.0.127.bl.spamcop.net')
    const r = await api<any>('workflow.verify', { caseId })
    const listing = r.items.find((i: any) => i.findingId === `listing:${WF_LIST}:${WF_IP}`)
    expect(listing.after).toBe('open')
    expect(['could-not-check', 'still-open']).toContain(listing.outcome)
    expect(listing.outcome).not.toBe('resolved')
  })

  it('accepting needs a note; reopen undoes it', async () => {
    const caseId = await caseWithBounce()
    const list = await api<any[]>('findings.list', { caseId })
    const f = list.find((x) => x.actionable)
    const bad = await backend.dispatch('findings.accept', { caseId, findingId: f.id, note: '  ' })
    expect(bad.ok).toBe(false)
    const acc = await api('findings.accept', { caseId, findingId: f.id, note: 'Known, handled by the ESP' })
    expect(acc).toMatchObject({ status: 'accepted', note: 'Known, handled by the ESP' })
    expect(await api('findings.reopen', { caseId, findingId: f.id })).toMatchObject({
      status: 'open',
      note: null
    })
  })

  it('fix.generate stores public output only; the DKIM private key is returned once', async () => {
    const caseId = await caseWithBounce()
    const dkim = await api<any>('fix.generate', {
      caseId,
      kind: 'dkim',
      input: { domain: WF_DOMAIN, selector: 'dd1', algorithm: 'ed25519' }
    })
    expect(dkim.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/)
    const stored = await api<any[]>('fix.list', { caseId })
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY')
    const raw = backend.ctx.db.prepare('SELECT input, output FROM fixes').all()
    expect(JSON.stringify(raw)).not.toContain('PRIVATE KEY')

    const spf = await api<any>('fix.generate', {
      caseId,
      kind: 'spf',
      input: { domain: WF_DOMAIN, services: ['microsoft-365'], ips: [WF_IP], all: '-all' }
    })
    expect(spf.fix.output.snippets[0].record).toContain(`ip4:${WF_IP}`)
    const dmarc = await api<any>('fix.generate', {
      caseId,
      kind: 'dmarc',
      input: { domain: WF_DOMAIN, ruaAddress: 'reports@dmarc.example.net', startDate: '2025-01-06' }
    })
    expect(dmarc.fix.output.stages.map((s: any) => s.policy)).toEqual(['none', 'quarantine', 'reject'])
    expect(
      dmarc.fix.output.snippets.some((s: any) => s.name === `${WF_DOMAIN}._report._dmarc.dmarc.example.net`)
    ).toBe(true)
    const badDate = await backend.dispatch('fix.generate', {
      caseId,
      kind: 'dmarc',
      input: { domain: WF_DOMAIN, ruaAddress: 'x', startDate: '2025-01-06' }
    })
    expect(badDate).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    // Past the schema, the generator's own refusal is said as a Text, so the form shows it in the reader's language.
    const noAt = await backend.dispatch('fix.generate', {
      caseId,
      kind: 'dmarc',
      input: { domain: WF_DOMAIN, ruaAddress: 'reports.example.net', startDate: '2025-01-06' }
    })
    expect(noAt).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: '"reports.example.net" is not an email address.',
        text: { code: 'fixgen:dmarc.badAddress', params: { address: 'reports.example.net' } }
      }
    })
    expect(await api('fix.delete', { id: dkim.fix.id })).toEqual({ deleted: true })
    expect((await api<any[]>('fix.list', { caseId })).length).toBe(2)
  })

  it('report.export: HTML with CSP and no scripts, Markdown, JSON; PDF is UNSUPPORTED without Chromium', async () => {
    const caseId = await caseWithBounce()
    await api('notes.add', { caseId, body: 'Ticket <b>#42</b> with <script>alert(1)</script>' })
    const html = await api<any>('report.export', { caseId, format: 'html', language: 'fr' })
    const text = Buffer.from(html.base64, 'base64').toString('utf8')
    expect(html.mimeType).toMatch(/text\/html/)
    expect(text).toContain("default-src 'none'")
    expect(text).not.toMatch(/<script/i)
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(text).toContain('Rapport de délivrabilité')
    const md = await api<any>('report.export', {
      caseId,
      format: 'md',
      variant: 'operator',
      contact: 'postmaster@wf-shop.example'
    })
    expect(Buffer.from(md.base64, 'base64').toString()).toContain('postmaster@wf-shop.example')
    const json = JSON.parse(
      Buffer.from((await api<any>('report.export', { caseId, format: 'json' })).base64, 'base64').toString()
    )
    expect(json.case.id).toBe(caseId)
    const status = await api<any>('workflow.status', { caseId })
    expect(status.steps.find((s: any) => s.step === 'report').done).toBe(3)
    // Counted from typed events (code timeline:report.exported), whatever the language they are read in.
    const detail = await api<any>('cases.get', { id: caseId })
    const exported = detail.notes.filter((n: any) => n.text?.code === 'timeline:report.exported')
    expect(exported).toHaveLength(3)
    expect(exported[0].text.params.variant).toEqual({ code: 'timeline:report.variant.full' })
  })

  it('groups the S3150 case into one cause per root cause, each with all its evidence', async () => {
    const caseId = await caseWithBounce()
    await api('domain.checkCase', { caseId })
    await api('blocklist.scan', { caseId, targets: [WF_IP], lists: [WF_LIST] })
    const { causes } = await api<any>('findings.causes', { caseId })
    const ids = causes.map((c: any) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    // Every actionable finding belongs to exactly one cause.
    const list = await api<any[]>('findings.list', { caseId })
    const grouped = causes.flatMap((c: any) => c.findings.map((f: any) => f.id))
    for (const f of list.filter((x) => x.actionable)) expect(grouped).toContain(f.id)
    const dmarc = causes.find((c: any) => c.id === 'dmarc')
    expect(dmarc.findings.length).toBeGreaterThan(1)
    expect(causes.find((c: any) => c.id === `listing:${WF_LIST}:${WF_IP}`)).toMatchObject({
      kind: 'listing',
      step: 'delist',
      status: 'open'
    })
    // The steps count causes: fewer to-dos than findings.
    const status = await api<any>('workflow.status', { caseId })
    const todo = status.steps
      .filter((s: any) => ['diagnose', 'fix', 'delist'].includes(s.step))
      .reduce((n: number, s: any) => n + s.remaining, 0)
    expect(todo).toBe(causes.filter((c: any) => c.actionable && c.status === 'open').length)
    expect(todo).toBeLessThan(list.filter((f) => f.actionable && f.status === 'open').length)
    // Accepting one finding accepts its whole cause.
    await api('findings.accept', { caseId, findingId: dmarc.findings[0].id, note: 'Handled by the ESP' })
    const after = await api<any>('findings.causes', { caseId })
    expect(after.causes.find((c: any) => c.id === 'dmarc').status).toBe('accepted')
  })
})
