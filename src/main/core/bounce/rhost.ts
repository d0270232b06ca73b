/**
 * Remote-host (provider) tables: when the recipient's domain, the remote MTA or the reporting MTA belongs to a
 * mail provider, that provider's documented error codes and wording decide the reason. The class selection
 * (recipient domain first, then remote host, then local/reporting host; go-sisimai rhost/lib.go Name()) and the
 * tables themselves are re-typed as data from go-sisimai rhost/for-*.go (BSD-2-Clause, read 2025); the code
 * around them is ours. A table answer is final, like go-sisimai fact/rise.go, which asks rhost.Find before the
 * generic reason.Find whenever the format parser left the reason empty or retryable.
 */
export interface RhostInput {
  /** Diagnostic text, whitespace collapsed (case preserved). */
  diag: string
  status: string
  reply: string
  command: string
  recipient: string
  remoteMta: string
  reportingMta: string
}

interface RhostClass {
  name: string
  /** Host suffixes (rhost/lib.go RhostClass). */
  hosts: string[]
  decide: (v: RhostInput, lower: string) => string | undefined
}

type Table = [reason: string, needles: string[]][]

const anyOf = (table: Table, t: string): string | undefined =>
  table.find(([, needles]) => needles.some((n) => t.includes(n)))?.[0]

// rhost/for-franceptt.go: Orange / La Poste labels "LPN007_416", "OFR_417", "OFR006_102 [102]". The empty
// entries are codes sisimai lists as too vague to map (left to the generic tables).
const FRANCEPTT_CODES: Record<string, string> = {
  '101': 'blocked',
  '102': 'blocked',
  '103': 'blocked',
  '104': 'toomanyconn',
  '105': '',
  '107': '',
  '108': '',
  '109': '',
  '201': '',
  '305': 'securityerror',
  '401': 'authfailure',
  '402': 'securityerror',
  '403': 'rejected',
  '405': 'rejected',
  '415': 'rejected',
  '416': 'userunknown',
  '417': 'mailboxfull',
  '420': 'suspend',
  '421': 'rejected',
  '423': '',
  '424': '',
  '426': 'suspend',
  '505': 'systemerror',
  '506': 'spamdetected',
  '510': 'blocked',
  '513': '',
  '514': 'mesgtoobig',
  '517': 'authfailure',
  '630': 'policyviolation',
  '999': 'blocked'
}

// rhost/for-cox.go: "AUP#CXBL" style labels, then wording
const COX_CODES: Record<string, string> = {
  CXBL: 'blocked',
  CXDNS: 'requireptr',
  CXSNDR: 'authfailure',
  CXSMTP: 'rejected',
  CXCNCT: 'toomanyconn',
  CXMXRT: 'toomanyconn',
  CDRBL: 'blocked',
  CXTHRT: 'securityerror',
  CXMJ: 'securityerror',
  IPBL00001: 'blocked',
  URLBL011: 'spamdetected',
  URLBL101: 'spamdetected',
  URLBL110: 'spamdetected',
  URLBL1001: 'spamdetected'
}
const COX_TEXT: Table = [
  ['blocked', ['cox too many bad commands from', 'too many invalid recipients']],
  ['requireptr', ['dns check failure - try again later', 'rejected - no rdns']],
  ['policyviolation', ['esmtp no data before greeting', 'attachment extension is forbidden']],
  ['rejected', ['sender rejected']],
  ['systemerror', ['esmtp server temporarily not available']],
  [
    'toomanyconn',
    ['too many sessions from', 'requested action aborted: try again later', 'message threshold exceeded']
  ],
  ['userunknown', ['recipient rejected']]
]

// rhost/for-facebook.go: "RCP-P2" style labels (https://www.facebook.com/postmaster/response_codes)
const FACEBOOK_CODES: Record<string, string> = {
  'POL-P7': 'authfailure',
  'POL-P1': 'blocked',
  'POL-P2': 'blocked',
  'POL-P3': 'blocked',
  'POL-P4': 'blocked',
  'POL-T1': 'blocked',
  'POL-T2': 'blocked',
  'POL-T3': 'blocked',
  'MSG-P2': 'contenterror',
  'RCP-P2': 'filtered',
  'RCP-P3': 'filtered',
  'MSG-P1': 'mesgtoobig',
  'INT-P2': 'mesgtoobig',
  'MSG-P3': 'notcompliantrfc',
  'DNS-P1': 'rejected',
  'DNS-P2': 'rejected',
  'DNS-T1': 'rejected',
  'DNS-P3': 'requireptr',
  'DNS-T2': 'requireptr',
  'POL-P6': 'spamdetected',
  'RCP-T4': 'suspend',
  'RCP-T1': 'systemerror',
  'CON-T1': 'toomanyconn',
  'CON-T2': 'toomanyconn',
  'CON-T3': 'toomanyconn',
  'CON-T4': 'toomanyconn',
  'MSG-T1': 'toomanyconn',
  'RCP-P1': 'userunknown',
  'INT-P1': 'userunknown',
  'INT-P3': 'userunknown',
  'INT-P4': 'userunknown',
  'POL-P5': 'virusdetected'
}

