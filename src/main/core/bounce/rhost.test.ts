import { describe, expect, it } from 'vitest'
import { parseMessage } from '../mime'
import { parseBounce } from './parse-bounce'
import { rhostClass, rhostReason, type RhostInput } from './rhost'

const base: RhostInput = {
  diag: '',
  status: '5.0.0',
  reply: '550',
  command: '',
  recipient: 'someone@rcpt.example',
  remoteMta: '',
  reportingMta: ''
}
const ask = (v: Partial<RhostInput>): string | undefined => rhostReason({ ...base, ...v })

describe('rhost class selection (recipient domain, then remote MTA, then reporting MTA)', () => {
  it('matches the recipient domain against the end of a host key', () => {
    expect(rhostClass({ recipient: 'a@facebook.com', remoteMta: '', reportingMta: '' })?.name).toBe(
      'Facebook'
    )
    expect(rhostClass({ recipient: 'a@cox.net', remoteMta: '', reportingMta: '' })?.name).toBe('Cox')
  })
  it('falls back to the remote MTA, then the reporting MTA', () => {
    expect(rhostClass({ recipient: 'a@x.example', remoteMta: 'mx3.qq.com', reportingMta: '' })?.name).toBe(
      'Tencent'
    )
    expect(
      rhostClass({ recipient: 'a@x.example', remoteMta: '', reportingMta: 'AB12.namprd22.prod.outlook.com' })
        ?.name
    ).toBe('Microsoft')
    expect(
      rhostClass({ recipient: 'a@x.example', remoteMta: 'mx.x.example', reportingMta: '' })
    ).toBeUndefined()
  })
})

describe('provider tables', () => {
  it('Microsoft: status and wording must both match; ranges like 5.7.606-649', () => {
    const ms = { reportingMta: 'x.prod.outlook.com' }
    expect(
      ask({
        ...ms,
        status: '5.1.10',
        diag: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
      })
    ).toBe('userunknown')
    expect(
      ask({ ...ms, status: '5.7.610', diag: '550 5.7.610 Access denied, banned sending IP [192.0.2.1]' })
    ).toBe('blocked')
    expect(
      ask({ ...ms, status: '5.7.650', diag: '550 5.7.650 Access denied, banned sending IP [192.0.2.1]' })
    ).toBeUndefined()
    expect(
      ask({
        ...ms,
        status: '4.7.650',
        reply: '451',
        diag: '451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation.'
      })
    ).toBe('badreputation')
  })
  it('Cox: AUP# label first, then wording', () => {
    expect(ask({ recipient: 'a@cox.net', diag: '550 5.1.0 <s@x.example> sender rejected. AUP#CDRBL' })).toBe(
      'blocked'
    )
    expect(ask({ recipient: 'a@cox.net', diag: '550 <a@cox.net> recipient rejected' })).toBe('userunknown')
  })
  it('Spectrum: four-digit AUP code ranges', () => {
    expect(ask({ recipient: 'a@charter.net', diag: '550 5.1.0 sender rejected. AUP#In-1310' })).toBe(
      'toomanyconn'
    )
    expect(ask({ recipient: 'a@charter.net', diag: '550 5.1.0 sender rejected. AUP#O-1530' })).toBe(
      'mesgtoobig'
    )
  })
  it('Facebook: RCP-P2 is the recipient preference filter', () => {
    expect(
      ask({ recipient: 'a@facebook.com', diag: '550 5.1.1 RCP-P2 Refused due to recipient preferences' })
    ).toBe('filtered')
  })
  it('Mimecast: the reply code must match the documented one', () => {
    const mc = { remoteMta: 'us-smtp-inbound-1.mimecast.com' }
    expect(ask({ ...mc, reply: '554', diag: '554 Host network not allowed - https://x' })).toBe(
      'policyviolation'
    )
    expect(ask({ ...mc, reply: '550', diag: '550 Host network not allowed' })).toBeUndefined()
  })
  it('Tencent, MessageLabs, Outlook, NTT DOCOMO wording', () => {
    expect(ask({ remoteMta: 'mx3.qq.com', diag: '550 Ip frequency limited [x]' })).toBe('toomanyconn')
    expect(
      ask({
        reportingMta: 'server-1.bemta-2.messagelabs.com',
        diag: '550-Please turn on SMTP Authentication in your mail client.'
      })
    ).toBe('securityerror')
    expect(
      ask({ recipient: 'a@hotmail.com', diag: '550 Requested action not taken: mailbox unavailable (-1)' })
    ).toBe('userunknown')
    const docomo = { remoteMta: 'mfsmax.docomo.ne.jp', diag: '550 Unknown user a@docomo.example' }
    expect(ask({ ...docomo, command: 'DATA' })).toBe('rejected')
    expect(ask({ ...docomo, command: 'RCPT' })).toBe('userunknown')
  })
})

