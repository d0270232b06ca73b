import { generateKeyPairSync } from 'node:crypto'
import { dkimSign, spf as mailauthSpf } from 'mailauth'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuthCheck, AuthComparison } from '../../../shared/schemas/message'
import { analyzeReceived, parseHeaderBlock } from '../headers'
import { zoneClient, type Zones } from '../../../../test/support/zone-client'
import { analyzeRecordedAuth, compareAuth, toMailauthResolver, verifyAuth } from './index'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
const NOW = new Date('2024-06-01T12:00:00Z')

const EDGE_IP = '203.0.113.10'

function baseZone(): Zones {
  return {
    'shop.example': { TXT: [`v=spf1 ip4:${EDGE_IP} -all`] },
    '_dmarc.shop.example': { TXT: ['v=DMARC1; p=reject; rua=mailto:d@shop.example'] },
    // Long keys are published as several character-strings in one TXT RR.
    'k1._domainkey.shop.example': { TXT: [['v=DKIM1; k=rsa; ', `p=${pub.slice(0, 200)}`, pub.slice(200)]] },
    'k1._domainkey.esp-mailer.example': { TXT: [`v=DKIM1; k=rsa; p=${pub}`] }
  }
}

const headerBlock = (from = 'news@shop.example') =>
  [
    'Return-Path: <bounce@shop.example>',
    `Received: from out.shop.example (out.shop.example [${EDGE_IP}]) by mx.receiver.example (Postfix) with ESMTPS id A1 for <u@receiver.example>; Sat, 1 Jun 2024 11:59:58 +0000`,
    `From: Shop <${from}>`,
    'To: u@receiver.example',
    'Subject: Summer sale',
    'Date: Sat, 1 Jun 2024 11:59:50 +0000',
    'Message-ID: <sale-1@shop.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8'
  ].join('\r\n')
const BODY = 'Hello,\r\n\r\nEverything is 20% off this week.\r\n'

async function signed(domain = 'shop.example', from?: string): Promise<string> {
  const msg = `${headerBlock(from)}\r\n\r\n${BODY}`
  const key = { signingDomain: domain, selector: 'k1', privateKey: pem }
  // mailauth's index.d.ts marks the top-level key fields required, but lib/dkim only reads signatureData[].
  const res = await dkimSign(msg, {
    ...key,
    signTime: new Date('2024-06-01T11:59:55Z'),
    signatureData: [key]
  })
  expect(res.errors).toEqual([])
  return res.signatures + msg
}

let message: string
beforeAll(async () => {
  message = await signed()
})

describe('toMailauthResolver', () => {
  it('returns node-dns shaped records and Node error codes', async () => {
    const r = toMailauthResolver(
      zoneClient({
        'a.example': {
          TXT: [['v=spf1 ', '-all']],
          MX: [{ exchange: 'mx.a.example', priority: 5 }],
          A: ['192.0.2.1']
        },
        'sf.example': { behaviour: 'servfail' },
        'rf.example': { behaviour: 'refused' },
        'to.example': { behaviour: 'timeout' }
      })
    )
    expect(await r('a.example', 'TXT')).toEqual([['v=spf1 ', '-all']])
    expect(await r('a.example.', 'MX')).toEqual([{ exchange: 'mx.a.example', priority: 5 }])
    expect(await r('a.example', 'A')).toEqual(['192.0.2.1'])
    await expect(r('nope.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' })
    await expect(r('a.example', 'AAAA')).rejects.toMatchObject({ code: 'ENODATA' })
    await expect(r('sf.example', 'TXT')).rejects.toMatchObject({ code: 'ESERVFAIL' })
    await expect(r('rf.example', 'TXT')).rejects.toMatchObject({ code: 'EREFUSED' })
    await expect(r('to.example', 'TXT')).rejects.toMatchObject({
      code: 'ETIMEOUT',
      message: expect.stringMatching(/ETIMEOUT/)
    })
  })
  it('makes mailauth report none for NXDOMAIN and temperror for SERVFAIL/timeouts', async () => {
    const client = zoneClient({
      'sf.example': { behaviour: 'servfail' },
      'to.example': { behaviour: 'timeout' }
    })
    const resolver = toMailauthResolver(client) as never
    const none = await mailauthSpf({ ip: EDGE_IP, sender: 'a@missing.example', mta: 'mx', resolver })
    expect(none.status.result).toBe('none')
    const sf = await mailauthSpf({ ip: EDGE_IP, sender: 'a@sf.example', mta: 'mx', resolver })
    expect(sf.status.result).toBe('temperror')
    const to = await mailauthSpf({ ip: EDGE_IP, sender: 'a@to.example', mta: 'mx', resolver })
    expect(to.status.result).toBe('temperror')
  })
})

