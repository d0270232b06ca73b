import type { ParsedMessage } from '../mime/types'

/**
 * Provider-specific error codes whose meaning the generic text patterns miss. Sources: Microsoft
 * "Email non-delivery reports in Exchange Online" (5.7.x NDR codes, S3140/S3150 block list references) and
 * sisimai's rhost/ modules (go-sisimai rhost/*.go) for the provider tables.
 */
export interface VendorInput {
  diag: string
  status: string
  reply: string
  remoteMta: string
  recipient: string
  format: string
  msg: ParsedMessage
}

interface Rule {
  test: RegExp
  reason: string
  note: string
}

const RULES: Rule[] = [
  // Outlook.com / Office 365 consumer block list: "messages from [ip] weren't sent ... (S3150)" (and S3140)
  {
    test: /\(S3[01][0-9]{2}\)|part of their network is on our block list/i,
    reason: 'blocked',
    note: 'Microsoft block list'
  },
  // Exchange Online: 5.7.515 / 5.7.509 = sender domain fails the authentication requirements (SPF/DKIM/DMARC)
  { test: /\b5\.7\.(515|509|23|26)\b/, reason: 'authfailure', note: 'Microsoft authentication requirements' },
  // Exchange Online: 5.7.606-649 = sending IP banned
  { test: /\b5\.7\.6[0-4]\d\b/, reason: 'blocked', note: 'Microsoft banned sending IP' },
  // Queue-lifetime expiry wording of MTAs (sisimai lhost/exim.go, gmail.go, opensmtpd.go message tables)
  {
    test: /retry timeout exceeded|message will be retried for|did not accept our requests to connect|envelope expired|delivery time expired|has not been delivered for|could not be delivered within|retry time not reached/i,
    reason: 'expired',
    note: 'queue lifetime exceeded'
  }
]

// Google's DNS failure wording in its DSNs (go-sisimai rhost/for-google.go / reason tables): a Null MX
// (RFC 7505) means the domain accepts no mail; other failed MX/A lookups are network (DNS) errors.
const GOOGLE_DNS: [RegExp, string][] = [
  [/returned null mx|doesn't receive email according to the administrator/, 'notaccept'],
  [/dns type '(mx|a|aaaa)' lookup of \S+ responded with code/, 'networkerror']
]

// Exchange 2000/2003 "MSEXCH:IMS ... (000C05A6) Unknown Recipient" status words (sisimai
// lib/Sisimai/Lhost/Exchange2003.pm $errorcodes)
const EXCHANGE2003_CODES: [RegExp, string][] = [
  [/\(000C05A6\)/, 'userunknown'],
  [/\((00010256|000D06B5)\)/, 'systemerror'],
  [/\(00120270\)/, 'networkerror'],
  [/\((00050311|000502CC)\)/, 'contenterror'],
  [/\(000B0981\)/, 'securityerror'],
  [/\(000C0595\)/, 'filtered']
]

export function vendorReason(v: VendorInput): string | undefined {
  if (v.diag.includes('MSEXCH:'))
    for (const [re, reason] of EXCHANGE2003_CODES) if (re.test(v.diag)) return reason
  const t = v.diag.toLowerCase()
  for (const [re, reason] of GOOGLE_DNS) if (re.test(t)) return reason
  // Google Groups refuses posts from non-members / to missing groups with an NDR from googlemail.com
  // (sisimai lhost/googlegroups.go sets "rejected").
  if (
    /@googlegroups\.com$|google-groups|groups\./i.test(v.recipient) &&
    /Google Groups|Google グループ|googlegroups/i.test(v.msg.text) &&
    !/account that you tried to reach does not exist/i.test(v.diag)
  )
    return 'rejected'
  for (const r of RULES) if (r.test.test(v.diag)) return r.reason
  return undefined
}