describe('rhost in parseBounce', () => {
  it('a DSN without Diagnostic-Code takes the sentence naming the recipient; the GSuite table reads it', async () => {
    const eml = [
      'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'To: sender@example.org',
      'Subject: Delivery Status Notification (Failure)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      '** Address not found **',
      '',
      "Your message wasn't delivered to nobody@rcpt.example because the address couldn't be found. Check for typos or unnecessary spaces and try again.",
      '',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; googlemail.com',
      '',
      'Final-Recipient: rfc822; nobody@rcpt.example',
      'Action: failed',
      'Status: 5.0.0',
      '',
      '--b1--',
      ''
    ].join('\r\n')
    const r = parseBounce(await parseMessage(Buffer.from(eml)))
    expect(r.recipients[0]).toMatchObject({ recipient: 'nobody@rcpt.example', reason: 'userunknown' })
    expect(r.recipients[0].diagnosticCode).toContain("because the address couldn't be found")
  })
})

describe('Google table and Sendmail multi-line replies', () => {
  it('Google rows compare reply and status without the class digit', () => {
    const g = { remoteMta: 'gmail-smtp-in.l.google.com', reply: '550', status: '5.7.1' }
    expect(
      ask({ ...g, diag: '550 5.7.1 Messages with multiple addresses in From: header are not accepted.' })
    ).toBe('notcompliantrfc')
    expect(
      ask({ ...g, status: '5.7.26', diag: '550 5.7.26 This message fails to pass authentication checks' })
    ).toBe('authfailure')
    expect(
      ask({
        ...g,
        status: '5.7.9',
        diag: '550 5.7.9 Messages with multiple addresses in From: header are not accepted.'
      })
    ).toBeUndefined()
  })
  it('joins the "<<< 550-" transcript lines when Diagnostic-Code holds only the first one', async () => {
    const eml = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.sender.example>',
      'To: sender@sender.example',
      'Subject: Returned mail: see transcript for details',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b2"',
      '',
      '--b2',
      '',
      'The original message was received at Mon, 30 Sep 2019 14:41:41 +0900',
      'from client.sender.example [192.0.2.7]',
      '',
      '   ----- Transcript of session follows -----',
      '... while talking to gmail-smtp-in.l.google.com.:',
      '>>> DATA',
      '<<< 550-5.7.1 This message does not have authentication information or fails to',
      '<<< 550-5.7.1 pass authentication checks. To best protect our users from spam, the',
      '<<< 550 5.7.1 message has been blocked. x - gsmtp',
      '554 5.0.0 Service unavailable',
      '',
      '--b2',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.sender.example',
      '',
      'Final-Recipient: RFC822; carol@rcpt.example',
      'Action: failed',
      'Status: 5.7.1',
      'Remote-MTA: DNS; gmail-smtp-in.l.google.com',
      'Diagnostic-Code: SMTP; 550-5.7.1 This message does not have authentication information or fails to',
      '',
      '--b2--',
      ''
    ].join('\r\n')
    const r = parseBounce(await parseMessage(Buffer.from(eml)))
    expect(r.recipients[0].diagnosticCode).toContain('fails to pass authentication checks')
    expect(r.recipients[0].reason).toBe('authfailure')
  })
})