describe('verifyAuth', () => {
  it('passes DKIM, SPF and DMARC for a freshly signed message', async () => {
    const client = zoneClient(baseZone())
    const res = await verifyAuth({ message, ip: EDGE_IP, helo: 'out.shop.example', client, now: NOW })
    expect(AuthCheck.parse(res)).toBeTruthy()
    expect(res.headersOnly).toBe(false)
    expect(res.dkim).toHaveLength(1)
    expect(res.dkim[0]).toMatchObject({
      state: 'pass',
      domain: 'shop.example',
      selector: 'k1',
      algorithm: 'rsa-sha256',
      bodyHash: 'pass',
      signature: 'pass',
      keyFound: true,
      keyBits: 2048,
      aligned: true
    })
    expect(res.spf).toMatchObject({
      state: 'pass',
      result: 'pass',
      ip: EDGE_IP,
      mailFrom: 'bounce@shop.example',
      domain: 'shop.example'
    })
    expect(res.dmarc).toMatchObject({
      state: 'pass',
      p: 'reject',
      policy: 'reject',
      alignment: { spf: 'shop.example', dkim: 'shop.example' }
    })
    expect(res.arc).toMatchObject({ state: 'none', instances: 0 })
    expect(res.bimi.state).toBe('none')
    expect(res.findings).toEqual([])
    expect(client.calls.some((c) => c.name === 'k1._domainkey.shop.example')).toBe(true)
  })

  it('detects a body altered after signing: body hash fail, header signature still valid', async () => {
    const altered = message.replace('20% off', '90% off')
    const res = await verifyAuth({ message: altered, ip: EDGE_IP, client: zoneClient(baseZone()), now: NOW })
    expect(res.dkim[0]).toMatchObject({ state: 'fail', bodyHash: 'fail', signature: 'pass' })
    expect(res.dkim[0].reason).toMatch(/modified/)
    // SPF still passes aligned, so DMARC passes
    expect(res.dmarc.state).toBe('pass')
    expect(res.findings.map((f) => f.id)).toContain('auth.dkim-body-modified:shop.example')
  })

  it('detects altered signed headers as a bad signature', async () => {
    const altered = message.replace('Subject: Summer sale', 'Subject: Winter sale')
    const res = await verifyAuth({ message: altered, client: zoneClient(baseZone()), now: NOW })
    expect(res.dkim[0]).toMatchObject({ state: 'fail', bodyHash: 'pass', signature: 'fail' })
  })

  it('headers only: DKIM body hash is not_checked (never fail), header signature verified', async () => {
    const headersOnly = message.split('\r\n\r\n')[0]
    const res = await verifyAuth({
      message: headersOnly,
      ip: EDGE_IP,
      client: zoneClient(baseZone()),
      now: NOW
    })
    expect(res.headersOnly).toBe(true)
    expect(res.dkim[0]).toMatchObject({ state: 'not_checked', bodyHash: 'not_checked', signature: 'pass' })
    expect(res.dkim[0].reason).toMatch(/Headers only/)
    expect(res.dmarc.state).toBe('pass') // via aligned SPF
  })

  it('headers only without SPF: DMARC cannot be decided, so it is not_checked rather than fail', async () => {
    const headersOnly = message.split('\r\n\r\n')[0]
    const res = await verifyAuth({ message: headersOnly, client: zoneClient(baseZone()), now: NOW })
    expect(res.spf.state).toBe('not_checked')
    expect(res.dmarc.state).toBe('not_checked')
    expect(res.findings.map((f) => f.id)).not.toContain('auth.dmarc-fail')
  })

  it('no DNS configured: every DNS-dependent check is not_checked', async () => {
    const res = await verifyAuth({ message, ip: EDGE_IP, now: NOW })
    expect(res.dnsAvailable).toBe(false)
    expect(res.dkim[0].state).toBe('not_checked')
    expect(res.spf.state).toBe('not_checked')
    expect(res.dmarc.state).toBe('not_checked')
    expect(res.bimi.state).toBe('not_checked')
    const states = JSON.stringify(res)
    expect(states).not.toMatch(/"state":"fail"/)
    expect(res.findings.map((f) => f.id)).toEqual(['auth.dns-not-configured'])
  })

  it('DNS errors become could_not_check with the cause', async () => {
    const zone = baseZone()
    zone['k1._domainkey.shop.example'] = { behaviour: 'servfail' }
    zone['shop.example'] = { behaviour: 'timeout' }
    const res = await verifyAuth({ message, ip: EDGE_IP, client: zoneClient(zone), now: NOW })
    expect(res.dkim[0].state).toBe('could_not_check')
    expect(res.dkim[0].reason).toMatch(/ESERVFAIL/)
    expect(res.spf.state).toBe('could_not_check')
    expect(res.spf.explanation).toMatch(/timeout/)
    expect(res.dmarc.state).toBe('could_not_check')
    expect(res.findings.map((f) => f.id)).toContain('auth.dns-error')
  })

  it('key removed since delivery: DKIM fails with keyFound=false', async () => {
    const zone = baseZone()
    delete zone['k1._domainkey.shop.example']
    const res = await verifyAuth({ message, ip: '198.51.100.99', client: zoneClient(zone), now: NOW })
    expect(res.dkim[0]).toMatchObject({ state: 'fail', keyFound: false })
    expect(res.spf.state).toBe('fail')
    expect(res.dmarc.state).toBe('fail')
    const ids = res.findings.map((f) => f.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'auth.dmarc-fail',
        'auth.spf-fail',
        'auth.dkim-key-missing:k1._domainkey.shop.example'
      ])
    )
    expect(res.findings.find((f) => f.id === 'auth.spf-fail')?.remedy).toBe('spf-builder')
  })

  it('flags a DKIM pass that is not aligned with From', async () => {
    const esp = await signed('esp-mailer.example')
    const res = await verifyAuth({
      message: esp,
      ip: '198.51.100.99',
      client: zoneClient(baseZone()),
      now: NOW
    })
    expect(res.dkim[0]).toMatchObject({ state: 'pass', aligned: false })
    expect(res.dmarc.state).toBe('fail')
    const f = res.findings.find((x) => x.id === 'auth.dkim-misaligned')
    expect(f).toMatchObject({ severity: 'error', remedy: 'dkim-keygen' })
  })
})

