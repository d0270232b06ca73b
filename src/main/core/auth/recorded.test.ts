import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RecordedAuth } from '../../../shared/schemas/message'
import { analyzeReceived, parseHeaderBlock } from '../headers'
import { analyzeRecordedAuth, decodeCompauthReason, parseAuthResults, parseReceivedSpf } from './index'

const headersFixture = (name: string) =>
  parseHeaderBlock(readFileSync(join(__dirname, '..', 'headers', 'fixtures', `${name}.txt`), 'utf8'))

describe('parseAuthResults (RFC 8601)', () => {
  it('parses a Gmail field with comments, reason-less results and properties', () => {
    const r = parseAuthResults(
      'mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b="AbCd+/12"; spf=pass (google.com: domain of a@example.com designates 198.51.100.7 as permitted sender) smtp.mailfrom=a@example.com; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com'
    )
    expect(r.authservId).toBe('mx.google.com')
    expect(r.results.map((x) => `${x.method}=${x.result}`)).toEqual(['dkim=pass', 'spf=pass', 'dmarc=pass'])
    expect(r.results[0].props).toEqual({
      'header.i': '@example.com',
      'header.s': 's1',
      'header.b': 'AbCd+/12'
    })
    expect(r.results[1].comments[0]).toMatch(/designates 198.51.100.7/)
    expect(r.results[2].comments).toEqual(['p=REJECT sp=REJECT dis=NONE'])
  })
  it('handles Microsoft 365 fields without an authserv-id, with action= and compauth', () => {
    const r = parseAuthResults(
      'spf=fail (sender IP is 198.51.100.9) smtp.mailfrom=bad.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=contoso.com;compauth=fail reason=000'
    )
    expect(r.authservId).toBeUndefined()
    expect(r.results.map((x) => x.method)).toEqual(['spf', 'dkim', 'dmarc', 'compauth'])
    expect(r.results[2].props.action).toBe('quarantine')
    expect(r.results[3]).toMatchObject({ result: 'fail', reason: '000' })
  })
  it('reads ARC-Authentication-Results instances and Yahoo-style "dmarc=pass(p=REJECT)"', () => {
    const r = parseAuthResults(
      'i=2; lists.example.org; dkim=pass header.d=example.com; dmarc=pass(p=REJECT) header.from=example.com; arc=pass (i=1)'
    )
    expect(r.instance).toBe(2)
    expect(r.authservId).toBe('lists.example.org')
    expect(r.results[1]).toMatchObject({ method: 'dmarc', result: 'pass', comments: ['p=REJECT'] })
    expect(r.results[2]).toMatchObject({ method: 'arc', result: 'pass' })
  })
  it('splits results separated only by spaces and accepts "none"', () => {
    expect(
      parseAuthResults('mx.example.net; dkim=pass header.d=a.example dkim=fail header.d=b.example').results
    ).toHaveLength(2)
    expect(parseAuthResults('mx.example.net 1; none').results).toEqual([])
    expect(parseAuthResults('mx.example.net 1; none').authservId).toBe('mx.example.net')
  })
})

describe('parseReceivedSpf (RFC 7208 §9.1)', () => {
  it('reads result, comment and key-value pairs', () => {
    const r = parseReceivedSpf(
      'softfail (mx.example.net: domain of transitioning a@b.example does not designate 198.51.100.3 as permitted sender) client-ip=198.51.100.3; envelope-from="a@b.example"; helo=mail.b.example; receiver=mx.example.net; identity=mailfrom; mechanism="~all"'
    )
    expect(r).toMatchObject({
      result: 'softfail',
      clientIp: '198.51.100.3',
      envelopeFrom: 'a@b.example',
      helo: 'mail.b.example',
      receiver: 'mx.example.net',
      identity: 'mailfrom',
      mechanism: '~all'
    })
    expect(r.comment).toMatch(/transitioning/)
  })
})

