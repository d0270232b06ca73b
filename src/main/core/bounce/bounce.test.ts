import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BounceResult } from '../../../shared/schemas/bounce'
import { parseMessage } from '../mime'
import {
  analyzeBounceInput,
  classifyReason,
  findReplyCode,
  findStatus,
  parseBounce,
  parseSmtpText
} from './index'

const load = async (n: string): Promise<BounceResult> => {
  const r = parseBounce(await parseMessage(readFileSync(join(__dirname, 'fixtures', n))))
  BounceResult.parse(r)
  return r
}

describe('parseBounce', () => {
  it('Postfix DSN: user unknown, command from the text part, original headers', async () => {
    const r = await load('postfix-userunknown.eml')
    expect(r.isBounce).toBe(true)
    expect(r.format).toBe('Postfix')
    expect(r.reportingMta).toBe('mx.sender.example')
    expect(r.recipients).toHaveLength(1)
    const [x] = r.recipients
    expect(x).toMatchObject({
      recipient: 'bob@rcpt.example',
      status: '5.1.1',
      replyCode: '550',
      reason: 'userunknown',
      action: 'failed',
      remoteMta: 'mx.rcpt.example',
      command: 'RCPT'
    })
    expect(r.original?.headersOnly).toBe(true)
    expect(r.original?.raw).toContain('Subject: quarterly report')
  })
  it('Exim NDR without DSN: DNSBL block', async () => {
    const r = await load('exim-blocked.eml')
    expect(r.format).toBe('Exim')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'carol@rcpt.example',
      status: '5.7.1',
      replyCode: '550',
      reason: 'blocked'
    })
    expect(r.original?.raw).toContain('Subject: hello')
    expect(r.original?.headersOnly).toBe(false)
  })
  it('Office 365 NDR 5.7.515 is an authentication failure', async () => {
    const r = await load('o365-authfailure.eml')
    expect(r.format).toBe('Exchange2007')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'dave@contoso.example',
      status: '5.7.515',
      reason: 'authfailure'
    })
    expect(r.original?.raw).toContain('Subject: invoice')
  })
  it('Gmail text NDR: mailbox full', async () => {
    const r = await load('gmail-mailboxfull.eml')
    expect(r.format).toBe('Gmail')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'erin@rcpt.example',
      status: '5.2.2',
      replyCode: '552',
      reason: 'mailboxfull'
    })
  })
  it('qmail: recipient rejected at RCPT', async () => {
    const r = await load('qmail-userunknown.eml')
    expect(r.format).toBe('qmail')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'frank@rcpt.example',
      status: '5.1.1',
      command: 'RCPT',
      reason: 'userunknown'
    })
  })
  it('RFC 3464 with two recipients and message/rfc822', async () => {
    const r = await load('rfc3464-two-recipients.eml')
    expect(r.recipients.map((x) => x.recipient)).toEqual(['gina@rcpt.example', 'hank@other.example'])
    expect(r.recipients[0]).toMatchObject({
      status: '5.2.2',
      replyCode: '552',
      reason: 'mailboxfull',
      lastAttemptDate: 'Mon, 3 Mar 2025 10:00:05 +0100'
    })
    expect(r.recipients[1]).toMatchObject({
      action: 'delayed',
      status: '4.4.1',
      replyCode: '451',
      reason: 'expired'
    })
    expect(r.original?.headersOnly).toBe(false)
    expect(r.original?.raw).toContain('Message-ID: <m1@sender.example>')
  })
  it('ARF feedback report', async () => {
    const r = await load('arf-abuse.eml')
    expect(r.format).toBe('ARF')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'ivan@provider.example',
      reason: 'feedback',
      feedbackType: 'abuse'
    })
  })
  it('an ordinary message is not a bounce', async () => {
    const m = await parseMessage(
      'From: a@b.example\nTo: c@d.example\nSubject: lunch\n\nsee you at <c@d.example>: 12:00\n'
    )
    expect(parseBounce(m)).toEqual({ isBounce: false, kind: 'none', format: 'none', recipients: [] })
  })
})

describe('pasted SMTP line', () => {
  it('S3150 Outlook block list line', () => {
    const r = parseSmtpText(
      "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."
    )
    expect(r.recipients).toHaveLength(1)
    expect(r.recipients[0]).toMatchObject({ status: '5.7.1', replyCode: '550', reason: 'blocked' })
  })
  it('via analyzeBounceInput', async () => {
    const [r] = await analyzeBounceInput('452 4.2.2 <x@y.example>: mailbox full')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'x@y.example',
      status: '4.2.2',
      replyCode: '452',
      reason: 'mailboxfull'
    })
  })
})

describe('codes and reasons', () => {
  it('extracts status and reply codes', () => {
    expect(findStatus('550 5.1.1 <a@b>: user unknown')).toBe('5.1.1')
    expect(findStatus('host 192.0.2.5 said 5.0.0 then 5.7.1 blocked')).toBe('5.7.1')
    expect(findReplyCode('host 5.5.0.1 said: 554 denied')).toBe('554')
  })
  it('classifies from text when the status is vague', () => {
    expect(
      classifyReason({
        status: '5.0.0',
        replyCode: '550',
        diagnosticCode: '550 Relay access denied',
        diagnosticType: 'SMTP'
      })
    ).toBe('norelaying')
    expect(
      classifyReason({
        status: '5.7.1',
        diagnosticCode:
          '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
        diagnosticType: 'SMTP',
        command: 'RCPT'
      })
    ).toBe('blocked')
    expect(
      classifyReason({
        status: '5.2.1',
        diagnosticCode: '550 5.2.1 <a@b>... User Unknown',
        command: 'RCPT',
        diagnosticType: 'SMTP'
      })
    ).toBe('userunknown')
    expect(classifyReason({ status: '2.1.5' })).toBe('delivered')
  })
})

describe('fuzz', () => {
  it('parseBounce / parseSmtpText never throw and are fast', async () => {
    const piece = fc.constantFrom(
      'From: MAILER-DAEMON@x.example\n',
      'Subject: Undelivered Mail\n',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n',
      '\n',
      '--b\n',
      'Content-Type: message/delivery-status\n',
      'Final-Recipient: rfc822; a@b.example\n',
      'Status: 5.1.1\n',
      'Action: failed\n',
      'Diagnostic-Code: smtp; 550 5.1.1 no\n',
      '<a@b.example>: host x said: 550\n',
      '    (in reply to RCPT TO command)\n',
      '--b--\n',
      '5.7.',
      '550 ',
      '\xff'
    )
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(piece, { maxLength: 50 }).map((a) => a.join('')),
          fc.string({ maxLength: 1500 })
        ),
        async (s) => {
          const r = parseBounce(await parseMessage(s))
          expect(() => BounceResult.parse(r)).not.toThrow()
          BounceResult.parse(parseSmtpText(s))
        }
      ),
      // fast-check's per-run timeout instead of a wall-clock assertion (speed is measured in bench:analyze)
      { numRuns: 200, timeout: 1000 }
    )
  })
})
