/**
 * Hostile messages, generated at test time (never committed): each is built to make a naive renderer draw
 * something huge. Sizes follow issue 11: 10,000 hops, a 1 MB subject without a space, a 1 MB header line, a DSN
 * with 10,000 recipients.
 */
const MB = 1024 * 1024
const CRLF = '\r\n'

function envelope(extra: string[], subject = 'Hostile test message'): string[] {
  return [
    'From: Sender <sender@shop.example>',
    'To: Receiver <receiver@customer.example.net>',
    `Subject: ${subject}`,
    'Date: Tue, 03 Mar 2026 10:00:00 +0000',
    'Message-ID: <hostile@shop.example>',
    ...extra,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii'
  ]
}

function message(headers: string[], body = 'Hello.'): string {
  return headers.join(CRLF) + CRLF + CRLF + body + CRLF
}

/** A string of `bytes` characters with no space, tab or other break opportunity. */
export function unbroken(bytes: number, seed = 'x9'): string {
  return seed.repeat(Math.ceil(bytes / seed.length)).slice(0, bytes)
}

/** 10,000 Received headers, newest first as MTAs prepend them; each hop one second after the previous one. */
export function manyHops(count = 10_000): string {
  const received: string[] = []
  for (let i = count - 1; i >= 0; i--) {
    const s = i % 60
    const m = Math.floor(i / 60) % 60
    const h = 10 + Math.floor(i / 3600)
    const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
    received.push(
      `Received: from relay${i}.example.net (relay${i}.example.net [192.0.2.${(i % 250) + 1}])${CRLF}` +
        `\tby relay${i + 1}.example.net with ESMTPS id h${i}; Tue, 03 Mar 2026 ${time} +0000`
    )
  }
  return message([...received, ...envelope([])])
}

/** A 1 MB Subject made of one unbroken word (nothing to fold at, nothing to wrap at). */
export function hugeSubject(bytes = MB): string {
  return message(envelope([], unbroken(bytes, 'Sub')))
}

/** One header whose single unfolded line is 1 MB long. */
export function hugeHeaderLine(bytes = MB): string {
  return message(envelope([`X-Hostile-Line: ${unbroken(bytes, 'ab/cd=')}`]))
}

/** A multipart/report DSN (RFC 3464) listing `count` failed recipients. */
export function manyRecipientsDsn(count = 10_000): string {
  const boundary = 'hostile-dsn-boundary'
  const groups: string[] = []
  for (let i = 0; i < count; i++)
    groups.push(
      [
        `Final-Recipient: rfc822; user${i}@customer.example.net`,
        'Action: failed',
        'Status: 5.7.1',
        'Remote-MTA: dns; mx.customer.example.net',
        `Diagnostic-Code: smtp; 550 5.7.1 Message rejected for user${i} as spam`
      ].join(CRLF)
    )
  const head = [
    'From: Mail Delivery System <MAILER-DAEMON@relay.shop.example>',
    'To: sender@shop.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Tue, 03 Mar 2026 10:00:00 +0000',
    'Message-ID: <hostile-dsn@relay.shop.example>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`
  ]
  const parts = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `Your message could not be delivered to ${count} recipients.`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.shop.example',
    'Arrival-Date: Tue, 03 Mar 2026 10:00:00 +0000',
    '',
    groups.join(CRLF + CRLF),
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    ...envelope([]),
    '',
    `--${boundary}--`
  ]
  return head.join(CRLF) + CRLF + CRLF + parts.join(CRLF) + CRLF
}
