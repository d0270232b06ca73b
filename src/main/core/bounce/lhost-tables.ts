/**
 * Reasons stated by an MTA's own wording, decided before the generic tables, like the per-MTA parsers of
 * go-sisimai (lhost/via-*.go, BSD-2-Clause, read 2025) set `Reason` for messages they recognise. Tables are
 * re-typed as data; the surrounding code is ours. A stated reason is a hint to classifyReason: retryable ones
 * (systemerror, networkerror, expired, ...) can still be overruled by a more specific probe.
 */
import { statusReason } from './classify-reason'
import { findStatus } from './smtp-codes'

export interface LhostInput {
  format: string
  /** Diagnostic text, whitespace collapsed. */
  diag: string
  command: string
}

type Table = [reason: string, needles: string[]][]
const anyOf = (table: Table, t: string): string | undefined =>
  table.find(([, needles]) => needles.some((n) => t.includes(n)))?.[0]

// lhost/via-qmail.go messagesof (qmail-remote.c / qmail-local.c / notqmail wording)
const QMAIL_MESSAGES: Table = [
  ['hostunknown', ["Sorry, I couldn't find any host "]],
  ['mailboxfull', ['disk quota exceeded']],
  ['mesgtoobig', ['Message size exceeds fixed maximum message size:']],
  [
    'networkerror',
    [
      "Sorry, I wasn't able to establish an SMTP connection",
      "Sorry. Although I'm listed as a best-preference MX or A for that host"
    ]
  ],
  // notqmail 1.08 says this for a Null MX (RFC 7505) destination
  ['notaccept', ["Sorry, I couldn't find a mail exchanger or IP address"]],
  ['systemerror', ['bad interpreter: No such file or directory', 'system error', 'Unable to']],
  ['systemfull', ['Requested action not taken: mailbox unavailable (not enough free space)']],
  ['userunknown', ['no mailbox here by that name']]
]
// lhost/via-qmail.go failonldap (qmail-ldap patch wording)
const QMAIL_LDAP: Table = [
  ['exceedlimit', ['The message exeeded the maximum size the user accepts']],
  [
    'suspend',
    [
      'Mailaddress is administrativly disabled',
      'Mailaddress is administrativley disabled',
      'Mailaddress is administratively disabled',
      'Mailaddress is administrativeley disabled'
    ]
  ],
  [
    'systemerror',
    [
      'Automatic homedir creator crashed',
      'Illegal value in LDAP attribute',
      'LDAP attribute is not given but mandatory',
      'Timeout while performing search on LDAP server',
      'Too many results returned but needs to be unique',
      'Permanent error while executing qmail-forward',
      'Temporary error in automatic homedir creation',
      'Temporary error while executing qmail-forward',
      'Temporary failure in LDAP lookup',
      'Unable to contact LDAP server',
      'Unable to login into LDAP server, bad credentials'
    ]
  ],
  ['userunknown', ['Sorry, no mailbox here by that name']]
]

function qmail(v: LhostInput): string | undefined {
  // qmail-remote.c: "Connected to <ip> but my name was rejected." is a refusal of our HELO
  if (v.command === 'EHLO' || v.command === 'HELO') return 'blocked'
  const d = v.diag
  // a recipient refusal that also expired in the queue: leave it to the generic tables (sisimai "onhold")
  const rcpt = d.indexOf(' does not like recipient.')
  if (rcpt >= 0 && d.indexOf('this message has been in the queue too long.', rcpt) > 0) return undefined
  return (
    anyOf(QMAIL_MESSAGES, d) ??
    anyOf(QMAIL_LDAP, d) ??
    (d.includes('this message has been in the queue too long.') ? 'expired' : undefined)
  )
}

// lhost/via-courier.go messagesof (courier/module.esmtp/esmtpclient.c hard_error / soft_error texts)
const COURIER_MESSAGES: Table = [
  ['hostunknown', ['No such domain.']],
  ['systemerror', ["This domain's DNS violates RFC 1035."]],
  ['networkerror', ['DNS lookup failed.']]
]

// lhost/via-opensmtpd.go messagesof (smtpd/mta.c relay->failstr, smtpd/queue.c envelope errors)
const OPENSMTPD_MESSAGES: Table = [
  ['expired', ['Envelope expired']],
  ['securityerror', ['Could not retrieve credentials']],
  ['hostunknown', ['Invalid domain name', 'Domain does not exist']],
  [
    'networkerror',
    [
      'Address family mismatch on destination MXs',
      'All routes to destination blocked',
      'bad DNS lookup error code',
      'Could not retrieve source address',
      'Loop detected',
      'Network error on destination MXs',
      'No valid route to remote MX',
      'No valid route to destination',
      'Temporary failure in MX lookup'
    ]
  ],
  // "No MX found" is OpenSMTPD's wording for a domain that cannot receive mail at all (sisimai: notaccept)
  [
    'notaccept',
    ['Destination seem to reject all mails', 'No MX found for domain', 'No MX found for destination']
  ]
]

// lhost/via-gmail.go statetable: Gmail's relay ends the quoted remote reply with "(state N)", the step of
// its SMTP client state machine at which the remote server refused
const GMAIL_STATE: Record<string, string> = {
  '6': 'failedstarttls',
  '8': 'systemerror',
  '9': 'failedstarttls',
  '12': 'norelaying',
  '13': 'blocked',
  '14': 'userunknown',
  '15': 'filtered',
  '17': 'filtered',
  '18': 'filtered'
}
// lhost/via-gmail.go messagesof (used when there is no state number)
const GMAIL_MESSAGES: Table = [
  [
    'expired',
    [
      'DNS Error: Could not contact DNS servers',
      'Delivery to the following recipient has been delayed',
      'The recipient server did not accept our requests to connect'
    ]
  ],
  ['hostunknown', ['DNS Error: Domain name not found', 'DNS Error: DNS server returned answer with no data']]
]

function gmail(v: LhostInput): string | undefined {
  const state = / \(state (\d+)\)/.exec(v.diag)?.[1]
  const reason = (state && GMAIL_STATE[state]) || anyOf(GMAIL_MESSAGES, v.diag)
  if (!reason) return undefined
  // via-gmail.go: a specific status code in the reply (no ".0" in it, RFC 3463 detail) overrides the state
  // table: "550 550 5.2.2 <rcpt>... Mailbox Full (state 14)" is a full mailbox, not an unknown user
  const st = findStatus(v.diag)
  if (st && !st.includes('.0')) return statusReason(st) || undefined
  return reason
}

// lhost/via-domino.go messagesof: the Domino Directory lookup failures, in the languages Domino ships
const DOMINO_MESSAGES: Table = [
  [
    'userunknown',
    [
      'not listed in Domino Directory',
      'not listed in public Name & Address Book',
      "non répertorié dans l'annuaire Domino",
      'no está en el Directorio Domino',
      'nicht im Domino-Verzeichnis'
    ]
  ],
  ['filtered', ['Cannot route mail to user']],
  ['systemerror', ['Several matches found in Domino Directory']]
]

const BY_FORMAT: Record<string, (v: LhostInput) => string | undefined> = {
  Domino: (v) => anyOf(DOMINO_MESSAGES, v.diag),
  Gmail: gmail,
  qmail,
  Courier: (v) => anyOf(COURIER_MESSAGES, v.diag),
  OpenSMTPD: (v) => anyOf(OPENSMTPD_MESSAGES, v.diag)
}

export function lhostReason(v: LhostInput): string | undefined {
  return BY_FORMAT[v.format]?.(v)
}
