import { describe, expect, it } from 'vitest'
import { parseDeliveryStatus } from './dsn'
import { lhostReason } from './lhost-tables'

describe('qmail wording (go-sisimai lhost/via-qmail.go)', () => {
  const q = (diag: string, command = ''): string | undefined =>
    lhostReason({ format: 'qmail', diag, command })
  it('a refused HELO is blocked, even when the message later expired', () => {
    expect(
      q(
        "Connected to 192.0.2.9 but my name was rejected. I'm not going to try again; this message has been in the queue too long.",
        'EHLO'
      )
    ).toBe('blocked')
  })
  it('specific wording beats the queue-lifetime sentence', () => {
    expect(
      q(
        "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long."
      )
    ).toBe('networkerror')
    expect(q('Unable to contact LDAP server. (#4.4.3)')).toBe('systemerror')
    expect(q("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)")).toBe('notaccept')
    expect(q("I'm not going to try again; this message has been in the queue too long.")).toBe('expired')
  })
  it('a recipient refusal that expired is left to the generic tables; other formats are untouched', () => {
    expect(
      q(
        "192.0.2.1 does not like recipient. Remote host said: 550 no such user. I'm not going to try again; this message has been in the queue too long."
      )
    ).toBeUndefined()
    expect(
      lhostReason({ format: 'Postfix', diag: 'Unable to contact LDAP server', command: '' })
    ).toBeUndefined()
  })
})

describe('DSN status comment', () => {
  it('keeps the RFC 3463 wording written after the status code', () => {
    const r = parseDeliveryStatus(
      'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.2.1 (mailbox disabled, not accepting messages)\n'
    )
    expect(r.recipients[0]).toMatchObject({
      status: '5.2.1',
      statusComment: 'mailbox disabled, not accepting messages'
    })
  })
})

describe('Courier and OpenSMTPD wording (go-sisimai lhost/via-courier.go, via-opensmtpd.go)', () => {
  it('Courier "No such domain." is hostunknown', () => {
    expect(lhostReason({ format: 'Courier', diag: 'No such domain.', command: '' })).toBe('hostunknown')
    expect(lhostReason({ format: 'Courier', diag: 'DNS lookup failed.', command: '' })).toBe('networkerror')
    expect(lhostReason({ format: 'Courier', diag: 'User unknown', command: '' })).toBeUndefined()
  })
  it('OpenSMTPD "No MX found for domain" is notaccept, "Envelope expired" expired', () => {
    const o = (diag: string): string | undefined => lhostReason({ format: 'OpenSMTPD', diag, command: '' })
    expect(o('No MX found for domain')).toBe('notaccept')
    expect(o('Envelope expired')).toBe('expired')
    expect(o('Temporary failure in MX lookup')).toBe('networkerror')
    expect(lhostReason({ format: 'Postfix', diag: 'No MX found for domain', command: '' })).toBeUndefined()
  })
})

describe('Gmail relay "(state N)" (go-sisimai lhost/via-gmail.go)', () => {
  const g = (diag: string): string | undefined => lhostReason({ format: 'Gmail', diag, command: '' })
  it('maps the state number when the status code is vague', () => {
    expect(g('The error that the other server returned was: 554 554 5.7.0 Header error (state 18).')).toBe(
      'filtered'
    )
    expect(
      g('The error that the other server returned was: 500 Remote server does not support TLS (state 6).')
    ).toBe('failedstarttls')
  })
  it('lets a specific status code overrule the state table', () => {
    expect(g('returned was: 550 550 5.2.2 <bob@rcpt.example>... Mailbox Full (state 14).')).toBe(
      'mailboxfull'
    )
  })
  it('falls back to the DNS wording, else nothing', () => {
    expect(g('DNS Error: Domain name not found')).toBe('hostunknown')
    expect(g('550 5.1.1 user unknown')).toBeUndefined()
  })
})