describe('compareAuth', () => {
  it('explains a body modified after the receiver checked it, and an SPF record fixed since', async () => {
    const altered = message.replace('20% off', '90% off')
    const headers = [
      {
        name: 'Authentication-Results',
        value:
          'mx.receiver.example; dkim=pass header.d=shop.example header.s=k1; spf=fail smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example'
      },
      ...parseHeaderBlock(altered)
    ]
    const recorded = analyzeRecordedAuth(headers, { chain: analyzeReceived(headers) })
    expect(recorded.trusted.authservId).toBe('mx.receiver.example')
    const now = await verifyAuth({ message: altered, ip: EDGE_IP, client: zoneClient(baseZone()), now: NOW })
    const cmp = compareAuth(recorded, now)
    expect(AuthComparison.parse(cmp)).toBeTruthy()
    expect(cmp.dkim).toMatchObject({ recorded: 'pass', same: false })
    expect(cmp.dkim.explanation).toMatch(/modified/)
    expect(cmp.spf).toMatchObject({ recorded: 'fail', now: 'pass', same: false })
    expect(cmp.spf.explanation).toMatch(/changed/)
    expect(cmp.dmarc).toMatchObject({ recorded: 'pass', now: 'pass', same: true })
    expect(cmp.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['auth.fixed-since-delivery:spf', 'auth.changed-since-delivery:dkim'])
    )
  })
  it('never claims "same" when the re-check could not run', async () => {
    const recorded = analyzeRecordedAuth([
      { name: 'Authentication-Results', value: 'mx.x; spf=pass smtp.mailfrom=shop.example' }
    ])
    const now = await verifyAuth({ message, now: NOW })
    const cmp = compareAuth(recorded, now)
    expect(cmp.spf).toMatchObject({ recorded: 'pass', nowState: 'not_checked', same: false })
    expect(cmp.spf.explanation).toMatch(/Cannot compare/)
    expect(cmp.dmarc.recorded).toBeNull()
  })
  it('explains a rotated key', async () => {
    const zone = baseZone()
    delete zone['k1._domainkey.shop.example']
    const recorded = analyzeRecordedAuth([
      { name: 'Authentication-Results', value: 'mx.x; dkim=pass header.d=shop.example' }
    ])
    const now = await verifyAuth({ message, ip: EDGE_IP, client: zoneClient(zone), now: NOW })
    const cmp = compareAuth(recorded, now)
    expect(cmp.dkim.same).toBe(false)
    expect(cmp.dkim.explanation).toMatch(/rotated/)
  })
})
