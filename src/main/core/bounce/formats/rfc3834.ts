import { cleanAddress } from '../dsn'
import { squash, type FormatParser } from './types'

/**
 * Auto-replies (RFC 3834 Auto-Submitted; vendors' X-Auto-Response-Suppress, X-Apple-Action, "Automatic reply:"
 * subjects). Not a bounce: reported as reason "vacation" for the sender of the reply. Recognition follows sisimai
 * lib/Sisimai/RFC3834.pm, including its exclusions (sudo notices, Exim "Mail failure -", mail from daemons).
 */
const AUTO_HEADERS: [string, RegExp][] = [
  ['auto-submitted', /^auto-(generated|replied|notified)/],
  ['x-auto-response-suppress', /oof|autoreply/],
  ['x-apple-action', /^vacation$/],
  ['precedence', /^auto_reply$/],
  ['subject', /^(auto:|auto response:|auto reply:|automatic reply:|out of (the )?office:)/]
]
const EXCLUDE_SUBJECT = /security information for|mail failure -/
const EXCLUDE_FROM = /(root|postmaster|mailer-daemon)@/

export const rfc3834: FormatParser = {
  name: 'RFC3834',
  parse({ msg, body, from, subject, header }) {
    if (EXCLUDE_SUBJECT.test(subject.toLowerCase()) || EXCLUDE_FROM.test(from.toLowerCase())) return undefined
    const hit = AUTO_HEADERS.some(([h, re]) =>
      re.test((h === 'subject' ? subject : (header(h) ?? '')).toLowerCase())
    )
    if (!hit) return undefined
    const who = msg.from?.address || cleanAddress(header('return-path') ?? '')
    if (!who.includes('@')) return undefined
    const firstLines = body
      .split('\n')
      .filter((l) => l.trim())
      .slice(0, 5)
      .join(' ')
    return [{ recipient: who, diagnosticCode: squash(firstLines || subject), reason: 'vacation' }]
  }
}
