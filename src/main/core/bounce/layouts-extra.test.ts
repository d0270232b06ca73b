import { describe, expect, it } from 'vitest'
import { parseMessage } from '../mime'
import { parseBounce } from './parse-bounce'

const run = async (lines: string[]): Promise<ReturnType<typeof parseBounce>> =>
  parseBounce(await parseMessage(Buffer.from(lines.join('\r\n'))))

describe('layouts without a machine-readable part', () => {
  it('reads a bounce forwarded inline with "> " quoting', async () => {
    const r = await run([
      'From: Person <person@sender.example>',
      'To: admin@sender.example',
      'Subject: Fwd: Returned mail: see transcript for details',
      'Content-Type: text/plain',
      '',
      'Begin forwarded message:',
      '> From: Mail Delivery Subsystem <MAILER-DAEMON>',
      '> Subject: Returned mail: see transcript for details',
      '>',
      '>    ----- The following addresses had permanent fatal errors -----',
      '> <dan@rcpt.example>',
      '>     (reason: 550 5.1.1 <dan@rcpt.example>... User unknown)',
      '>',
      '> Final-Recipient: RFC822; dan@rcpt.example',
      '> Action: failed',
      '> Status: 5.1.1',
      '> Diagnostic-Code: SMTP; 550 5.1.1 <dan@rcpt.example>... User unknown',
      ''
    ])
    expect(r.recipients[0]).toMatchObject({
      recipient: 'dan@rcpt.example',
      status: '5.1.1',
      reason: 'userunknown'
    })
  })
  it('finds "rejected recipient <addr>" inside a sentence', async () => {
    const r = await run([
      'From: mailer-daemon',
      'To: sender@sender.example',
      'Subject: There was an error sending your mail',
      'Content-Type: text/plain',
      '',
      'SMTP Server <mx.rcpt.example> rejected recipient <erin@rcpt.example> (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]',
      ''
    ])
    expect(r.recipients[0]).toMatchObject({
      recipient: 'erin@rcpt.example',
      replyCode: '550',
      reason: 'userunknown'
    })
  })
  it('unwraps an SNS envelope around an Amazon SES notification', async () => {
    const inner = JSON.stringify({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: 'frank@rcpt.example',
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown'
          }
        ]
      }
    })
    const r = await run([
      'From: SES <no-reply@sns.amazonaws.com>',
      'To: ops@sender.example',
      'Subject: AWS Notification Message',
      'Content-Type: text/plain',
      '',
      JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: inner }, null, 2),
      ''
    ])
    expect(r.format).toBe('AmazonSES')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'frank@rcpt.example',
      status: '5.1.1',
      reason: 'userunknown'
    })
  })
  it('Exim: X-Failed-Recipients names the envelope address, the text only an unqualified local part', async () => {
    const r = await run([
      'From: Mail Delivery System <Mailer-Daemon@mx.sender.example>',
      'To: sender@sender.example',
      'Subject: Mail delivery failed: returning message to sender',
      'X-Failed-Recipients: gina@rcpt.example',
      'Content-Type: text/plain',
      '',
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  gina',
      '    SMTP error from remote mail server after MAIL FROM:<sender@sender.example> SIZE=1543:',
      '    host mx.rcpt.example [192.0.2.20]: 550 5.7.0 Please use the smtp server of your ISP.',
      ''
    ])
    expect(r.recipients[0]).toMatchObject({
      recipient: 'gina@rcpt.example',
      status: '5.7.0',
      replyCode: '550',
      reason: 'blocked'
    })
  })
})
