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

export const Permanence = z.enum(['permanent', 'temporary'])
export type Permanence = z.infer<typeof Permanence>

/**
 * What kind of automatic mail this is: a non-delivery report (`bounce`), a delay notice (RFC 3464 Action: delayed,
 * `delay`), an auto-reply (RFC 3834, `auto-reply`), a challenge-response request (`challenge`), an abuse/feedback
 * report (RFC 5965 ARF, `feedback`), or none of these.
 */
export const BounceKind = z.enum(['bounce', 'delay', 'auto-reply', 'challenge', 'feedback', 'none'])
export type BounceKind = z.infer<typeof BounceKind>

export const BounceRecipient = z.object({
  /** Final-Recipient (RFC 3464 2.3.2) or the address found in the NDR text. */
  recipient: z.string(),
  originalRecipient: z.string().optional(),
  /** failed | delayed | delivered | relayed | expanded (RFC 3464 2.3.3). */
  action: z.string().optional(),
  /**
   * Enhanced status code X.Y.Z (RFC 3463): the one the bounce states, else one inferred from the reply code or the
   * reason (then `statusInferred` is true). Absent only when nothing at all points at one.
   */
  status: z.string().optional(),
  /** True when `status` is not written in the bounce but inferred (RFC 3463 §3 subject/detail of the reason). */
  statusInferred: z.boolean().optional(),
  /** SMTP reply code (RFC 5321 4.2), e.g. "550". */
  replyCode: z.string().optional(),
  diagnosticType: z.string().optional(),
  /** The remote server's error text, unwrapped. */
  diagnosticCode: z.string().optional(),
  remoteMta: z.string().optional(),
  /** The IP of the server that answered (Remote-MTA's address, or "host mx[ip] said"): the receiver's. */
  remoteIp: z.string().optional(),
  reportingMta: z.string().optional(),
  /** SMTP command that was rejected, when known (CONN, EHLO, MAIL, RCPT, DATA ...). */
  command: z.string().optional(),
  arrivalDate: z.string().optional(),
  lastAttemptDate: z.string().optional(),
  reason: BounceReason,
  /** ARF feedback type (RFC 5965), for reason "feedback". */
  feedbackType: z.string().optional(),
  /** ARF Source-IP (RFC 5965 §3.2): the IP the reported message came from. */
  sourceIp: z.string().optional(),
  /**
   * Whether the failure is final: `permanent` (RFC 3463 class 5, RFC 5321 5yz, Action: failed with nothing
   * saying otherwise) or `temporary` (class 4, 4yz, Action: delayed). Always present for a failed recipient.
   */
  permanence: Permanence.optional(),
  /**
   * The address itself is bad: unknown user or host, moved, or a domain that accepts no mail — permanently. Never
   * set for a block on the sender (blocklist, policy, authentication, rate limit): suppressing the recipient
   * would not help and would lose a good address.
   */
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
  /** True for a bounce or a delay notice: some recipient did not get the message (yet). */
  isBounce: z.boolean(),
  kind: BounceKind.default('none'),
  /** Detected format / MTA module, e.g. "RFC3464", "Postfix", "Exim", "Exchange2007", "ARF", "smtp-line". */
  format: z.string(),
  reportingMta: z.string().optional(),
  recipients: z.array(BounceRecipient),
  original: BounceOriginal.optional()
})
export type BounceResult = z.infer<typeof BounceResult>
