import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dkimSign } from 'mailauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../test/support/dns-server'
import type { Input, Method, Output } from '../../shared/api'
import type { Analysis } from '../../shared/schemas/analysis'
import { startBackend, type Backend } from '../host/backend'

/**
 * evidence.reverify / evidence.body / diagnose.analyze end to end: real SQLite, real DNS over loopback
 * (test/support/dns-server.ts). The bounce returns a DKIM-signed original that the receiver recorded as
 * dmarc=fail (its DNS was broken then); today the key and SPF are published, so re-verification passes and the
 * comparison explains the difference.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
const IP = '203.0.113.9'

async function signedOriginal(): Promise<string> {
  const msg = [
    'Return-Path: <orders@shop.example>',
    'From: Shop Example <orders@shop.example>',
    'To: jane.doe@rcpt.example',
    'Subject: Your order has shipped',
    'Date: Tue, 4 Mar 2025 10:21:43 +0000',
    'Message-ID: <o-1@shop.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello Jane,',
    ''
  ].join('\r\n')
  const key = { signingDomain: 'shop.example', selector: 's1', privateKey: pem }
  const res = await dkimSign(msg, {
    ...key,
    signTime: new Date('2025-03-04T10:21:43Z'),
    signatureData: [key]
  })
  const recorded = [
    // The receiver's milter adds its Authentication-Results above its own Received line.
    'Authentication-Results: mx.rcpt.example; spf=temperror smtp.mailfrom=shop.example; dkim=temperror header.d=shop.example; dmarc=fail (p=reject) header.from=shop.example',
    `Received: from relay.shop.example (relay.shop.example [${IP}]) by mx.rcpt.example (Postfix) with ESMTPS id Q1 for <jane.doe@rcpt.example>; Tue, 4 Mar 2025 10:21:45 +0000`,
    ''
  ].join('\r\n')
  return recorded + res.signatures + msg
}

function bounce(original: string): string {
  return [
    'From: MAILER-DAEMON@mx.rcpt.example',
    'To: orders@shop.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Tue, 4 Mar 2025 10:21:46 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
    '',
    '--R',
    'Content-Type: text/plain',
    '',
    '<jane.doe@rcpt.example>: host mx.rcpt.example[198.51.100.7] said: 550 5.7.26',
    "    Unauthenticated email from shop.example is not accepted due to domain's DMARC policy (in reply to end of DATA command)",
    '',
    '--R',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.shop.example',
    '',
    'Final-Recipient: rfc822; jane.doe@rcpt.example',
    'Action: failed',
    'Status: 5.7.26',
    'Remote-MTA: dns; mx.rcpt.example',
    "Diagnostic-Code: smtp; 550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy",
    '',
    '--R',
    'Content-Type: message/rfc822',
    '',
    original.replace(/\r\n/g, '\n'),
    '--R--',
    ''
  ].join('\n')
}

let dns: DnsTestServer
let backend: Backend
let dataDir: string
let bounceB64: string
const events: { name: string; payload: unknown }[] = []

async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const r = await backend.dispatch(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.data as Output<M>
}

beforeAll(async () => {
  dns = await startDnsServer({
    zones: {
      'shop.example': { TXT: [`v=spf1 ip4:${IP} -all`] },
      '_dmarc.shop.example': { TXT: ['v=DMARC1; p=reject'] },
      's1._domainkey.shop.example': { TXT: [[`v=DKIM1; k=rsa; `, `p=${pub.slice(0, 200)}`, pub.slice(200)]] }
    }
  })
  dataDir = mkdtempSync(join(tmpdir(), 'dd-diag-'))
  backend = startBackend({
    dataDir,
    host: 'web',
    now: () => new Date('2025-03-05T09:00:00Z'),
    recheck: false
  })
  backend.subscribe((name, payload) => void events.push({ name, payload }))
  bounceB64 = Buffer.from(bounce(await signedOriginal())).toString('base64')
})
afterAll(async () => {
  backend.close()
  await dns.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('diagnose service', () => {
  it('evidence.reverify checks the returned original over DNS and explains the difference with what was recorded', async () => {
    const c = await call('cases.create', { title: 'DMARC' })
    const { added } = await call('evidence.add', {
      caseId: c.id,
      files: [{ name: 'bounce.eml', base64: bounceB64 }]
    })
    expect(added[0].kind).toBe('bounce')
    const before = (await call('evidence.get', { id: added[0].id })).analysis as Analysis
    expect(before.original!.auth.recorded.dmarc?.result).toBe('fail')
    expect(before.original!.auth.now).toBeUndefined()
    expect(before.verdict!.cause).toBe('authentication')

    events.length = 0
    const a = await call('evidence.reverify', { id: added[0].id, resolver: dns.address })
    const now = a.original!.auth.now!
    expect(now.dnsAvailable).toBe(true)
    expect(now.spf).toMatchObject({ state: 'pass', ip: IP })
    expect(now.dkim[0]).toMatchObject({ state: 'pass', domain: 'shop.example' })
    expect(now.dmarc.state).toBe('pass')
    expect(a.original!.auth.comparison!.dmarc).toMatchObject({ recorded: 'fail', now: 'pass', same: false })
    // Stored, and the progress was reported.
    const stored = (await call('evidence.get', { id: added[0].id })).analysis as Analysis
    expect(stored.original!.auth.now!.dmarc.state).toBe('pass')
    const progress = events
      .filter((e) => e.name === 'progress')
      .map((e) => e.payload as { taskId: string; done: number; total: number })
    expect(progress.at(-1)).toMatchObject({ taskId: `reverify:${added[0].id}`, done: 3, total: 3 })
    const detail = await call('cases.get', { id: c.id })
    expect(detail.notes.some((n) => /re-verified/i.test(n.body))).toBe(true)
  })

  it('without a reachable resolver, results are could_not_check / not_checked — never pass or fail', async () => {
    const c = await call('cases.create', { title: 'offline' })
    const { added } = await call('evidence.add', {
      caseId: c.id,
      files: [{ name: 'bounce.eml', base64: bounceB64 }]
    })
    await call('settings.set', { dnsTimeoutMs: 300 })
    const a = await call('evidence.reverify', { id: added[0].id, resolver: '127.0.0.1:9' })
    const now = a.original!.auth.now!
    for (const s of [now.spf.state, now.dmarc.state, ...now.dkim.map((d) => d.state)])
      expect(['could_not_check', 'not_checked']).toContain(s)
  }, 20_000)

  it('evidence.body parses the body on demand; bad ids and resolvers are clear errors', async () => {
    const c = await call('cases.create', { title: 'body' })
    const { added } = await call('evidence.add', {
      caseId: c.id,
      files: [{ name: 'bounce.eml', base64: bounceB64 }]
    })
    const body = await call('evidence.body', { id: added[0].id })
    expect(body.text).toContain('Unauthenticated email from shop.example')
    const missing = await backend.dispatch('evidence.body', { id: 999999 })
    expect(missing.ok).toBe(false)
    const bad = await backend.dispatch('evidence.reverify', { id: added[0].id, resolver: 'not a resolver' })
    expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT')
  })

  it('diagnose.analyze re-verifies when given a resolver (the CLI --resolver path)', async () => {
    const r = await call('diagnose.analyze', {
      file: { name: 'bounce.eml', base64: bounceB64 },
      resolver: dns.address
    })
    expect(r.analyses[0].original!.auth.now!.dmarc.state).toBe('pass')
    const offline = await call('diagnose.analyze', { file: { name: 'bounce.eml', base64: bounceB64 } })
    expect(offline.analyses[0].original!.auth.now).toBeUndefined()
  })
})

it('reads the e2e M365 NDR through the service too', async () => {
  const b64 = readFileSync(join(__dirname, '../../../e2e/data/diag-ms365-s3150.eml')).toString('base64')
  const r = await call('diagnose.analyze', { file: { name: 'ndr.eml', base64: b64 } })
  expect(r.analyses[0].verdict!.cause).toBe('blocklist')
})