// rhost/for-messagelabs.go (Broadcom Email Security.cloud knowledge base articles), lowercased
const MESSAGELABS_TEXT: Table = [
  ['authfailure', ['domain authentication fail']],
  ['badreputation', ['connection rejected by policy']],
  [
    'blocked',
    [
      'mail rejected because your ip is in the pbl',
      'your ip address has been ',
      'your ip address (ip-addr) has been blocked',
      'your email address (addr) has been blocked'
    ]
  ],
  ['contenterror', ['stray linefeeds in message']],
  ['failedstarttls', ['tls/sslv3 connection required']],
  ['norelaying', [' as a relay, ']],
  ['notcompliantrfc', ['550 requested action aborted [4]', 'has detected that this message is not rfc 5322']],
  [
    'rejected',
    [
      'sender envelope domain not allowed for sender ip address',
      'your domain has been blocked',
      'your email address has been blocked',
      'your envelope sender is in my badmailfrom list',
      'your email address has been blacklisted',
      'your domain has been blacklisted'
    ]
  ],
  ['securityerror', ['please turn on smtp authentication in your mail client']],
  ['spamdetected', ['message filtered', 'filtered by outbound scanning']],
  ['toomanyconn', ['too many recipients received this hour', 'too many messages']],
  ['userunknown', ['no such user', 'invalid recipient', 'mailbox is not allowed']]
]

// rhost/for-mimecast.go: [reply code, wording] pairs (Mimecast SMTP error code list)
const MIMECAST: [string, string, string][] = [
  ['authfailure', '550', 'spf sender invalid - envelope rejected'],
  ['authfailure', '550', 'dkim sender invalid - envelope rejected'],
  ['authfailure', '550', 'dmarc sender invalid - envelope rejected'],
  ['badreputation', '451', 'internal resources are temporarily unavailable'],
  ['badreputation', '550', 'local ct ip reputation - (reject)'],
  ['blocked', '421', 'sender address blocked'],
  ['blocked', '451', 'recipient temporarily unavailable'],
  ['blocked', '451', 'ip temporarily blacklisted'],
  ['expired', '550', 'journal messages past the expiration'],
  ['failedstarttls', '553', 'this route requires encryption (tls)'],
  ['failedstarttls', '553', 'this route requires tls version 1.2 or greater'],
  ['failedstarttls', '553', 'this route requires high-strength ciphers'],
  ['failedstarttls', '554', 'configuration is invalid for this certificate'],
  ['mesgtoobig', '554', 'maximum email size exceeded'],
  ['networkerror', '451', 'the incorrect hostname used for inbounds'],
  ['networkerror', '550', 'the incorrect hostname used for inbounds'],
  ['networkerror', '554', 'mail loop detected'],
  ['norelaying', '451', 'open relay not allowed'],
  ['norelaying', '451', 'open relay is not allowed'],
  ['notaccept', '451', 'account inbounds disabled'],
  ['policyviolation', '550', 'anti-spoofing policy - inbound not allowed'],
  ['policyviolation', '550', 'rejected by header-based anti-spoofing policy'],
  ['policyviolation', '550', 'message bounced due to content examination policy'],
  ['policyviolation', '554', 'host network not allowed'],
  ['policyviolation', '554', 'host network, not allowed'],
  ['rejected', '550', 'administrative prohibition envelope blocked'],
  ['rejected', '550', 'envelope blocked - user entry'],
  ['rejected', '550', 'envelope blocked - user domain entry'],
  ['rejected', '550', 'rejected by header-based manually blocked senders - block for manual block'],
  ['rejected', '550', 'rejected by header-based blocked senders - block policy for header from'],
  ['rejected', '550', 'envelope rejected - block policy for envelope from address'],
  ['securityerror', '535', 'incorrect authentication data'],
  ['securityerror', '550', 'submitter failed to authenticate'],
  ['systemerror', '451', 'unable to process connection at this time'],
  ['systemerror', '451', 'message ended early'],
  ['systemerror', '451', 'unable to process command'],
  ['systemerror', '451', 'unable to process an email at this time'],
  ['toomanyconn', '451', 'account service is temporarily unavailable'],
  ['toomanyconn', '452', 'too many recipients'],
  ['toomanyconn', '550', 'exceeding outbound thread limit'],
  ['userunknown', '501', 'invalid address'],
  ['userunknown', '503', 'user unknown'],
  ['userunknown', '550', 'invalid recipient'],
  ['virusdetected', '554', 'email rejected due to security policies']
]

