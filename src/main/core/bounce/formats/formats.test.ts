import { describe, expect, it } from 'vitest'
import { parseMessage } from '../../mime'
import { parseBounce } from '../parse-bounce'

/** Hand-written NDRs, one per layout family: the smallest text that carries each format's anchors. */
const msg = (head: string, body: string): string => `${head.trim()}\n\n${body.replace(/^\n/, '')}`

async function analyse(raw: string): Promise<ReturnType<typeof parseBounce>> {
  return parseBounce(await parseMessage(raw))
}

describe('layout parsers', () => {
  it('DragonFly: recipient sentence, "did not like our RCPT TO" gives the command', async () => {
    const r = await analyse(
      msg(
        'From: MAILER-DAEMON <>\nSubject: Mail delivery failed',
        `This is the DragonFly Mail Agent v0.13 at dma.example.org.

There was an error delivering your mail to <ghost@example.net>.

mx.example.net [192.0.2.25] did not like our RCPT TO:
550 5.1.1 <ghost@example.net>: Recipient address rejected: User unknown

Message headers follow.

Subject: hello
`
      )
    )
    expect(r.format).toBe('DragonFly')
    expect(r.recipients).toHaveLength(1)
    expect(r.recipients[0]).toMatchObject({
      recipient: 'ghost@example.net',
      command: 'RCPT',
      status: '5.1.1',
      replyCode: '550',
      reason: 'userunknown',
      remoteMta: 'mx.example.net'
    })
  })

  it('V5sendmail: transcript replies attach to the following recipient line', async () => {
    const r = await analyse(
      msg(
        'From: Mail Delivery Subsystem <MAILER-DAEMON@example.org>\nSubject: Returned mail: User unknown',
        `   ----- Transcript of session follows -----
While talking to mx.example.net:
>>> RCPT To:<nobody@example.net>
<<< 550 No such user here
550 <nobody@example.net>... User unknown
550 example.com (smtp)... 550 Host unknown
554 <x@example.com>... 550 Host unknown (Authoritative answer from name server)

   ----- Unsent message follows -----
Subject: hi
`
      )
    )
    expect(r.format).toBe('V5sendmail')
    expect(r.recipients.map((x) => [x.recipient, x.reason, x.command ?? ''])).toEqual([
      ['nobody@example.net', 'userunknown', 'RCPT'],
      ['x@example.com', 'hostunknown', '']
    ])
  })

  it('Zoho: rcpt line with ERROR_CODE, and the retry notice means expired', async () => {
    const r = await analyse(
      msg(
        'From: mailer-daemon@zoho.example\nX-ZohoMail: Si CHF_MF_NL\nSubject: Undelivered Mail',
        `This message was created automatically by mail delivery software.

a@example.net Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.2 <a@example.net>... Mailbox Full
[Status: Error, Address: <b@example.net>, ResponseCode 421, , Host not reachable.]
`
      )
    )
    expect(r.format).toBe('Zoho')
    expect(r.recipients.map((x) => [x.recipient, x.reason])).toEqual([
      ['a@example.net', 'mailboxfull'],
      ['b@example.net', 'expired']
    ])
  })

  it('IMailServer: "Unknown user: rcpt" and the generated response block', async () => {
    const r = await analyse(
      msg(
        'From: "Postmaster" <postmaster@example.org>\nSubject: Undeliverable Mail',
        `Unknown user: who@example.com

undeliverable to spam@example.jp
Body of message generated response:
550-REJECTED - Blacklisted URL in message.
550 see http://lookup.example/

Original message follows.
Subject: x
`
      )
    )
    expect(r.format).toBe('IMailServer')
    expect(r.recipients[0]).toMatchObject({ recipient: 'who@example.com', reason: 'userunknown' })
    expect(r.recipients[1].recipient).toBe('spam@example.jp')
    expect(r.recipients[1].diagnosticCode).toContain('Blacklisted URL')
  })

  it('InterScanMSS: Sent <<< RCPT TO / Received >>> transcript', async () => {
    const r = await analyse(
      msg(
        'From: "InterScan MSS" <postmaster@example.co.jp>\nSubject: Mail could not be delivered',
        `Sent <<< RCPT TO:<k@example.co.jp>
Received >>> 550 5.1.1 <k@example.co.jp>... user unknown
`
      )
    )
    expect(r.format).toBe('InterScanMSS')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'k@example.co.jp',
      command: 'RCPT',
      reason: 'userunknown'
    })
  })

  it('Activehunter: ">>> rcpt <rcpt>" then the first reply line', async () => {
    const r = await analyse(
      msg(
        'From: "MAILER-DAEMON" <MAILER-DAEMON@example.org>\nX-AHMAILID: 1234\nSubject: FAILURE NOTICE : hi',
        `  ----- The following addresses had permanent fatal errors -----
>>> k@example.org <k@example.org>

  ----- Transcript of session follows -----
550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
`
      )
    )
    expect(r.format).toBe('Activehunter')
    expect(r.recipients[0]).toMatchObject({
      recipient: 'k@example.org',
      status: '5.1.1',
      reason: 'userunknown'
    })
  })

  it('X1: "rcpt [reason]" lines', async () => {
    const r = await analyse(
      msg(
        'From: "Mail Deliver System" <MAILER-DAEMON@example.jp>\nSubject: Returned Mail: User unknown',
        `---The following addresses had delivery errors---
k@example.co.jp [User unknown]
`
      )
    )
    expect(r.format).toBe('X1')
    expect(r.recipients[0]).toMatchObject({ recipient: 'k@example.co.jp', diagnosticCode: 'User unknown' })
  })

  it('Notes: the reason line comes before the address', async () => {
    const r = await analyse(
      msg(
        'From: POSTMASTER@gw.example.com\nSubject: Undeliverable message',
        `------- Failure Reasons  --------

User  not listed in public Name & Address Book
k@example.com

------- Returned Message --------
Subject: x
`
      )
    )
    expect(r.format).toBe('Notes')
    expect(r.recipients[0]).toMatchObject({ recipient: 'k@example.com', reason: 'userunknown' })
  })

  it('ApacheJames: error text and RCPT TO from the message details', async () => {
    const r = await analyse(
      msg(
        'From: post_master@example.com\nSubject: Re:Test',
        `Error: Invalid user address

Error message below:
550 - Requested action not taken: no such user here

Message details:
  Subject: Test
  MAIL FROM: a@example.org
  RCPT TO: b@example.com
`
      )
    )
    expect(r.format).toBe('ApacheJames')
    expect(r.recipients[0]).toMatchObject({ recipient: 'b@example.com', replyCode: '550' })
  })

  it('Amazon SES JSON: bounce, complaint and delivery notifications (wrapped lines joined)', async () => {
    const head = 'From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message'
    const bounce = await analyse(
      msg(
        head,
        `{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"b@exa
 mple.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{}}

--
unsubscribe text
`
      )
    )
    expect(bounce.format).toBe('AmazonSES')
    expect(bounce.recipients[0]).toMatchObject({
      recipient: 'b@example.com',
      status: '5.1.1',
      replyCode: '550',
      reason: 'userunknown'
    })
    const complaint = await analyse(
      msg(
        head,
        '{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"c@example.com"}],"complaintFeedbackType":"abuse"}}\n'
      )
    )
    expect(complaint.recipients[0]).toMatchObject({ reason: 'feedback', feedbackType: 'abuse' })
    const delivery = await analyse(
      msg(
        head,
        '{"notificationType":"Delivery","delivery":{"recipients":["d@example.com"],"smtpResponse":"250 2.6.0 Message received"}}\n'
      )
    )
    expect(delivery.recipients[0]).toMatchObject({
      recipient: 'd@example.com',
      reason: 'delivered',
      status: '2.6.0'
    })
  })

  it('RFC 3834 auto-reply: vacation, not a bounce; daemons are excluded', async () => {
    const r = await analyse(
      msg('From: Kiji <kiji@example.org>\nSubject: Automatic reply: hi', 'I am away.\n')
    )
    expect(r.isBounce).toBe(false)
    expect(r.recipients[0]).toMatchObject({ recipient: 'kiji@example.org', reason: 'vacation' })
    const d = await analyse(
      msg('From: MAILER-DAEMON@example.org\nAuto-Submitted: auto-replied\nSubject: Automatic reply: x', 'x\n')
    )
    expect(d.recipients).toHaveLength(0)
  })
})

