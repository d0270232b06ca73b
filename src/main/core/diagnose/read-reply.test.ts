import { describe, expect, it } from 'vitest'
import { analyzeSmtpText } from './analyze-message'
import { readReply } from './read-reply'

describe('reading a reply from its own words', () => {
  it('TLS: the receiver requiring it is not the remote lacking it', () => {
    expect(readReply('530 5.7.0 Must issue a STARTTLS command first')?.cause).toBe('tls-required')
    expect(
      readReply('TLS is required, but was not offered by host mx.partner.example[203.0.113.9]')?.cause
    ).toBe('tls-unavailable')
    expect(readReply('451 4.7.5 the remote server does not support STARTTLS')?.cause).toBe('tls-unavailable')
  })

  it('a quota or a rate limit is volume, not reputation', () => {
    for (const t of [
      '550 5.7.1 Daily relay quota exceeded for user',
      '452 4.5.3 Too many recipients',
      '421 4.7.0 Rate limited, try again later',
      '550 5.4.5 Daily user sending quota exceeded'
    ])
      expect(readReply(t)?.cause, t).toBe('rate-limit')
  })

  it("Postfix restrictions name the party: client, HELO, sender or the receiver's own user", () => {
    expect(
      readReply('554 5.7.1 <bob@partner.example>: Recipient address rejected: Access denied')
    ).toMatchObject({
      subject: 'recipient',
      cause: 'recipient-policy',
      because: 'Access denied'
    })
    expect(readReply('450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]')).toMatchObject(
      {
        subject: 'client',
        cause: 'reverse-dns'
      }
    )
    expect(
      readReply('504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname')
    ).toMatchObject({ subject: 'helo', cause: 'reverse-dns' })
    expect(readReply('250 OK')).toBeUndefined()
  })
})

describe('the verdict on undocumented replies', () => {
  it('a remote without TLS gets the remote-side remedy, never "enable STARTTLS on your server"', async () => {
    const v = (
      await analyzeSmtpText('x', '451 4.7.5 TLS is required, but was not offered by host mx.partner.example')
    ).verdict!
    expect(v.cause).toBe('tls-unavailable')
    expect(v.nextSteps.map((s) => s.remedy)).not.toContain('enable-tls')
  })

  it('a daily relay quota is a rate limit with no delisting advice', async () => {
    const v = (await analyzeSmtpText('x', '550 5.7.1 Daily relay quota exceeded for user')).verdict!
    expect(v.cause).toBe('rate-limit')
    expect(v.nextSteps.map((s) => s.remedy)).not.toContain('delist')
    expect(v.secondary.map((s) => s.cause)).not.toContain('reputation')
  })

  it('an explanation built from the words is marked generic, capped, and says so', async () => {
    const v = (await analyzeSmtpText('x', '550 5.7.1 Client host rejected: go away, we do not like you'))
      .verdict!
    expect(v.generic).toBe(true)
    expect(v.confidence).toBeLessThanOrEqual(0.55)
    expect(v.summary).toMatch(/No documented provider text/)
    expect(v.summary).toContain('go away, we do not like you')
  })

  it('a Postfix-style 5.7.1 from a small provider names no big provider: only its host or its own text could', async () => {
    const a = await analyzeSmtpText(
      'x',
      '<bob@small.example>: host mx.small.example[203.0.113.7] said: 554 5.7.1 <bob@small.example>:\n    Recipient address rejected: Access denied (in reply to RCPT TO command)'
    )
    const v = a.verdict!
    const named = [v.title, v.summary, ...v.secondary.map((s) => s.provider ?? '')].join(' ')
    expect(named).not.toMatch(/Microsoft|Office 365|Outlook|Gmail|Yahoo/)
    expect(v.cause).toBe('recipient-policy')
    expect(a.parties?.receiver.host?.value).toBe('mx.small.example')
  })
})