// rhost/for-microsoft.go: [reason, status or status prefix, low, high, wording]. A row with a range matches
// statuses "<prefix><n>" with low <= n <= high (e.g. 5.7.606-649 "banned sending ip").
type MsRow = [string, string, number, number, string]
const MICROSOFT: MsRow[] = [
  ['authfailure', '4.7.26', 0, 0, 'must pass either spf or dkim validation, this message is not signed'],
  ['authfailure', '5.7.23', 0, 0, 'the message was rejected because of sender policy framework violation'],
  ['authfailure', '5.7.509', 0, 0, 'does not pass dmarc verification'],
  ['authfailure', '5.7.515', 0, 0, "doesn't meet the required authentication level"],
  ['badreputation', '4.7.650', 0, 0, 'has been temporarily rate limited due to ip reputation'],
  ['blocked', '4.4.2', 0, 0, 'connection dropped'],
  ['blocked', '4.7.', 850, 899, 'access denied, please try again later'],
  ['blocked', '5.7.25', 0, 0, 'must have a reverse dns record'],
  ['blocked', '5.7.506', 0, 0, 'access denied, bad helo'],
  ['blocked', '5.7.507', 0, 0, 'access denied, rejected by recipient'],
  ['blocked', '5.7.510', 0, 0, 'does not accept email over ipv6'],
  ['blocked', '5.7.511', 0, 0, 'access denied, banned sender'],
  ['blocked', '5.7.513', 0, 0, 'using customer block list'],
  ['blocked', '5.7.', 606, 649, 'access denied, banned sending ip '],
  ['blocked', '4.7.', 500, 699, 'access denied, please try again later'],
  ['blocked', '5.5.4', 0, 0, 'invalid domain name'],
  ['blocked', '5.7.1', 0, 0, 'part of their network is on our block list (s3150)'],
  ['contenterror', '5.3.0', 0, 0, 'too many related errors'],
  ['contenterror', '5.6.11', 0, 0, 'invalid characters'],
  ['contenterror', '5.4.11', 0, 0, 'agent generated message depth exceeded'],
  ['contenterror', '5.5.6', 0, 0, 'invalid message content'],
  ['mesgtoobig', '5.2.3', 0, 0, 'resolver.rst.recipsizelimit; message too large for this recipient'],
  ['mesgtoobig', '5.3.4', 0, 0, 'message size exceeds fixed maximum message size'],
  ['mesgtoobig', '5.3.4', 0, 0, 'message too big for system'],
  ['expired', '4.4.1', 0, 0, 'connection timed out'],
  ['expired', '4.4.7', 0, 0, 'message delayed'],
  ['expired', '4.4.7', 0, 0, 'queue expired; message expired'],
  ['expired', '4.4.7', 0, 0, 'message expired'],
  ['expired', '5.4.300', 0, 0, 'message expired'],
  ['expired', '5.4.316', 0, 0, 'message expired'],
  ['failedstarttls', '4.4.8', 0, 0, ' failed mta-sts validation'],
  ['failedstarttls', '5.4.8', 0, 0, ' failed mta-sts validation'],
  ['failedstarttls', '4.4.317', 0, 0, 'starttls is required to send mail'],
  ['failedstarttls', '5.4.317', 0, 0, 'starttls is required to send mail'],
  ['failedstarttls', '4.7.5', 0, 0, 'remote certificate failed mta-sts validation'],
  ['failedstarttls', '5.7.5', 0, 0, 'remote certificate failed mta-sts validation'],
  ['failedstarttls', '5.7.51', 0, 0, 'restrictdomainstoipaddresses or restrictdomainstocertificate'],
  ['failedstarttls', '4.7.321', 0, 0, 'starttls-not-supported:'],
  ['failedstarttls', '5.7.321', 0, 0, 'starttls-not-supported:'],
  ['failedstarttls', '5.7.322', 0, 0, 'certificate-expired:'],
  ['failedstarttls', '4.7.323', 0, 0, 'tlsa-invalid:'],
  ['failedstarttls', '5.7.323', 0, 0, 'tlsa-invalid:'],
  ['failedstarttls', '4.7.324', 0, 0, 'dnssec-invalid:'],
  ['failedstarttls', '5.7.324', 0, 0, 'dnssec-invalid:'],
  ['failedstarttls', '4.7.325', 0, 0, 'certificate-host-mismatch:'],
  ['failedstarttls', '5.7.325', 0, 0, 'certificate-host-mismatch:'],
  ['mailboxfull', '5.2.2', 0, 0, 'mailbox full'],
  ['networkerror', '5.4.4', 0, 0, 'smtpsend.dns.nonexistentdomain; nonexistent domain'],
  ['networkerror', '5.4.6', 0, 0, 'hop count exceeded - possible mail loop'],
  ['networkerror', '4.4.312', 0, 0, 'dns query failed'],
  ['networkerror', '5.4.312', 0, 0, 'dns query failed'],
  ['networkerror', '4.4.316', 0, 0, 'connection refused'],
  ['networkerror', '5.4.316', 0, 0, 'connection refused'],
  ['networkerror', '5.4.4', 0, 0, 'invalid arguments'],
  ['networkerror', '5.4.6', 0, 0, 'routing loop detected'],
  ['networkerror', '5.4.14', 0, 0, 'routing loop detected'],
  ['norelaying', '5.7.1', 0, 0, 'unable to relay'],
  ['norelaying', '5.7.1', 0, 0, 'client was not authenticated'],
  ['norelaying', '5.4.1', 0, 0, 'relay access denied'],
  ['norelaying', '5.7.64', 0, 0, 'tenantattribution; relay access denied'],
  ['norelaying', '5.4.310', 0, 0, 'does not exist'],
  ['notaccept', '4.3.2', 0, 0, 'system not accepting network messages'],
  ['notaccept', '4.4.4', 0, 0, 'hosted tenant which has no mail-enabled subscriptions'],
  ['notaccept', '5.3.2', 0, 0, 'storedrv.deliver: missing or bad storedriver mdb properties'],
  ['policyviolation', '5.0.350', 0, 0, 'x-dg-ref header is too long'],
  ['policyviolation', '5.0.350', 0, 0, 'requested action not taken: policy violation detected (as345)'],
  ['policyviolation', '5.7.', 900, 999, 'delivery not authorized, message refused'],
  ['rejected', '5.1.7', 0, 0, 'invalid address'],
  ['rejected', '5.1.7', 0, 0, 'unknown sender address'],
  ['rejected', '5.1.0', 0, 0, 'sender denied'],
  ['rejected', '5.1.8', 0, 0, 'access denied, bad outbound sender'],
  ['rejected', '5.7.1', 0, 0, 'delivery not authorized'],
  ['rejected', '5.7.12', 0, 0, 'sender was not authenticated by organization'],
  ['rejected', '5.7.124', 0, 0, 'sender not in allowed-senders list'],
  ['rejected', '5.7.133', 0, 0, 'sender not authenticated for group'],
  ['rejected', '5.7.134', 0, 0, 'sender was not authenticated for mailbox'],
  ['rejected', '5.7.13', 0, 0, 'sender was not authenticated for public folder'],
  ['rejected', '5.7.135', 0, 0, 'sender was not authenticated for public folder'],
  ['rejected', '5.7.136', 0, 0, 'sender was not authenticated'],
  ['rejected', '5.7.', 501, 503, 'access denied, spam abuse detected'],
  ['rejected', '5.7.512', 0, 0, 'access denied, message must be rfc 5322 section 3.6.2 compliant'],
  ['rejected', '5.7.750', 0, 0, 'service unavailable. client blocked from sending from unregistered domains'],
  ['rejected', '5.7.', 501, 503, 'access denied, banned sender'],
  ['securityerror', '5.7.3', 0, 0, 'cannot achieve exchange server authentication'],
  ['securityerror', '5.7.3', 0, 0, 'not authorized'],
  ['securityerror', '5.7.57', 0, 0, 'client was not authenticated to send anonymous mail during mail from'],
  ['spamdetected', '5.2.1', 0, 0, 'content filter agent quarantined this message'],
  ['toomanyconn', '5.5.3', 0, 0, 'too many recipients'],
  ['toomanyconn', '4.3.2', 0, 0, 'storedrv.deliver; recipient thread limit exceeded'],
  ['toomanyconn', '4.5.3', 0, 0, 'too many recipients'],
  ['toomanyconn', '4.7.652', 0, 0, 'has exceeded the maximum number of connections'],
  ['toomanyconn', '5.1.90', 0, 0, 'reached your daily limit for message recipients'],
  ['toomanyconn', '5.2.2', 0, 0, 'submission quota exceeded'],
  ['toomanyconn', '5.2.121', 0, 0, "recipient's per hour message receive limit"],
  ['toomanyconn', '5.2.122', 0, 0, "recipient's per hour message receive limit"],
  ['toomanyconn', '5.2.122', 0, 0, 'the recipient has exceeded their limit for'],
  ['toomanyconn', '5.7.508', 0, 0, 'has exceeded permitted limits within'],
  ['toomanyconn', '5.7.', 700, 749, 'tenant has exceeded threshold'],
  ['toomanyconn', '5.7.', 700, 749, 'traffic not accepted from this ip'],
  ['suspend', '5.7.504', 0, 0, 'recipient address rejected: access denied'],
  ['suspend', '5.7.505', 0, 0, 'access denied, banned recipient'],
  ['suspend', '5.2.1', 0, 0, 'mailbox cannot be accessed'],
  ['syntaxerror', '5.3.3', 0, 0, 'unrecognized command'],
  ['syntaxerror', '5.5.2', 0, 0, 'send hello first'],
  ['systemerror', '4.3.2', 0, 0, 'service not available'],
  ['systemerror', '4.3.2', 0, 0, 'service not active'],
  ['systemerror', '5.3.5', 0, 0, 'system incorrectly configured'],
  ['systemerror', '5.3.190', 0, 0, 'when journaling archive is disabled'],
  ['systemerror', '5.0.0', 0, 0, 'helo / ehlo requires domain address'],
  ['systemerror', '5.1.4', 0, 0, 'destination mailbox address ambiguous'],
  ['systemerror', '5.2.4', 0, 0, 'mailing list expansion problem'],
  ['systemerror', '5.2.14', 0, 0, 'misconfigured forwarding address'],
  ['systemerror', '4.4.', 22, 28, 'message failed to be replicated:'],
  ['systemerror', '4.4.3', 0, 0, 'temporary server error. please try again later attr18'],
  ['systemerror', '4.7.0', 0, 0, 'temporary server error. please try again later. prx4 nexthop:'],
  ['systemerror', '4.4.318', 0, 0, '(suspiciousremoteservererror)'],
  ['systemerror', '5.4.318', 0, 0, '(suspiciousremoteservererror)'],
  ['systemerror', '4.7.500', 0, 0, 'server busy. please try again later from '],
  ['systemerror', '4.7.700', 0, 0, 'pfa agent busy, please try again.'],
  ['systemfull', '4.3.1', 0, 0, 'insufficient system resources'],
  ['userunknown', '5.1.1', 0, 0, 'resolver.adr.exrecipnotfound; not found'],
  ['userunknown', '5.1.1', 0, 0, 'user unknown'],
  ['userunknown', '5.1.3', 0, 0, 'storedrv.submit; invalid recipient address'],
  ['userunknown', '5.1.', 4, 5, 'recipient address reserved by rfc 2606'],
  ['userunknown', '5.1.6', 0, 0, 'recipient addresses in single label domains not accepted'],
  ['userunknown', '5.1.1', 0, 0, 'bad destination mailbox address'],
  ['userunknown', '5.1.10', 0, 0, 'recipient not found'],
  ['userunknown', '5.4.1', 0, 0, 'recipient address rejected: access denied'],
  ['userunknown', '5.5.0', 0, 0, 'requested action not taken: mailbox unavailable'],
  ['userunknown', '5.1.2', 0, 0, 'invalid x.400 address'],
  ['userunknown', '5.1.351', 0, 0, 'remote server returned unknown recipient or mailbox unavailable']
]
// Outlook.com postmaster codes, valid only with the reply code they are documented with
const MICROSOFT_LABELS: [string, string, string][] = [
  ['RP-001', '421', 'badreputation'],
  ['RP-002', '421', 'badreputation'],
  ['RP-003', '421', 'badreputation'],
  ['SC-001', '550', 'badreputation'],
  ['SC-002', '550', 'policyviolation'],
  ['SC-003', '550', 'blocked'],
  ['SC-004', '550', 'blocked'],
  ['DY-001', '550', 'blocked'],
  ['DY-002', '550', 'securityerror'],
  ['OU-001', '550', 'blocked'],
  ['OU-002', '550', 'badreputation']
]