describe('remote-host tables and stated reasons', () => {
  const dsn = (rcpt: string, diag: string, status = '5.0.0'): string =>
    `From: MAILER-DAEMON@example.org
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

failed

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; ${rcpt}
Action: failed
Status: ${status}
Diagnostic-Code: smtp; ${diag}

--B--
`
  it('KDDI: "550 : User unknown" is the content filter, "<rcpt>: User unknown" a missing user', async () => {
    expect((await analyse(dsn('a@ezweb.ne.jp', '550 : User unknown'))).recipients[0].reason).toBe('filtered')
    expect(
      (await analyse(dsn('a@ezweb.ne.jp', '550 <a@ezweb.ne.jp>: User unknown'))).recipients[0].reason
    ).toBe('userunknown')
    // the same text from elsewhere, with no RCPT context, stays "filtered" (sisimai why-filtered.go)
    expect(
      (await analyse(dsn('a@example.net', '550 <a@example.net>: User unknown'))).recipients[0].reason
    ).toBe('filtered')
  })
  it('FrancePTT error labels', async () => {
    const r = await analyse(
      dsn('x@laposte.net', '550 5.5.0 Adresse destinataire invalide. Invalid recipient. LPN007_416')
    )
    expect(r.recipients[0].reason).toBe('userunknown')
  })
  it('Google DNS wording: Null MX is notaccept, NXDOMAIN a network error', async () => {
    const nullmx =
      "DNS Error: 1 DNS type 'mx' lookup of example.org responded with code NOERROR The domain example.org doesn't receive email according to the administrator: returned Null MX"
    expect((await analyse(dsn('a@example.org', nullmx, '4.0.0'))).recipients[0].reason).toBe('notaccept')
    const nx =
      "DNS Error: 2 DNS type 'mx' lookup of example.jp responded with code NXDOMAIN Domain name not found"
    expect((await analyse(dsn('a@example.jp', nx, '4.0.0'))).recipients[0].reason).toBe('networkerror')
  })
  it('Exchange 2003 status words', async () => {
    const r = await analyse(
      dsn(
        'a@example.jp',
        'The recipient name is not recognized MSEXCH:IMS:X:Y:Z 0 (000C05A6) Unknown Recipient'
      )
    )
    expect(r.recipients[0].reason).toBe('userunknown')
  })
})
