import { z } from 'zod'

/**
 * Result of bounce (DSN / NDR) analysis, see src/main/core/bounce. Field names follow RFC 3464 section 2.3
 * (per-recipient fields) and the reason vocabulary is sisimai's (go-sisimai reason/lib.go), so results can be
 * compared with sisimai's corpus labels.
 */

export const BounceReason = z.enum([
  'authfailure',
  'badreputation',
  'blocked',
  'contenterror',
  'delivered',
  'exceedlimit',
  'expired',
  'failedstarttls',
  'feedback',
  'filtered',
  'hasmoved',
  'hostunknown',
  'mailboxfull',
  'mailererror',
  'mesgtoobig',
  'networkerror',
  'norelaying',
  'notaccept',
  'notcompliantrfc',
  'onhold',
  'policyviolation',
  'ratelimited',
  'rejected',
  'requireptr',
  'securityerror',
  'spamdetected',
  'speeding',
  'suppressed',
  'suspend',
  'syntaxerror',
  'systemerror',
  'systemfull',
  'toomanyconn',
  'undefined',
  'userunknown',
  'vacation',
  'virusdetected'
])
export type BounceReason = z.infer<typeof BounceReason>

export const BounceRecipient = z.object({
  /** Final-Recipient (RFC 3464 2.3.2) or the address found in the NDR text. */
  recipient: z.string(),
  originalRecipient: z.string().optional(),
  /** failed | delayed | delivered | relayed | expanded (RFC 3464 2.3.3). */
  action: z.string().optional(),
  /** Enhanced status code X.Y.Z (RFC 3463), empty when the bounce carries none. */
  status: z.string().optional(),
  /** SMTP reply code (RFC 5321 4.2), e.g. "550". */
  replyCode: z.string().optional(),
  diagnosticType: z.string().optional(),
  /** The remote server's error text, unwrapped. */
  diagnosticCode: z.string().optional(),
  remoteMta: z.string().optional(),
  reportingMta: z.string().optional(),
  /** SMTP command that was rejected, when known (CONN, EHLO, MAIL, RCPT, DATA ...). */
  command: z.string().optional(),
  arrivalDate: z.string().optional(),
  lastAttemptDate: z.string().optional(),
  reason: BounceReason,
  /** ARF feedback type (RFC 5965), for reason "feedback". */
  feedbackType: z.string().optional(),
  /** True for a permanent failure (5xx) as opposed to a delay/transient failure. */
  hardBounce: z.boolean().optional()
})
export type BounceRecipient = z.infer<typeof BounceRecipient>

export const BounceOriginal = z.object({
  /** Raw text of the returned message (message/rfc822, text/rfc822-headers or the quoted copy). */
  raw: z.string(),
  headersOnly: z.boolean()
})
export type BounceOriginal = z.infer<typeof BounceOriginal>

export const BounceResult = z.object({
  isBounce: z.boolean(),
  /** Detected format / MTA module, e.g. "RFC3464", "Postfix", "Exim", "Exchange2007", "ARF", "smtp-line". */
  format: z.string(),
  reportingMta: z.string().optional(),
  recipients: z.array(BounceRecipient),
  original: BounceOriginal.optional()
})
export type BounceResult = z.infer<typeof BounceResult>