function microsoft(v: RhostInput, t: string): string | undefined {
  const m = /^\d\.\d{1,3}\.(\d{1,3})$/.exec(v.status)
  if (!m) return undefined
  const third = Number(m[1])
  for (const [reason, code, lo, hi, words] of MICROSOFT) {
    if (lo === hi ? v.status !== code : !v.status.startsWith(code) || third < lo || third > hi) continue
    if (t.includes(words)) return reason
  }
  return MICROSOFT_LABELS.find(([label, reply]) => v.diag.includes(label) && v.reply === reply)?.[2]
}

// rhost/for-spectrum.go: "AUP#In-1310" / "AUP#O-1000" codes, [low, high, reason]
const SPECTRUM: [number, number, string][] = [
  [1000, 1000, 'blocked'],
  [1010, 1010, 'rejected'],
  [1020, 1080, 'rejected'],
  [1090, 1090, 'systemerror'],
  [1100, 1150, 'requireptr'],
  [1160, 1190, 'policyviolation'],
  [1200, 1210, 'blocked'],
  [1220, 1250, 'blocked'],
  [1260, 1260, 'networkerror'],
  [1300, 1340, 'toomanyconn'],
  [1350, 1490, 'speeding'],
  [1500, 1500, 'rejected'],
  [1520, 1520, 'rejected'],
  [1530, 1530, 'mesgtoobig'],
  [1540, 1540, 'speeding'],
  [1550, 1550, 'speeding'],
  [1560, 1560, 'policyviolation'],
  [1580, 1580, 'speeding']
]

