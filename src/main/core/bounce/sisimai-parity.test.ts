import { describe, expect, it } from 'vitest'
import { parseMessage } from '../mime'
import { parseBounce, postfixAnotherSet, sendmailDiagnostic } from './parse-bounce'

const run = async (lines: string[]): Promise<ReturnType<typeof parseBounce>> =>
  parseBounce(await parseMessage(Buffer.from(lines.join('\r\n'))))

const postfix = (said: string[], diag: string, status: string): string[] => [
  'From: MAILER-DAEMON@mx.sender.example (Mail Delivery System)',
  'To: alice@sender.example',
  'Subject: Undelivered Mail Returned to Sender',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'This is the mail system at host mx.sender.example.',
  '',
  '                   The mail system',
  '',
  ...said,
  '',
  '--b1',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.sender.example',
  'X-Postfix-Queue-ID: 1234',
  '',
  'Final-Recipient: rfc822; bob@rcpt.example',
  'Action: failed',
  `Status: ${status}`,
  `Diagnostic-Code: smtp; ${diag}`,
  '',
  '--b1--',
  ''
]

describe('Postfix text part completes Diagnostic-Code (go-sisimai via-postfix.go anotherset)', () => {
  it('keeps the "(in reply to RCPT TO command)" context of a bare "Recipient address rejected."', async () => {
    const r = await run(
      postfix(
        [
          '<bob@rcpt.example>: host mx.rcpt.example[192.0.2.1] said: 550',
          '    <bob@rcpt.example>: Recipient address rejected. (in reply to RCPT',
          '    TO command)'
        ],
        '550 <bob@rcpt.example>: Recipient address rejected.',
        '5.0.0'
      )
    )
    expect(r.recipients[0].diagnosticCode).toContain('(in reply to RCPT TO command)')
    expect(r.recipients[0].reason).toBe('userunknown')
  })
  it('reads "Access denied" at MAIL FROM as rejected, not securityerror', async () => {
    const r = await run(
      postfix(
        [
          '<bob@rcpt.example>: host mx.rcpt.example[192.0.2.1] said: 550',
          '    5.7.1 Access denied (in reply to MAIL FROM command)'
        ],
        '550 5.7.1 Access denied',
        '5.7.1'
      )
    )
    expect(r.recipients[0]).toMatchObject({ reason: 'rejected', status: '5.7.1', command: 'MAIL' })
  })
  it('keeps Diagnostic-Code when the text does not contain it or has no usable code', () => {
    expect(postfixAnotherSet('550 5.1.1 unknown', 'something else entirely 550', '5.1.1')).toBe(
      '550 5.1.1 unknown'
    )
    expect(postfixAnotherSet('user unknown', 'host x said: user unknown (in reply to RCPT TO command)')).toBe(
      'user unknown'
    )
  })
})

describe('X-PowerMTA-BounceCategory (go-sisimai rfc3464/powermta.go)', () => {
  it('takes bad-mailbox as userunknown when the wording alone is ambiguous', async () => {
    const r = await run([
      'From: postmaster@sender.example',
      'To: alice@sender.example',
      'Subject: Delivery report',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain',
      '',
      '<bob@rcpt.example> delivery failed; will not continue trying',
      '',
      '--b2',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns;sender.example',
      'X-PowerMTA-VirtualMTA: sender.example',
      '',
      'Final-Recipient: rfc822;bob@rcpt.example',
      'Action: failed',
      'Status: 5.0.0 (undefined status)',
      "Diagnostic-Code: smtp;554 delivery error: dd This user doesn't have a rcpt.example account",
      'X-PowerMTA-BounceCategory: bad-mailbox',
      '',
      '--b2--',
      ''
    ])
    expect(r.recipients[0]).toMatchObject({ recipient: 'bob@rcpt.example', reason: 'userunknown' })
  })
})

