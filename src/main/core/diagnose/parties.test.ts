import { describe, expect, it } from 'vitest'
import { analyzeFile } from '.'
import { receiversInText, senderIpsInText } from './parties'

const enc = (s: string) => new TextEncoder().encode(s.replace(/\n/g, '\r\n'))
async function analyse(raw: string, name = 'x.eml') {
  return (await analyzeFile(enc(raw), name))[0].analysis
}

// A Postfix NDR from the sender's own relay: the remote MX refused and is quoted as "host …[ip] said".
const POSTFIX_RELAY = `From: MAILER-DAEMON@relay.example (Mail Delivery System)
To: alice@shop.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

<bob@partner.example>: host mx.partner.example[203.0.113.50] said: 550 5.7.1
    Service unavailable; client [192.0.2.66] blocked using zen.spamhaus.org
    (in reply to RCPT TO command)

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; bob@partner.example
Action: failed
Status: 5.7.1
Remote-MTA: dns; mx.partner.example
Diagnostic-Code: smtp; 550 5.7.1 Service unavailable; client [192.0.2.66] blocked using zen.spamhaus.org

--b1
Content-Type: message/rfc822

Received: from laptop.shop.example (unknown [198.51.100.9])
 by relay.example (Postfix) with ESMTPSA id 1A2B3C
 for <bob@partner.example>; Mon, 2 Nov 2026 10:00:00 +0000
From: Alice <alice@news.shop.example>
To: bob@partner.example
Subject: Offer
Message-ID: <1@shop.example>

Hello
--b1--
`

// Exim quotes the remote server as "host NAME [IP]:" with a space before the bracket.
const EXIM_REMOTE = `From: Mail Delivery System <Mailer-Daemon@mail.shop.example>
To: alice@shop.example
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: carol@partner.example

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  carol@partner.example
    host mx2.partner.example [203.0.113.51]
    SMTP error from remote mail server after RCPT TO:<carol@partner.example>:
    550 5.7.1 Relaying denied
`

// The receiver's own mailer-daemon (a Gmail-style NDR): its From domain and its MX are the receiver's.
const RECEIVER_DAEMON = `From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: alice@shop.example
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b2"

--b2
Content-Type: text/plain

Address not found

--b2
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com

Final-Recipient: rfc822; nobody@gmail.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com. [2001:db8::1b]
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.

--b2
Content-Type: message/rfc822

Received: from mail.shop.example (mail.shop.example [192.0.2.77])
 by mx.google.com with ESMTPS id abc
 for <nobody@gmail.com>; Mon, 2 Nov 2026 10:00:00 -0800 (PST)
Received: from laptop (unknown [10.0.0.5])
 by mail.shop.example (Postfix) with ESMTPSA id 9
 for <nobody@gmail.com>; Mon, 2 Nov 2026 18:00:00 +0000
From: alice@shop.example
To: nobody@gmail.com
Subject: hi

hello
--b2--
`

describe('who is who', () => {
  it('the receiving MX quoted by our relay is the receiver; the client IP the reply names is ours', async () => {
    const a = await analyse(POSTFIX_RELAY)
    const p = a.parties!
    expect(p.receiver.host?.value).toBe('mx.partner.example')
    expect(p.receiver.ip?.value).toBe('203.0.113.50')
    expect(p.sender.ip).toMatchObject({ value: '192.0.2.66', source: 'diagnostic:bob@partner.example' })
    expect(p.sender.domain).toMatchObject({ value: 'news.shop.example', source: 'original:From' })
    expect(p.sender.host?.value).toBe('relay.example')
    // the legacy fields equal the sender's values, and the verdict never names the receiver's IP
    expect(a.sendingIp).toBe('192.0.2.66')
    expect(a.sendingDomain).toBe('news.shop.example')
    expect(a.verdict?.ip).toBe('192.0.2.66')
  })

  it('an Exim "host NAME [IP]:" is the remote server and never becomes the sending IP', async () => {
    const a = await analyse(EXIM_REMOTE)
    expect(a.parties!.receiver.ip?.value).toBe('203.0.113.51')
    expect(a.sendingIp).not.toBe('203.0.113.51')
    expect(a.verdict?.ip).not.toBe('203.0.113.51')
    expect(a.parties!.sender.domain?.value).toBe('shop.example')
  })

  it("a receiver's mailer-daemon is theirs; the returned copy's edge at their MX gives our IP and HELO", async () => {
    const a = await analyse(RECEIVER_DAEMON)
    const p = a.parties!
    expect(p.sender.domain?.value).toBe('shop.example')
    expect(p.sender.ip).toMatchObject({ value: '192.0.2.77' })
    expect(p.sender.ip!.source).toMatch(/^original:Received#/)
    expect(p.sender.helo?.value).toBe('mail.shop.example')
    expect(p.receiver.host?.value).toBe('gmail-smtp-in.l.google.com')
    expect(p.receiver.ip?.value).toBe('2001:db8::1b')
    for (const v of Object.values(p.sender)) expect(v?.value ?? '').not.toMatch(/google/)
    expect(a.sendingDomain).toBe('shop.example')
  })

  it('an auto-reply comes from the receiver: its From is theirs, its To ours', async () => {
    const a = await analyse(
      'From: bob@partner.example\nTo: alice@shop.example\nSubject: Automatic reply: Offer\nAuto-Submitted: auto-replied\n\nI am out of the office until Monday.\n'
    )
    expect(a.kind).toBe('auto-reply')
    expect(a.parties!.sender.domain?.value).toBe('shop.example')
    expect(a.parties!.receiver.domain?.value).toBe('partner.example')
    expect(a.sendingDomain).toBe('shop.example')
    expect(a.sendingIp).toBeNull()
  })
})

describe('IPs in rejection texts', () => {
  it('tells the answering server from the client it judged', () => {
    const t =
      'host mx.partner.example[203.0.113.50] said: 554 5.7.1 Service unavailable; Client host [192.0.2.66] blocked using zen.spamhaus.org'
    expect(receiversInText(t)).toEqual([{ host: 'mx.partner.example', ip: '203.0.113.50' }])
    expect(senderIpsInText(t)).toEqual(['192.0.2.66'])
  })
  it("reads Gmail's padded bracket and Yahoo's 'Messages from', not version-like codes", () => {
    expect(senderIpsInText('550-5.7.1 [192.0.2.9      12] Our system has detected an unusual rate')).toEqual([
      '192.0.2.9'
    ])
    expect(senderIpsInText('421 4.7.0 [TSS04] Messages from 192.0.2.44 deferred - 4.16.55.1')).toEqual([
      '192.0.2.44'
    ])
    expect(senderIpsInText('see 4.16.55.1 only')).toEqual([])
  })
  it('qmail "IP does not like recipient" names the remote server', () => {
    const t = '203.0.113.8 does not like recipient. Remote host said: 550 5.1.1 unknown user'
    expect(receiversInText(t).map((r) => r.ip)).toEqual(['203.0.113.8'])
    expect(senderIpsInText(t)).toEqual([])
  })
})