describe('decodeCompauthReason', () => {
  it('decodes exact codes before families', () => {
    expect(decodeCompauthReason('000')).toMatchObject({ pattern: '000', verdict: 'fail', documented: true })
    expect(decodeCompauthReason('000').meaning).toMatch(/DMARC/)
    expect(decodeCompauthReason('001').meaning).toMatch(/Implicit/i)
    expect(decodeCompauthReason('010').meaning).toMatch(/accepted domains/)
    expect(decodeCompauthReason('130')).toMatchObject({ pattern: '1xx', verdict: 'pass' })
    expect(decodeCompauthReason('701')).toMatchObject({ pattern: '7xx', verdict: 'pass' })
    expect(decodeCompauthReason('201')).toMatchObject({ pattern: '2xx', verdict: 'softpass' })
    expect(decodeCompauthReason('301')).toMatchObject({ pattern: '3xx', verdict: 'none' })
    expect(decodeCompauthReason('451')).toMatchObject({ pattern: '4xx', verdict: 'none' })
    expect(decodeCompauthReason('905')).toMatchObject({ pattern: '9xx', verdict: 'none' })
    expect(decodeCompauthReason('601')).toMatchObject({ pattern: '6xx', verdict: 'fail' })
    expect(decodeCompauthReason('501')).toMatchObject({ pattern: '5xx', documented: false })
    expect(decodeCompauthReason('abc').documented).toBe(false)
  })
})

describe('analyzeRecordedAuth', () => {
  it('Gmail → M365: trusts the id-less Microsoft field above the edge and Received-SPF from protection.outlook.com', () => {
    const headers = headersFixture('gmail-to-m365')
    const chain = analyzeReceived(headers)
    const rec = analyzeRecordedAuth(headers, { chain })
    expect(RecordedAuth.parse(rec)).toBeTruthy()
    expect(rec.trusted.ambiguous).toBe(false)
    expect(rec.trusted.reason).toMatch(/Microsoft/)
    expect(rec.spf).toMatchObject({ result: 'pass', props: { 'smtp.mailfrom': 'gmail.com' } })
    expect(rec.dkim[0]).toMatchObject({ result: 'pass', props: { 'header.d': 'gmail.com' } })
    expect(rec.dmarc?.result).toBe('pass')
    expect(rec.compauth?.decoded).toMatchObject({ code: '100', pattern: '1xx' })
    expect(rec.receivedSpf[0]).toMatchObject({ result: 'pass', clientIp: '209.85.220.41' })
    expect(rec.findings).toEqual([])
  })

  const forged = [
    {
      name: 'Authentication-Results',
      value:
        'mx.receiver.example; spf=fail smtp.mailfrom=origin-example.com; dkim=pass header.d=esp-mailer.example header.s=k1; dmarc=fail (p=REJECT) header.from=origin-example.com'
    },
    {
      name: 'Authentication-Results',
      value: 'mx.receiver.example; arc=none'
    },
    {
      name: 'Received',
      value:
        'from out.esp-mailer.example (out.esp-mailer.example [198.18.5.5]) by mx.receiver.example (Postfix) with ESMTPS id A1; Mon, 1 Jan 2024 10:00:01 +0000'
    },
    // Written by the sender before the receiving MX: must be ignored (RFC 8601 §5).
    {
      name: 'Authentication-Results',
      value:
        'mx.receiver.example; spf=pass smtp.mailfrom=origin-example.com; dmarc=pass header.from=origin-example.com'
    },
    {
      name: 'Received',
      value: 'from [10.0.0.2] by out.esp-mailer.example with ESMTPSA id Z; Mon, 1 Jan 2024 10:00:00 +0000'
    },
    { name: 'From', value: 'Shop <news@origin-example.com>' }
  ]

  it('ignores Authentication-Results below the edge, merges fields from the same authserv-id, and raises findings', () => {
    const rec = analyzeRecordedAuth(forged, { chain: analyzeReceived(forged) })
    expect(rec.trusted.authservId).toBe('mx.receiver.example')
    expect(rec.trusted.headerIndexes).toEqual([0, 1])
    expect(rec.spf?.result).toBe('fail')
    expect(rec.dmarc?.result).toBe('fail')
    expect(rec.arc?.result).toBe('none')
    const ids = rec.findings.map((f) => f.id)
    expect(ids).toEqual(expect.arrayContaining(['auth.dmarc-fail', 'auth.spf-fail', 'auth.dkim-misaligned']))
    const dmarc = rec.findings.find((f) => f.id === 'auth.dmarc-fail')!
    expect(dmarc.remedy).toBe('dmarc-planner')
    expect(dmarc.detail).toMatch(/REJECT/)
    const ev = dmarc.evidence[0]
    expect(ev.text.slice(ev.start, ev.end)).toBe('dmarc=fail')
    expect(rec.findings.find((f) => f.id === 'auth.spf-fail')?.remedy).toBe('spf-builder')
    expect(rec.findings.find((f) => f.id === 'auth.dkim-misaligned')?.remedy).toBe('dkim-keygen')
  })

  it('without a chain, notes ambiguity for id-less fields', () => {
    const rec = analyzeRecordedAuth([
      { name: 'Authentication-Results', value: 'spf=pass smtp.mailfrom=a.example;compauth=fail reason=001' }
    ])
    expect(rec.trusted.ambiguous).toBe(true)
    const f = rec.findings.find((x) => x.id === 'auth.compauth-fail')
    expect(f?.severity).toBe('error')
    expect(f?.detail).toMatch(/reason=001/)
  })

  it('reports when every field predates the receiving organisation', () => {
    const rec = analyzeRecordedAuth(forged.slice(2), { chain: analyzeReceived(forged.slice(2)) })
    expect(rec.trusted.headerIndexes).toEqual([])
    expect(rec.trusted.ambiguous).toBe(true)
    expect(rec.dmarc).toBeUndefined()
  })
})