describe('OpenSMTPD bounce (go-sisimai lhost/via-opensmtpd.go)', () => {
  it('is recognised from its Received stamp and reads "No MX found for domain" as notaccept', async () => {
    const r = await run([
      'Received: from mx.sender.example (mx.sender.example [local])',
      '\tby mx.sender.example (OpenSMTPD) with ESMTPA id 94c5a197',
      'Subject: Delivery status notification: delayed',
      'From: Mailer Daemon <MAILER-DAEMON@mx.sender.example>',
      'To: alice@sender.example',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b3"',
      '',
      '--b3',
      'Content-Type: text/plain',
      '',
      '    Hi!',
      '',
      '    This is the MAILER-DAEMON, please DO NOT REPLY to this email.',
      '',
      'bob@rcpt.example: No MX found for domain',
      '',
      '--b3',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.sender.example',
      '',
      'Final-Recipient: rfc822; bob@rcpt.example',
      'Action: delayed',
      'Status: 4.0.0',
      '',
      '--b3--',
      ''
    ])
    expect(r.format).toBe('OpenSMTPD')
    expect(r.recipients[0]).toMatchObject({ recipient: 'bob@rcpt.example', reason: 'notaccept' })
  })
})

describe('status / reply selection (go-sisimai fact/rise.go, smtp/status/prefer.go)', () => {
  it('a 4.x Status: field loses to the 5.x code of a 550 reply; the greeting refusal is a HELO-step block', async () => {
    const r = await run(
      postfix(
        [
          '<bob@rcpt.example>: host mx.rcpt.example[192.0.2.1] refused to',
          '    talk to me: 550 5.5.0 Service refused, please try later.'
        ],
        '550 5.5.0 Service refused, please try later.',
        '4.5.0'
      )
    )
    expect(r.recipients[0]).toMatchObject({ status: '5.5.0', replyCode: '550', command: 'HELO' })
    expect(r.recipients[0].reason).toBe('blocked')
  })
  it('drops a reply code whose class disagrees with the chosen status', async () => {
    const r = await run(
      postfix(
        ['<bob@rcpt.example>: host mx.rcpt.example[192.0.2.1] said: 4.2.2 mailbox full, queue id 550'],
        '4.2.2 mailbox full, queue id 550',
        '4.2.2'
      )
    )
    expect(r.recipients[0].status).toBe('4.2.2')
    expect(r.recipients[0].replyCode).toBeUndefined()
  })
})

describe('Sendmail transcript completes the DSN (go-sisimai lhost/via-sendmail.go)', () => {
  const sendmail = (transcript: string[], status: string, diag: string): string[] => [
    'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.sender.example>',
    'To: alice@sender.example',
    'Subject: Returned mail: see transcript for details',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b4"',
    '',
    '--b4',
    'Content-Type: text/plain',
    '',
    'The original message was received at Thu, 29 Apr 2009 23:34:45 +0900',
    '',
    '   ----- Transcript of session follows -----',
    ...transcript,
    '',
    '--b4',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.sender.example',
    '',
    'Final-Recipient: RFC822; bob@rcpt.example',
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: ${diag}`,
    '',
    '--b4--',
    ''
  ]
  it('replaces a bare program exit code by the mailer reply line, whose 5.3.0 beats Status: 5.0.0', async () => {
    const r = await run(
      sendmail(
        [
          'DBI connect failed: too many clients',
          ' at /home/bob/catch.pl line 158',
          '554 5.3.0 unknown mailer error 255'
        ],
        '5.0.0',
        'X-Unix; 255'
      )
    )
    expect(r.recipients[0]).toMatchObject({ status: '5.3.0', replyCode: '554', reason: 'mailererror' })
  })
  it('puts the remote replies of a single-recipient session in front of the diagnostic', () => {
    const pre = [
      '   ----- Transcript of session follows -----',
      '... while talking to mx1.rcpt.example.:',
      '<<< 554 mx1.rcpt.example ESMTP not accepting connections',
      '>>> QUIT',
      '<<< 421 4.7.0 mx1.rcpt.example Error: too many errors',
      '554 5.0.0 Service unavailable'
    ].join('\n')
    const d = sendmailDiagnostic(pre, '554 mx1.rcpt.example ESMTP not accepting connections', 1)
    expect(d).toBe(
      '554 mx1.rcpt.example ESMTP not accepting connections 421 4.7.0 mx1.rcpt.example Error: too many errors ' +
        '554 mx1.rcpt.example ESMTP not accepting connections'
    )
    // with several recipients the replies cannot be attributed, the diagnostic stays as it is
    expect(sendmailDiagnostic(pre, 'x', 2)).toBe('x')
    expect(sendmailDiagnostic('no transcript here', '255', 1)).toBe('255')
  })
})