// rhost/for-tencent.go (https://service.mail.qq.com/detail/122)
const TENCENT_TEXT: Table = [
  ['authfailure', ['spf check failed', 'dmarc check failed']],
  ['blocked', ['suspected bounce attacks', 'suspected spam ip', 'connection denied']],
  ['mesgtoobig', ['message too large']],
  ['rejected', ['suspected spam', 'mail is rejected by recipients']],
  ['spamdetected', ['spam is embedded in the email', 'mail content denied']],
  ['speeding', ['mailbox unavailable or access denined', 'frequency of receiving messages is limited']],
  ['suspend', ['is a deactivated mailbox']],
  ['syntaxerror', ['bad address syntax']],
  [
    'toomanyconn',
    [
      'ip frequency limited',
      'domain frequency limited',
      'sender frequency limited',
      'connection frequency limited'
    ]
  ],
  ['userunknown', ['mailbox not found']]
]

// rhost/for-yahooinc.go
const YAHOO_TEXT: Table = [
  ['authfailure', ['yahoo requires all senders to authenticate with either spf or dkim']],
  ['blocked', [" because the ip is in spamhaus's list;", 'not accepted from ip addresses on spamhaus xbl']],
  ['norelaying', ['relaying denied for ']],
  ['notcompliantrfc', ['headers are not rfc compliant']],
  ['policyviolation', ['not accepted for policy reasons']],
  [
    'rejected',
    [
      'temporarily deferred due to unexpected volume or user complaints',
      'due to unresolvable rfc.5321 domain',
      ' will be permanently deferred'
    ]
  ],
  ['speeding', ['user is receiving mail too quickly']],
  ['suspend', [' is no longer valid.', 'this mailbox is disabled']],
  ['syntaxerror', ['syntax error in parameters or arguments']],
  ['toomanyconn', ['max message per connection reached']],
  ['userunknown', ["dd this user doesn't have a ", 'mailbox not found']]
]

// rhost/for-apple.go (https://support.apple.com/en-us/102322)
const APPLE_TEXT: Table = [
  ['authfailure', ['s dmarc policy', 'blocked for failing both spf and dkim autentication checks']],
  [
    'blocked',
    [
      'rejected due to having a domain present in the spamhaus',
      'rejected due to listing in spamhaus',
      'blocked - see https://support.proofpoint.com/dnsbl-lookup',
      'not accepting connections'
    ]
  ],
  ['hasmoved', ['recipient no longer on server']],
  ['mailboxfull', ['user is over quota']],
  ['norelaying', ['relay access denied']],
  ['notaccept', ['host/domain does not accept mail']],
  ['policyviolation', ['due to local policy']],
  ['rejected', ['sender address rejected']],
  ['speeding', ['due to excessive volume']],
  ['userunknown', ['inactive email address', 'user does not exist', 'unknown or illegal alias']]
]

