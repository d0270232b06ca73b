import { headerValue, headerValues } from '../mime/headers'
import type { ParsedMessage } from '../mime/types'

/**
 * Name the MTA / provider that wrote the bounce, from signatures in headers and text. Names follow sisimai's
 * module names (lib/Sisimai/Lhost/*.pm) so results can be compared. Informational: parsing is generic.
 */
const SIGNATURES: [string, (h: string, body: string, ds: string) => boolean][] = [
  ['AmazonSES', (h) => /x-ses-outgoing|amazonses\.com/i.test(h)],
  ['SendGrid', (h) => /sendgrid/i.test(h)],
  [
    'Gmail',
    (h, b) =>
      /mailer-daemon@googlemail\.com|mailer-daemon@google\.com/i.test(h) ||
      /Delivery to the following recipient/i.test(b)
  ],
  [
    'Exchange2007',
    (_h, b) =>
      /Diagnostic information for administrators|Remote Server returned '|Generating server:/i.test(b)
  ],
  [
    'Exchange2003',
    (h, b) =>
      /X-MS-Embedded-Report|X-MimeOLE: Produced By Microsoft Exchange/i.test(h) ||
      /Your message did not reach some or all of the intended recipients/i.test(b)
  ],
  ['Outlook', (h) => /hotmail\.com|outlook\.com/i.test(h) && /postmaster|mailer-daemon/i.test(h)],
  ['Yahoo', (_h, b) => /Sorry, we were unable to deliver your message/i.test(b)],
  ['qmail', (h, b) => /qmail/i.test(h) || /This is the qmail-send program|qmail-send/i.test(b)],
  [
    'Exim',
    (h, b) =>
      /x-failed-recipients/i.test(h) ||
      /This message was created automatically by mail delivery software/i.test(b)
  ],
  [
    'Postfix',
    (_h, b, ds) => /X-Postfix/i.test(ds) || /This is the mail system at host|The Postfix program/i.test(b)
  ],
  [
    'Sendmail',
    (_h, b) => /-{3,} ?Transcript of session follows|The original message was received at/i.test(b)
  ],
  ['Courier', (_h, b) => /Courier mail server|This is a delivery status notification from/i.test(b)],
  // go-sisimai lhost/via-opensmtpd.go: smtpd stamps its Received header "by host (OpenSMTPD) with"
  [
    'OpenSMTPD',
    (h, b) => /\(OpenSMTPD\) with /.test(h) || /This is the MAILER-DAEMON, please DO NOT REPLY/.test(b)
  ],
  ['Domino', (_h, b) => /Your message\s+Subject:.*\s+was not delivered to:/i.test(b)],
  ['Barracuda', (h) => /barracuda/i.test(h)]
]

export function detectFormat(msg: ParsedMessage, pre: string, ds: string): string {
  const h = [
    headerValue(msg.headers, 'from') ?? '',
    headerValue(msg.headers, 'x-mailer') ?? '',
    ...headerValues(msg.headers, 'received').slice(0, 2),
    ...msg.headers.filter((x) => /^x-/i.test(x.name)).map((x) => `${x.name}: ${x.value}`)
  ].join('\n')
  for (const [name, test] of SIGNATURES) if (test(h, pre, ds)) return name
  return ds ? 'RFC3464' : 'unknown'
}
