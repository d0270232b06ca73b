import { describe, expect, it } from 'vitest'
import { AuthCheck } from '../../../shared/schemas/message'
import { Verdict } from '../../../shared/schemas/verdict'
import { parseHeaderBlock } from '../headers'
import { analyzeRecordedAuth } from '../auth'
import { decodeAntispam } from '../antispam'
import { analyzeSmtpText } from './analyze-message'
import { computeVerdict, ipInText } from './verdict'

/**
 * One realistic rejection per cause, as providers send them (texts follow the providers' published NDR docs).
 * Each goes through the full SMTP-text pipeline: parseSmtpText → KB + blocklist + status + reason → verdict.
 */
const CASES: { name: string; text: string; cause: string; span?: string; remedy: string; url?: RegExp }[] = [
  {
    name: 'Outlook.com S3150 (network on block list)',
    text: "550 5.7.1 Unfortunately, messages from [198.51.100.44] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [BN8NAM12FT033.eop-nam12.prod.protection.outlook.com]",
    cause: 'blocklist',
    span: 'part of their network is on our block list',
    remedy: 'delist',
    url: /olcsupport\.office\.com/
  },
  {
    name: 'Microsoft 365 5.7.606 banned sending IP',
    text: '550 5.7.606 Access denied, banned sending IP [198.51.100.44]. To request removal from this list please visit https://sender.office.com/ and follow the directions.',
    cause: 'blocklist',
    remedy: 'delist',
    url: /sender\.office\.com/
  },
  {
    name: 'Gmail 5.7.26 DMARC',
    text: "550-5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy. Please contact the administrator of shop.example domain if this was a legitimate mail. To learn about the DMARC initiative, go to https://support.google.com/mail/?p=DmarcRejection d2e1a72fcca58-7a1c2e5f4b1si123456b3a.310 - gsmtp",
    cause: 'authentication',
    span: "Unauthenticated email from shop.example is not accepted due to domain's DMARC policy",
    remedy: 'dmarc-planner'
  },
  {
    name: 'Yahoo TSS04 (temporary deferral for reputation)',
    text: '421 4.7.0 [TSS04] Messages from 198.51.100.44 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    cause: 'reputation',
    span: '[TSS04]',
    remedy: 'delist'
  },
  {
    name: 'Postfix relay access denied',
    text: '554 5.7.1 <bob@example.net>: Relay access denied',
    cause: 'relay-denied',
    span: 'Relay access denied',
    remedy: 'relay-fix'
  },
  {
    name: 'Spamhaus ZEN via Postfix',
    text: '554 5.7.1 Service unavailable; Client host [198.51.100.44] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.44',
    cause: 'blocklist',
    span: 'blocked using zen.spamhaus.org',
    remedy: 'delist'
  },
  {
    name: 'Gmail 5.7.25 missing PTR',
    text: '550-5.7.25 [198.51.100.44] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. - gsmtp',
    cause: 'reverse-dns',
    remedy: 'rdns-request'
  },
  {
    name: 'Gmail mailbox full',
    text: '552-5.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp',
    cause: 'mailbox',
    span: 'The email account that you tried to reach is over quota',
    remedy: 'check-recipient'
  },
  {
    name: 'Postfix user unknown',
    text: '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    cause: 'recipient-unknown',
    remedy: 'check-recipient'
  }
]