// rhost/for-google.go: [reason, reply, status, wording]; reply and status compare without their class digit
// (go-sisimai matches "21" of 421 and "7.0" of 4.7.0), so a 550 row also covers 450 and the like
const GOOGLE: [string, string, string, string][] = [
  ['authfailure', '451', '4.7.24', 'the spf record of the sending domain'],
  ['authfailure', '550', '5.7.24', 'the spf record of the sending domain'],
  ['authfailure', '421', '4.7.26', 'senders to authenticate with either spf or dkim'],
  ['authfailure', '550', '5.7.26', 'senders to authenticate with either spf or dkim'],
  ['authfailure', '550', '5.7.26', 'fails to pass spf checks for an spf record with a hard fail'],
  ['authfailure', '550', '5.7.26', 'has an spf record with a hard fail policy'],
  ['authfailure', '451', '4.7.26', "is not accepted due to domain's dmarc policy"],
  ['authfailure', '550', '5.7.26', "is not accepted due to domain's dmarc policy"],
  ['authfailure', '550', '5.7.1', 'fails to pass authentication checks'],
  ['authfailure', '550', '5.7.26', 'fails to pass authentication checks'],
  ['authfailure', '421', '4.7.27', 'senders to authenticate with spf'],
  ['authfailure', '421', '4.7.27', 'senders to authenticate their email with spf'],
  ['authfailure', '550', '5.7.27', 'senders to authenticate with spf'],
  ['authfailure', '421', '4.7.30', 'senders to authenticate their email with dkim'],
  ['authfailure', '550', '5.7.30', 'senders to authenticate with dkim'],
  ['authfailure', '421', '4.7.32', 'aligned with either the authenticated spf or dkim'],
  ['authfailure', '421', '5.7.32', 'aligned with either the authenticated spf or dkim'],
  ['authfailure', '421', '4.7.40', 'to add a dmarc record to '],
  ['badreputation', '421', '4.7.0', 'very low reputation of the sending ip address'],
  ['badreputation', '421', '4.7.0', 'very low reputation of the sending domain'],
  ['badreputation', '550', '5.7.1', 'due to the very low reputation of the sending ip address'],
  ['badreputation', '550', '5.7.1', 'due to the very low reputation of the sending domain'],
  ['blocked', '421', '4.7.0', 'ip not in whitelist for rcpt domain'],
  ['blocked', '421', '4.7.0', 'try again later, closing connection.'],
  ['blocked', '501', '5.5.4', 'empty helo/ehlo argument not allowed'],
  ['blocked', '501', '5.5.4', 'helo/ehlo argument is invalid'],
  ['blocked', '421', '4.7.0', 'an unusual rate of unsolicited mail'],
  ['blocked', '421', '4.7.28', 'an unusual rate of mail'],
  ['blocked', '550', '5.7.1', 'an unusual rate of unsolicited mail'],
  ['blocked', '550', '5.7.28', 'an unusual rate of unsolicited mail'],
  ['exceedlimit', '552', '5.2.3', "exceeded google's message size limits"],
  ['exceedlimit', '552', '5.3.4', "exceeds google's limit of limit attachments."],
  ['exceedlimit', '552', '5.3.4', "your message exceeded google's message header size limits"],
  ['exceedlimit', '552', '5.3.4', 'bytes per individual header size'],
  ['exceedlimit', '552', '5.3.4', "exceeds google's header name limit of"],
  ['exceedlimit', '552', '5.3.4', "exceeds google's message header size limit"],
  ['expired', '421', '4.7.0', 'connection expired'],
  ['expired', '451', '4.4.2', 'timeout - closing connection'],
  ['failedstarttls', '530', '5.7.0', 'must issue a starttls command first'],
  ['failedstarttls', '454', '5.5.1', 'starttls may not be repeated'],
  ['failedstarttls', '421', '4.7.0', 'tls required for rcpt domain'],
  ['failedstarttls', '421', '4.7.29', 'senders to use tls/ssl for smtp'],
  ['failedstarttls', '550', '5.7.29', 'senders to use tls/ssl for smtp'],
  ['mailboxfull', '452', '4.2.2', 'inbox is out of storage space'],
  ['mailboxfull', '552', '5.2.2', 'inbox is out of storage space and inactive'],
  ['mailboxfull', '452', '4.2.2', 'is over quota'],
  ['mailboxfull', '552', '5.2.2', 'is over quota'],
  ['mailboxfull', '550', '5.7.1', 'email quota exceeded'],
  ['mesgtoobig', '552', '5.3.4', "exceeded google's message size limits"],
  ['mesgtoobig', '552', '5.3.4', "exceeds google's message size limit of"],
  ['networkerror', '554', '5.4.6', 'message exceeded 50 hops'],
  ['networkerror', '554', '5.6.0', 'message exceeded 50 hops'],
  ['norelaying', '550', '5.7.0', 'mail relay denied'],
  ['norelaying', '550', '5.7.1', 'invalid credentials for relay'],
  ['norelaying', '550', '5.7.1', 'is not authorized to send email directly to our servers'],
  ['notcompliantrfc', '550', '5.7.1', 'missing a valid address in the from: header'],
  ['notcompliantrfc', '550', '5.7.1', 'multiple addresses in from: header are not accepted'],
  ['notcompliantrfc', '550', '5.7.1', 'is not rfc 5322 compliant'],
  ['notcompliantrfc', '550', '5.7.1', 'missing a valid message-id: header'],
  ['notcompliantrfc', '550', '5.7.1', 'contains a unicode character in a disallowed header'],
  ['notcompliantrfc', '550', '5.7.1', 'encoded-word syntax is not permitted'],
  ['notcompliantrfc', '553', '5.1.7', 'is not a valid rfc 5321 address'],
  ['notcompliantrfc', '554', '5.6.0', 'mail message is malformed'],
  ['policyviolation', '552', '5.7.0', 'illegal attachment on your message'],
  ['policyviolation', '552', '5.7.0', 'blocked because its content presents a potential security issue'],
  ['policyviolation', '550', '5.7.1', 'you are sending to (or from) has a policy that prohibited'],
  ['policyviolation', '421', '4.7.28', 'sending messages with the same message-id:'],
  ['rejected', '550', '5.7.0', 'mail sending denied'],
  ['rejected', '550', '5.7.1', 'unauthenticated email is not accepted'],
  ['requireptr', '421', '4.7.0', 'does not have a ptr record'],
  ['requireptr', '421', '4.7.23', ' have a ptr record, or the ptr record'],
  [
    'requireptr',
    '550',
    '5.7.1',
    'does not meet ipv6 sending guidelines regarding ptr records and authentication'
  ],
  ['requireptr', '550', '5.7.25', 'does not have a ptr record'],
  ['requireptr', '550', '5.7.25', 'does not match the ip address of the hostname'],
  ['securityerror', '454', '4.7.0', 'too many login attempts'],
  ['securityerror', '501', '5.5.2', 'cannot decode response'],
  ['securityerror', '503', '5.7.0', 'no identity changes permitted'],
  ['securityerror', '530', '5.5.1', 'authentication required.'],
  ['securityerror', '530', '5.7.0', 'authentication required.'],
  ['securityerror', '535', '5.7.1', 'application-specific password required'],
  ['securityerror', '535', '5.7.9', 'application-specific password required'],
  ['securityerror', '535', '5.7.1', 'please log in with your web browser'],
  ['securityerror', '534', '5.7.9', 'please log in with your web browser'],
  ['securityerror', '534', '5.7.14', 'please log in through your web browser'],
  ['securityerror', '535', '5.7.1', 'username and password not accepted'],
  ['securityerror', '535', '5.7.8', 'username and password not accepted'],
  ['spamdetected', '421', '4.7.0', 'due to the nature of the content or the links within'],
  ['spamdetected', '550', '5.7.1', 'likely unsolicited mail'],
  ['speeding', '450', '4.2.1', 'is receiving mail too quickly'],
  ['speeding', '450', '4.2.1', 'peak smtp relay limit exceeded for customer'],
  ['speeding', '450', '4.2.1', 'rate that prevents additional messages from being delivered'],
  ['speeding', '550', '5.2.1', 'rate that prevents additional messages from being delivered'],
  ['speeding', '550', '5.4.5', 'daily sending quota exceeded'],
  ['speeding', '550', '5.4.5', 'daily user sending limit exceeded'],
  ['speeding', '550', '5.4.5', 'daily smtp relay limit exceeded for'],
  ['speeding', '550', '5.7.1', 'daily smtp relay limit exceeded for'],
  ['speeding', '550', '5.7.1', 'daily smtp relay sending limit exceeded for'],
  ['speeding', '550', '5.7.1', 'this mail has been rate limited'],
  ['suspend', '550', '5.2.1', 'account that you tried to reach is disabled'],
  ['suspend', '550', '5.2.1', 'account that you tried to reach is inactive'],
  ['syntaxerror', '451', '4.5.0', 'smtp protocol violation'],
  ['syntaxerror', '454', '4.5.0', 'smtp protocol violation'],
  ['syntaxerror', '525', '5.7.10', 'smtp protocol violation'],
  ['syntaxerror', '535', '5.5.4', 'optional argument not permitted'],
  ['syntaxerror', '501', '5.7.11', 'syntax error'],
  ['syntaxerror', '501', '5.5.2', 'syntax error'],
  ['syntaxerror', '555', '5.5.2', 'syntax error'],
  ['syntaxerror', '502', '5.5.1', 'too many unrecognized commands, goodbye'],
  ['syntaxerror', '502', '5.5.1', 'unimplemented command'],
  ['syntaxerror', '502', '5.5.1', 'unrecognized command'],
  ['syntaxerror', '503', '5.5.1', 'bad sequence of commands'],
  ['syntaxerror', '503', '5.5.1', 'ehlo/helo first'],
  ['syntaxerror', '503', '5.5.1', 'mail first'],
  ['syntaxerror', '503', '5.5.1', 'rcpt first'],
  ['syntaxerror', '503', '5.5.1', 'no data after bdat'],
  ['syntaxerror', '504', '5.7.4', 'unrecognized authentication type'],
  ['syntaxerror', '504', '5.7.4', 'xoauth is no longer supported'],
  ['syntaxerror', '554', '5.7.0', 'too many unauthenticated commands'],
  ['systemerror', '421', '4.3.0', 'temporary system problem'],
  ['systemerror', '421', '4.7.0', 'temporary system problem'],
  ['systemerror', '421', '4.4.5', 'server busy'],
  ['systemerror', '451', '4.3.0', 'multiple destination domains per transaction is unsupported'],
  ['systemerror', '451', '4.3.0', 'mail server has temporarily rejected this message'],
  ['systemerror', '451', '4.3.0', 'mail server temporarily rejected message'],
  ['systemerror', '452', '4.5.3', 'domain policy size per transaction exceeded'],
  ['systemerror', '454', '4.7.0', 'cannot authenticate due to temporary system problem'],
  ['toomanyconn', '452', '4.5.3', 'your message has too many recipients'],
  ['toomanyconn', '550', '5.5.3', 'too many recipients for this sender'],
  ['userunknown', '550', '5.1.1', 'the email account that you tried to reach does not exist'],
  ['userunknown', '553', '5.1.2', "we weren't able to find the recipient domain"],
  ['userunknown', '553', '5.1.3', 'is not a valid rfc 5321 address']
]

