import { describe, expect, it } from 'vitest'
import data from '../../../../resources/rejections.json'
import { RejectionCause, RejectionMatch } from '../../../shared/schemas/kb'
import { extractCodes, getRejectionEntries, matchRejection } from './index'

const entries = getRejectionEntries()
const top = (text: string, opts = {}) => matchRejection(text, opts)[0]?.entry.id

describe('rejection knowledge base data', () => {
  it('validates, has unique ids and compiles every pattern', () => {
    expect(entries.length).toBe((data as { entries: unknown[] }).entries.length)
    expect(entries.length).toBeGreaterThanOrEqual(60)
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length)
    for (const e of entries)
      for (const p of e.patterns) expect(() => new RegExp(p, 'i'), `${e.id}: ${p}`).not.toThrow()
  })

  it('uses only the agreed cause categories', () => {
    for (const e of entries) expect(RejectionCause.options).toContain(e.cause)
  })

  it.each(entries.map((e) => [e.id, e] as const))('%s: every example matches the entry', (_id, e) => {
    for (const sample of e.examples) {
      const matches = matchRejection(sample)
      const hit = matches.find((m) => m.entry.id === e.id)
      expect(hit, `${e.id} should match: ${sample}`).toBeDefined()
      RejectionMatch.parse(hit)
      expect(sample.slice(hit!.start, hit!.end)).toBe(hit!.matchedText)
      expect(hit!.matchedText.length).toBeGreaterThan(0)
    }
  })
})

describe('matchRejection ranking and spans', () => {
  it('prefers the specific provider entry over generic ones', () => {
    expect(
      top(
        '554 5.7.1 Service unavailable; Client host [198.51.100.77] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.77'
      )
    ).toBe('spamhaus.zen')
    expect(top('550 rejected because 203.0.113.45 is in a black list at zen.spamhaus.org')).toMatch(
      /^(exim\.dnsbl|spamhaus\.zen)$/
    )
    expect(
      top(
        "550 5.7.1 Unfortunately, messages from [198.51.100.44] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."
      )
    ).toBe('microsoft.olc-s3150')
    expect(
      top(
        '550 5.7.606 Access denied, banned sending IP [203.0.113.25]. To request removal from this list please visit https://sender.office.com/'
      )
    ).toBe('microsoft.banned-sending-ip')
  })

  it('reports the exact matched span', () => {
    const text =
      'host mx.example.org[192.0.2.1] said: 554 5.7.1 <x@example.net>: Relay access denied (in reply to RCPT TO command)'
    const m = matchRejection(text)[0]
    expect(m.entry.id).toBe('postfix.relay-access-denied')
    expect(m.entry.cause).toBe('relay-denied')
    expect(text.slice(m.start, m.end)).toBe('Relay access denied')
    expect(m.start).toBe(text.indexOf('Relay access denied'))
  })

  it('drops entries whose status constraint contradicts the code', () => {
    const s3150 = 'part of their network is on our block list (S3150)'
    expect(matchRejection(s3150, { status: '5.7.1' }).some((m) => m.entry.id === 'microsoft.olc-s3150')).toBe(
      true
    )
    expect(matchRejection(s3150, { status: '4.4.7' }).some((m) => m.entry.id === 'microsoft.olc-s3150')).toBe(
      false
    )
  })

  it('finds the codes in the text', () => {
    expect(extractCodes('550-5.7.26 Unauthenticated email from example.com')).toEqual({
      status: '5.7.26',
      replyCode: 550
    })
    expect(extractCodes('#550 5.4.1 Recipient address rejected: Access denied ##')).toEqual({
      status: '5.4.1',
      replyCode: 550
    })
    expect(extractCodes('no codes here')).toEqual({ status: undefined, replyCode: undefined })
  })

  it('returns nothing for unrelated text', () => {
    expect(matchRejection('250 2.0.0 OK queued as 4Xyz')).toEqual([])
  })

  it('classifies the Gmail family correctly', () => {
    expect(
      matchRejection(
        '550-5.7.25 [192.0.2.87] The IP address sending this message does not have a PTR record setup'
      )[0].entry.cause
    ).toBe('reverse-dns')
    expect(
      matchRejection(
        '550-5.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.'
      )[0].entry.cause
    ).toBe('reputation')
    expect(
      matchRejection(
        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy."
      )[0].entry.cause
    ).toBe('authentication')
  })
})

describe('multi-line replies', () => {
  it('matches phrases split by continuation prefixes and maps the span back', () => {
    const text =
      "550-5.7.1 [192.0.2.200] The IP you're using to send mail is not authorized to\n550-5.7.1 send email directly to our servers. Please use the SMTP relay at your\n550 5.7.1 service provider instead. - gsmtp"
    const m = matchRejection(text).find((x) => x.entry.id === 'gmail.not-authorized-direct')!
    expect(m).toBeDefined()
    expect(m.matchedText).toBe('not authorized to\n550-5.7.1 send email directly to our servers')
    expect(text.slice(m.start, m.end)).toBe(m.matchedText)
  })
})