describe('verdict over real rejection texts', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.cause}`, async () => {
      const a = await analyzeSmtpText('pasted', c.text)
      expect(['smtp-text', 'bounce']).toContain(a.kind)
      const v = a.verdict!
      expect(Verdict.parse(v)).toBeTruthy()
      expect(v.cause).toBe(c.cause)
      expect(v.confidence).toBeGreaterThan(0.5)
      expect(v.confidence).toBeLessThanOrEqual(0.99)
      expect(v.summary.length).toBeGreaterThan(40)
      expect(v.nextSteps.map((s) => s.remedy)).toContain(c.remedy)
      // Every span must point at the text it claims inside a quoted source.
      for (const e of v.evidence) {
        if (e.start === undefined) continue
        const q = v.quotes.find((x) => x.source === e.source)
        expect(q, e.source).toBeTruthy()
        expect(q!.text.slice(e.start, e.end)).toBe(e.text)
      }
      if (c.span) expect(v.evidence.map((e) => e.text)).toContain(c.span)
      if (c.url) expect(v.delistUrl).toMatch(c.url)
    })
  }

  it('names the list and the IP for a DNSBL rejection', async () => {
    const v = (await analyzeSmtpText('x', CASES[5].text)).verdict!
    expect(v.listedOn).toContainEqual(
      expect.objectContaining({ list: 'spamhaus-zen', target: '198.51.100.44' })
    )
    expect(v.ip).toBe('198.51.100.44')
  })

  it('an unexplained rejection gets low confidence, never a confident guess, and still quotes the reply', async () => {
    const v = (await analyzeSmtpText('x', '550 5.7.1 Go away (rule 17)')).verdict!
    expect(v.confidence).toBeLessThan(0.5)
    expect(v.quotes.map((q) => q.text).join()).toContain('rule 17')
    const o = (await analyzeSmtpText('x', '554 5.0.0 Transaction failed (rule 17)')).verdict!
    expect(o.cause).toBe('other')
    expect(o.confidence).toBeLessThan(0.5)
    expect(o.evidence[0].text).toContain('rule 17')
  })

  it('a generic "blocked" reason does not add a phantom secondary cause next to a KB explanation', async () => {
    const v = (await analyzeSmtpText('x', CASES[5].text)).verdict!
    expect(v.secondary.map((s) => s.cause)).not.toContain('reputation')
  })
})

describe('combining signals', () => {
  const headers = parseHeaderBlock(
    [
      'Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=shop.example; dkim=none; dmarc=fail (p=reject) header.from=shop.example',
      'X-Spam-Status: Yes, score=9.1 required=5.0 tests=RDNS_NONE,URIBL_BLACK autolearn=no version=3.4.6',
      'Received: from out.shop.example (out.shop.example [198.51.100.44]) by mx.receiver.example (Postfix) with ESMTP id A1; Sat, 1 Jun 2024 11:59:58 +0000',
      'From: news@shop.example',
      'To: u@receiver.example',
      'Subject: hi'
    ].join('\r\n')
  )
  const recorded = analyzeRecordedAuth(headers, { receivingDomains: ['receiver.example'] })

  it('a DNSBL rejection with a recorded dmarc=fail: blocklist first, authentication secondary with its span', () => {
    const text = '554 5.7.1 Service unavailable; Client host [198.51.100.44] blocked using zen.spamhaus.org'
    const v = computeVerdict({
      recipients: [
        {
          recipient: 'u@receiver.example',
          status: '5.7.1',
          replyCode: '554',
          diagnosticCode: text,
          reason: 'blocked'
        }
      ],
      auth: [{ prefix: 'original:', headers, recorded }],
      antispam: [{ prefix: 'original:', report: decodeAntispam(headers) }]
    })!
    expect(v.cause).toBe('blocklist')
    const auth = v.secondary.find((s) => s.cause === 'authentication')!
    expect(auth).toBeTruthy()
    const span = auth.evidence.find((e) => e.text === 'dmarc=fail')!
    expect(span.source).toBe('original:Authentication-Results#0')
    expect(v.quotes.find((q) => q.source === span.source)!.text.slice(span.start, span.end)).toBe(
      'dmarc=fail'
    )
    expect(v.secondary.map((s) => s.cause)).toContain('content-spam')
    expect(v.nextSteps.map((s) => s.remedy)).toEqual(
      expect.arrayContaining(['delist', 'spf-builder', 'dmarc-planner'])
    )
  })

  it('corroborating signals raise confidence (noisy-OR), but it stays below 1', () => {
    const text =
      '550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass).'
    const alone = computeVerdict({
      recipients: [
        { recipient: 'u@x.example', status: '5.7.26', diagnosticCode: text, reason: 'authfailure' }
      ],
      auth: [],
      antispam: []
    })!
    const both = computeVerdict({
      recipients: [
        { recipient: 'u@x.example', status: '5.7.26', diagnosticCode: text, reason: 'authfailure' }
      ],
      auth: [{ prefix: '', headers, recorded }],
      antispam: []
    })!
    expect(alone.cause).toBe('authentication')
    expect(both.confidence).toBeGreaterThan(alone.confidence)
    expect(both.confidence).toBeLessThan(1)
  })

  it('a plain message with failing auth gets a modest verdict; a clean one gets none', () => {
    const v = computeVerdict({ recipients: [], auth: [{ prefix: '', headers, recorded }], antispam: [] })!
    expect(v.cause).toBe('authentication')
    expect(v.confidence).toBeLessThanOrEqual(0.5)
    expect(v.summary).toMatch(/^No rejection/)
    expect(computeVerdict({ recipients: [], auth: [], antispam: [] })).toBeUndefined()
  })

  it('not_checked / could_not_check re-verification results are never evidence', () => {
    const now = AuthCheck.parse({
      checkedAt: '2025-01-01T00:00:00Z',
      dnsAvailable: false,
      headersOnly: true,
      dkim: [],
      spf: { state: 'not_checked', result: 'none' },
      dmarc: {
        state: 'could_not_check',
        result: 'temperror',
        alignment: { spf: null, dkim: null, spfStrict: false, dkimStrict: false }
      },
      arc: { state: 'not_checked', cv: 'none', instances: 0 },
      bimi: { state: 'not_checked', result: 'none' },
      findings: []
    })
    expect(
      computeVerdict({ recipients: [], auth: [{ prefix: '', headers: [], now }], antispam: [] })
    ).toBeUndefined()
    expect(
      ipInText(
        'host mx.example.com [192.0.2.222] SMTP error from remote mail server after initial connection: 554 5.7.1 [C14] Missing reverse DNS for 203.0.113.2'
      )
    ).toBe('203.0.113.2')
  })
})

describe('ipInText', () => {
  it('prefers the bracketed address and ignores version-like codes', () => {
    expect(ipInText('421 4.7.0 [TSS04] Messages from 198.51.100.44 deferred - 4.16.55.1')).toBe(
      '198.51.100.44'
    )
    expect(ipInText('Client host [203.0.113.25] blocked')).toBe('203.0.113.25')
    expect(
      ipInText('host mx.rcpt.example[198.51.100.7] said: 554 5.7.1 Client host [203.0.113.25] blocked')
    ).toBe('203.0.113.25')
    expect(ipInText('see 4.16.55.1 only')).toBeUndefined()
    expect(ipInText('from [IPv6:2001:db8::25] rejected')).toBe('2001:db8::25')
    expect(ipInText('rejected because 192.0.2.1 is in a black list at dnsbl.sorbs.net')).toBe('192.0.2.1')
  })

  it('skips the answering server that the reporting MTA quotes, even with a space before the bracket', () => {
    expect(
      ipInText(
        'mail-inbound.example.net [192.0.2.25] did not like our RCPT TO: 550 5.7.26 Multiple authentication checks failed'
      )
    ).toBeUndefined()
    expect(
      ipInText('mx.example.net [198.51.100.7] said: 550 5.7.1 messages from [203.0.113.9] refused')
    ).toBe('203.0.113.9')
  })
})