function google(v: RhostInput, t: string): string | undefined {
  if (!/^[245]\d\d$/.test(v.reply) || !/^[245]\.\d{1,3}\.\d{1,3}$/.test(v.status)) return undefined
  const reply = v.reply.slice(1)
  const status = v.status.slice(2)
  return GOOGLE.find(
    ([, r, s, words]) => r.slice(1) === reply && s.slice(2) === status && t.includes(words)
  )?.[0]
}

export const RHOST_CLASSES: RhostClass[] = [
  {
    // rhost/for-aol.go
    name: 'Aol',
    hosts: ['.mail.aol.com', '.mx.aol.com'],
    decide: (v) =>
      v.diag.includes('Host or domain name not found')
        ? 'hostunknown'
        : v.diag.includes('type=MX: Malformed or unexpected name server reply')
          ? 'notaccept'
          : undefined
  },
  {
    name: 'Apple',
    hosts: ['.mail.icloud.com', '.apple.com', '.me.com'],
    decide: (_v, t) => anyOf(APPLE_TEXT, t)
  },
  {
    name: 'Cox',
    hosts: ['cox.net'],
    decide: (v, t) => {
      const label = /AUP#([A-Za-z0-9]+)/.exec(v.diag)?.[1]
      if (label) {
        if (COX_CODES[label]) return COX_CODES[label]
        if (/^IPBL[01]{4}$/.test(label)) return 'blocked'
      }
      return anyOf(COX_TEXT, t)
    }
  },
  {
    name: 'Facebook',
    hosts: ['.facebook.com'],
    decide: (v) => {
      const m = /\b([A-Z]{3}-[PT]\d)\b/.exec(v.diag)
      return m ? FACEBOOK_CODES[m[1]] : undefined
    }
  },
  {
    name: 'FrancePTT',
    hosts: ['.laposte.net', '.orange.fr', '.wanadoo.fr'],
    decide: (_v, t) => {
      const u = t.replace(/_/g, '-')
      const m = /(?:lpnaaa|lpn|ofr|ouk)-?\d*-?(\d{3})\b/.exec(u)
      if (m && FRANCEPTT_CODES[m[1]]) return FRANCEPTT_CODES[m[1]]
      return u.includes('spf/dns de votre nom de domaine') ? 'authfailure' : undefined
    }
  },
  { name: 'Google', hosts: ['aspmx.l.google.com', 'gmail-smtp-in.l.google.com'], decide: google },
  {
    // rhost/for-gsuite.go: DNS wording is networkerror only when temporary, hostunknown only when permanent
    name: 'GSuite',
    hosts: ['googlemail.com'],
    decide: (v) => {
      const perm = v.status.startsWith('5') || v.reply.startsWith('5')
      const temp4 = v.status.startsWith('4') || v.status === '' || v.reply.startsWith('4') || v.reply === ''
      const has = (xs: string[]): boolean => xs.some((x) => v.diag.includes(x))
      if (
        has(["because the address couldn't be found. Check for typos or unnecessary spaces and try again."])
      )
        return 'userunknown'
      if (has(['Null MX'])) return 'notaccept'
      if (!temp4 && has([' responded with code NXDOMAIN', 'Domain name not found'])) return 'hostunknown'
      if (
        !perm &&
        has([' had no relevant answers.', 'responded with code NXDOMAIN', 'Domain name not found'])
      )
        return 'networkerror'
      return undefined
    }
  },
  {
    // rhost/for-kddi.go: "550 : User unknown" is au's content filter, "550 <rcpt>: User unknown" a real unknown
    name: 'KDDI',
    hosts: ['.ezweb.ne.jp', 'msmx.au.com'],
    decide: (_v, t) =>
      t.includes('550 : user unknown')
        ? 'filtered'
        : t.includes('>: user unknown')
          ? 'userunknown'
          : undefined
  },
  { name: 'MessageLabs', hosts: ['.messagelabs.com'], decide: (_v, t) => anyOf(MESSAGELABS_TEXT, t) },
  {
    name: 'Microsoft',
    hosts: ['.prod.outlook.com', '.protection.outlook.com', '.onmicrosoft.com', '.exchangelabs.com'],
    decide: microsoft
  },
  {
    name: 'Mimecast',
    hosts: ['.mimecast.com'],
    decide: (v, t) => MIMECAST.find(([, reply, words]) => reply === v.reply && t.includes(words))?.[0]
  },
  {
    // rhost/for-nttdocomo.go: the status, DOCOMO's own wording, then the rejected command decide. "550 Unknown
    // user" after DATA was DOCOMO's reception filter refusing the sender, after RCPT a missing mailbox. (Since
    // go-sisimai issue #64, March 2025, sisimai reads "550 Unknown user" as userunknown in any phase because
    // DOCOMO stopped filtering at SMTP time; the messages here predate that, so the phase still decides.)
    name: 'NTTDOCOMO',
    hosts: ['mfsmax.docomo.ne.jp'],
    decide: (v, t) => {
      if (v.status === '5.1.1' || v.status === '5.0.911') return 'userunknown'
      if (v.status === '5.2.0') return 'filtered'
      const hit = anyOf(
        [
          ['mailboxfull', ['552 too much mail data']],
          ['syntaxerror', ['503 bad sequence of commands', '504 command parameter not implemented']],
          ['toomanyconn', ['552 too many recipients']]
        ],
        t
      )
      if (hit) return hit
      if (v.status === '5.0.0' && v.command === 'RCPT') return 'userunknown'
      if (v.status === '5.0.0' && v.command === 'DATA') return 'rejected'
      return undefined
    }
  },
  {
    // rhost/for-outlook.go (consumer Outlook.com / Hotmail)
    name: 'Outlook',
    hosts: ['.hotmail.com'],
    decide: (v) =>
      v.diag.includes('The mail could not be delivered to the recipient because the domain is not reachable')
        ? 'hostunknown'
        : v.diag.includes('Requested action not taken: mailbox unavailable')
          ? 'userunknown'
          : undefined
  },
  {
    name: 'Spectrum',
    hosts: ['charter.net'],
    decide: (v) => {
      const m = /AUP#[A-Za-z]*-?(\d{4})/.exec(v.diag)
      if (!m) return undefined
      const n = Number(m[1])
      return SPECTRUM.find(([lo, hi]) => n >= lo && n <= hi)?.[2]
    }
  },
  { name: 'Tencent', hosts: ['.qq.com'], decide: (_v, t) => anyOf(TENCENT_TEXT, t) },
  { name: 'YahooInc', hosts: ['.yahoodns.net'], decide: (_v, t) => anyOf(YAHOO_TEXT, t) }
]

