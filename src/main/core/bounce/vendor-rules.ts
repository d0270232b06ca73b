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

export function vendorReason(v: VendorInput): string | undefined {
  // Google Groups refuses posts from non-members / to missing groups with an NDR from googlemail.com
  // (sisimai lhost/googlegroups.go sets "rejected").
  if (
    /@googlegroups\.com$|google-groups|groups\./i.test(v.recipient) &&
    /Google Groups|Google グループ|googlegroups/i.test(v.msg.text)
  )
    return 'rejected'
  for (const r of RULES) if (r.test.test(v.diag)) return r.reason
  return undefined
}
