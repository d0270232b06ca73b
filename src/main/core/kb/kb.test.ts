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

describe('French texts (issue 10 item 1)', () => {
  it('every entry has a French title, explanation and fix', () => {
    for (const e of entries) {
      expect(e.fr, `${e.id} has no fr`).toBeDefined()
      for (const k of ['title', 'explanation', 'fix'] as const) {
        expect(e.fr![k].trim().length, `${e.id}: fr.${k} is empty`).toBeGreaterThan(0)
        // A copy of the English text is not a translation.
        expect(e.fr![k], `${e.id}: fr.${k} is the English text`).not.toBe(e[k])
      }
    }
  })

  it('uses the French vocabulary of mail administrators, not anglicisms', () => {
    const fr = entries.map((e) => `${e.fr!.title} ${e.fr!.explanation} ${e.fr!.fix}`).join('\n')
    expect(fr).toMatch(/liste de blocage/)
    expect(fr).toMatch(/délistage/)
    expect(fr).toMatch(/enregistrement SPF/)
    // Product names (Yahoo "Sender Hub") stay as they are; generic English terms do not.
    expect(fr.replace(/Sender Hub/g, '')).not.toMatch(/\b(?:blacklist|delisting|mailbox|sender)\b/i)
  })
})

describe('TLS direction: who requires what (RFC 3207)', () => {
  const receiverRequires = [
    '530 5.7.0 Must issue a STARTTLS command first. x12si123456wrb.12 - gsmtp',
    '421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp',
    "421-4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection. Gmail requires all bulk email senders to use TLS/SSL for SMTP connections. - gsmtp"
  ]
  const remoteLacks = [
    'TLS is required, but was not offered by host mx.partner.example[203.0.113.50]',
    'delivery temporarily suspended: TLS is required, but host mx.partner.example[203.0.113.50] refused to start TLS: 454 4.7.0 TLS not available',
    'a TLS session is required, but the server did not offer TLS support',
    '451 4.4.0 Server does not support STARTTLS',
    'Our policy says we must use TLS but the remote server does not offer it',
    '550 5.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail.'
  ]

  it.each(receiverRequires)('receiver requires TLS: %s', (text) => {
    const ms = matchRejection(text)
    expect(ms[0].entry.cause).toBe('tls-required')
    expect(ms[0].entry.fix).toMatch(/sending server/i)
    expect(ms.some((m) => m.entry.cause === 'tls-unavailable')).toBe(false)
  })

  it.each(remoteLacks)('remote side lacks TLS: %s', (text) => {
    const ms = matchRejection(text)
    expect(ms[0].entry.cause).toBe('tls-unavailable')
    // The remedy must not be "enable STARTTLS on your (sending) server": that is the opposite case.
    expect(ms[0].entry.fix).not.toMatch(
      /enable (?:opportunistic or mandatory )?(?:STARTTLS|TLS) on the sending server/i
    )
    expect(ms[0].entry.fix).toMatch(/receiving server|recipient domain's administrator/i)
    expect(ms.some((m) => m.entry.cause === 'tls-required')).toBe(false)
  })
})

describe('rate limits and quotas are not reputation', () => {
  const causes = (text: string) => matchRejection(text).map((m) => m.entry.cause)

  it.each([
    '550 5.7.1 Daily relay quota exceeded for user@example.com',
    '451 4.7.1 <user@example.com>: Sender address rejected: relay quota exceeded',
    '550 5.4.5 Daily user sending quota exceeded. a1-20020a05600c000000b00400000000000si1234567wmb.12 - gsmtp',
    '550 5.4.5 Daily SMTP relay limit exceeded for user. - gsmtp',
    '421-4.7.28 [203.0.113.42] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421 4.7.28 rate limited. - gsmtp',
    '421 4.7.0 Too many messages from your IP, try again later',
    '421 4.7.0 Too many connections from 198.51.100.9',
    '450 4.7.1 Recipient rate limit exceeded, try again later',
    '421 mwinf5c10 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR004_104 [104]'
  ])('%s → rate-limit, never reputation, blocklist or mailbox', (text) => {
    const ms = matchRejection(text)
    expect(ms[0]?.entry.cause).toBe('rate-limit')
    expect(causes(text)).not.toContain('reputation')
    expect(causes(text)).not.toContain('blocklist')
    expect(causes(text)).not.toContain('mailbox')
    // No delisting advice for a quota.
    expect(ms[0].entry.delistUrl).toBeUndefined()
    expect(ms[0].entry.fix).not.toMatch(/request (?:the )?(?:removal|delisting)|delist portal|removal form/i)
  })

  it("keeps the recipient's full mailbox as mailbox", () => {
    expect(top('452 4.2.2 The email account that you tried to reach is over quota. - gsmtp')).toBe(
      'gmail.over-quota'
    )
    expect(matchRejection('452 4.2.2 <bob@example.org>: user is over quota')[0].entry.cause).toBe('mailbox')
    expect(causes('452 4.2.2 <bob@example.org>: user is over quota')).not.toContain('rate-limit')
  })

  it('keeps Yahoo TSS04 (volume or complaints) and Gmail 5.7.28 (blocked) as reputation', () => {
    expect(
      matchRejection(
        '421 4.7.0 [TSS04] Messages from 203.0.113.61 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'
      )[0].entry.cause
    ).toBe('reputation')
    expect(
      top(
        '550-5.7.28 [203.0.113.40] Our system has detected an unusual rate of 550-5.7.28 unsolicited mail originating from your IP address. To protect our 550-5.7.28 users from spam, mail sent from your IP address has been blocked. - gsmtp'
      )
    ).toBe('gmail.unusual-rate-5.7.28')
  })
})

describe('provider attribution comes from the provider text only', () => {
  const generic = new Set(['Any MTA', 'Generic', 'Postfix', 'Exim', 'Your sending MTA (its own message)'])

  it.each([
    '554 5.7.1 <info@small-isp.example>: Recipient address rejected: Access denied',
    '550 5.7.1 Message rejected',
    '550 5.7.1 Service unavailable',
    '554 5.7.1 Rejected by policy',
    '550 Daily sending quota exceeded',
    '451 Account service is temporarily unavailable',
    '450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.5]'
  ])('names no provider for a generic text: %s', (text) => {
    for (const m of matchRejection(text))
      expect(generic, `${m.entry.id} (${m.entry.provider})`).toContain(m.entry.provider)
  })

  it('still names Microsoft 365 for its own Directory-Based Edge Blocking text', () => {
    expect(
      top(
        '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM4PEPF00025F98.EURPRD83.prod.outlook.com]'
      )
    ).toBe('microsoft.dbeb-recipient-access-denied')
  })

  it('every entry cites a provider or standards page', () => {
    for (const e of entries) expect(e.reference, e.id).toMatch(/^https?:\/\//)
  })
})