const hostOf = (s: string): string => {
  const h = s.trim().toLowerCase()
  return (h.includes('@') ? h.slice(h.lastIndexOf('@') + 1) : h).replace(/[[\]()]/g, '').replace(/\.$/, '')
}

/** Which provider class applies (go-sisimai rhost/lib.go Name(): destination, then rhost, then lhost). */
export function rhostClass(
  v: Pick<RhostInput, 'recipient' | 'remoteMta' | 'reportingMta'>
): RhostClass | undefined {
  const domain = v.recipient.includes('@') ? hostOf(v.recipient) : ''
  if (domain) {
    const c = RHOST_CLASSES.find((r) => r.hosts.some((h) => h.endsWith(domain)))
    if (c) return c
  }
  for (const host of [
    hostOf(v.remoteMta.split(/\s+/)[0] ?? ''),
    hostOf(v.reportingMta.split(/\s+/)[0] ?? '')
  ]) {
    if (!host) continue
    const c = RHOST_CLASSES.find((r) => r.hosts.some((h) => host.endsWith(h)))
    if (c) return c
  }
  return undefined
}

/** The provider's own reason for this error, or undefined when no table applies or none matches. */
export function rhostReason(v: RhostInput): string | undefined {
  if (!v.diag) return undefined
  const c = rhostClass(v)
  if (!c) return undefined
  const r = c.decide(v, v.diag.toLowerCase())
  return r || undefined
}