describe('trust boundaries: the receiving provider records its own results under its edge (RFC 8601 §5)', () => {
  const block = (name: string) =>
    parseHeaderBlock(readFileSync(join(__dirname, 'fixtures', `${name}.txt`), 'utf8'))
  const analyze = (headers: ReturnType<typeof block>, receivingDomains?: string[]) =>
    analyzeRecordedAuth(headers, { chain: analyzeReceived(headers, { receivingDomains }), receivingDomains })
  const at = (headers: ReturnType<typeof block>, name: string, needle = '') =>
    headers.findIndex((h) => h.name.toLowerCase() === name.toLowerCase() && h.value.includes(needle))

  it('Gmail: trusts "Authentication-Results: mx.google.com" right under "by mx.google.com"', () => {
    const h = block('gmail-inbound')
    const rec = analyze(h)
    expect(RecordedAuth.parse(rec)).toBeTruthy()
    expect(rec.trusted.headerIndexes).toContain(at(h, 'Authentication-Results', 'mx.google.com'))
    expect(rec.trusted.authservId).toBe('mx.google.com')
    expect(rec.trusted.ambiguous).toBe(false)
    expect(rec.trusted.reason).toMatch(/receiving organisation/)
    expect(rec.dmarc).toMatchObject({ result: 'fail', props: { 'header.from': 'shop.example' } })
    expect(rec.spf?.result).toBe('pass')
    // Gmail's Received-SPF has no receiver=; it sits in the same trace block.
    expect(rec.trusted.headerIndexes).toContain(at(h, 'Received-SPF'))
    expect(rec.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['auth.dmarc-fail', 'auth.dkim-misaligned'])
    )
  })

  it('Gmail: the same block is trusted whether the recipient domain is gmail.com or googlemail.com', () => {
    const h = block('gmail-inbound')
    expect(analyze(h, ['googlemail.com']).trusted.authservId).toBe('mx.google.com')
    expect(analyze(h, ['gmail.com']).trusted.ambiguous).toBe(false)
  })

  it('Gmail: a forged "mx.google.com" field the sender placed below its own hop is not trusted', () => {
    const h = block('gmail-inbound')
    const senderHop = at(h, 'Received', 'by out7.esp-mailer.example')
    const forged = {
      name: 'Authentication-Results',
      value:
        'mx.google.com; dkim=pass header.i=@shop.example; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example'
    }
    const withForgery = [...h.slice(0, senderHop + 1), forged, ...h.slice(senderHop + 1)]
    const rec = analyze(withForgery)
    expect(rec.trusted.headerIndexes).not.toContain(senderHop + 1)
    expect(rec.dmarc?.result).toBe('fail')

    // Without Gmail's own fields (Authentication-Results and its ARC copy), the forgery alone is still not trusted.
    const forgeryOnly = withForgery.filter(
      (f, i) => i === senderHop + 1 || !/^(?:arc-)?authentication-results$/i.test(f.name)
    )
    const alone = analyze(forgeryOnly)
    expect(alone.trusted.headerIndexes).not.toContain(senderHop + 1)
    expect(alone.dmarc).toBeUndefined()
    expect(alone.trusted.reason).toMatch(/none is trusted/)
  })

  it('iCloud: trusts every icloud.com field under the me.com edge and merges them', () => {
    const h = block('icloud-inbound')
    const rec = analyze(h)
    expect(rec.trusted.ambiguous).toBe(false)
    expect(rec.trusted.headerIndexes).toEqual(
      expect.arrayContaining([
        at(h, 'Authentication-Results', 'dmarc.icloud.com'),
        at(h, 'Authentication-Results', 'dkim-verifier.icloud.com'),
        at(h, 'Authentication-Results', 'spf.icloud.com')
      ])
    )
    expect(rec.dmarc?.result).toBe('fail')
    expect(rec.spf?.result).toBe('pass')
    expect(rec.dkim[0]).toMatchObject({ result: 'pass', props: { 'header.d': 'esp-mailer.example' } })
    expect(rec.bimi?.result).toBe('none')
  })

  it('Yahoo: an atlas*.yahoo.com field counts as the receiver for a yahoo.fr recipient behind an internal edge', () => {
    const h = block('yahoo-inbound')
    const rec = analyze(h, ['yahoo.fr'])
    expect(rec.trusted.authservId).toBe('atlas-production.v2-mail-prod1-gq1.omega.yahoo.com')
    expect(rec.trusted.ambiguous).toBe(false)
    expect(rec.trusted.reason).toMatch(/receiving organisation/)
    expect(rec.dmarc).toMatchObject({ result: 'fail', comments: ['p=QUARANTINE'] })
  })

  it('Microsoft 365: uses its ARC-Authentication-Results (mx.microsoft.com) when its own field is missing', () => {
    const h = block('m365-inbound-arc')
    const rec = analyze(h, ['contoso.com'])
    expect(rec.trusted.headerIndexes).toContain(at(h, 'ARC-Authentication-Results'))
    expect(rec.trusted.reason).toMatch(/ARC-Authentication-Results/)
    expect(rec.spf?.result).toBe('fail')
    expect(rec.dmarc).toMatchObject({ result: 'fail', props: { action: 'oreject' } })
    expect(rec.findings.map((f) => f.id)).toContain('auth.dmarc-fail')
  })

  it('Microsoft 365: an ARC set sealed by a sending-side Microsoft tenant is not the receiver', () => {
    // Gmail receives mail that a Microsoft 365 tenant sealed before sending: mx.microsoft.com is not Google.
    const h = block('gmail-inbound')
    const senderHop = at(h, 'Received', 'by out7.esp-mailer.example')
    const msArc = {
      name: 'ARC-Authentication-Results',
      value:
        'i=1; mx.microsoft.com 1; spf=pass smtp.mailfrom=shop.example; dmarc=pass header.from=shop.example'
    }
    const headers = [...h.slice(0, senderHop + 1), msArc, ...h.slice(senderHop + 1)].filter(
      (f) => f.name !== 'Authentication-Results'
    )
    const rec = analyze(headers)
    expect(rec.trusted.headerIndexes).not.toContain(senderHop + 1)
    // Gmail's own ARC copy (above its edge) is the one used: its dmarc=fail, not the sealed pass.
    expect(rec.trusted.authservId).toBe('mx.google.com')
    expect(rec.dmarc?.result).toBe('fail')
  })
})
