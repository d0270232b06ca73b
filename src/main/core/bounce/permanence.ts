import type { BounceReason, Permanence } from '../../../shared/schemas/bounce'

/**
 * Whether a failure is final, the status code when the bounce states none, and whether the address itself is bad.
 *
 * RFC 3463 §3.1 makes the class digit of an enhanced status code the answer: 4 = persistent transient failure
 * ("the message as sent is valid, but … may be successful if tried again"), 5 = permanent. RFC 5321 §4.2.1 says the
 * same of the first digit of the reply code. RFC 3464 §2.3.3 adds the Action field: "delayed" is a transient
 * failure the MTA will keep retrying; "failed" means the MTA gave up. When none of them is there (old plain-text
 * NDRs), the words decide; a returned message with no word of retrying is final, since the MTA sent it back.
 */

const TEMPORARY_WORDS =
  /\b(?:temporar(?:y|ily)|transient|will (?:continue to |be )?retr(?:y|ied)|still (?:be )?(?:trying|retrying|being retried)|retry(?:ing)? (?:later|for)|try(?:ing)? again later|has been delayed|is delayed|delay(?:ed)? (?:mail|delivery)|deferred|not yet been delivered|no action is required|greylist|grey-?listed|gr[ae]ylisting)\b/i
// Words that settle it ("permanent failure", "giving up"), and the generic ones every returned message uses, which
// lose to explicit retry advice ("maildir delivery failed: … please try again later"). Gmail's "You'll be notified
// if the delivery fails permanently" is a condition, not a statement, so "fails permanently" is not listed.
const PERMANENT_STRONG =
  /\b(?:permanent (?:failure|error|fatal)|permanently (?:failed|rejected|undeliverable)|failed permanently|fatal (?:error|failure)s?|giving up|gave up|no longer (?:exists|valid))\b/i
const PERMANENT_WORDS =
  /\b(?:could not be delivered|couldn'?t be delivered|wasn'?t delivered|was not delivered|undeliverable|delivery (?:has )?failed|address(?:\(es\)|es)? failed)\b/i

/** Reasons that, with no code or word saying otherwise, are transient conditions (sisimai's soft bounces). */
const TRANSIENT_REASONS = new Set<BounceReason>([
  'networkerror',
  'systemfull',
  'toomanyconn',
  'speeding',
  'ratelimited',
  'mailboxfull'
])

export interface PermanenceInput {
  status?: string
  replyCode?: string
  action?: string
  reason: BounceReason
  diagnosticCode?: string
  /**
   * The bounce as a whole is a delay notice (subject or layout says the MTA is still trying). A function: it scans
   * the notice's text, and is only asked when the codes and the action leave the permanence open.
   */
  delayNotice?: () => boolean
  /** The bounce's own text around the recipients (not the remote reply), for its permanent-failure wording. */
  reportText?: string
}

export function permanenceOf(f: PermanenceInput): Permanence {
  const action = (f.action ?? '').toLowerCase()
  if (action === 'delayed') return 'temporary'
  if (f.status && /^[45]\./.test(f.status)) return f.status.startsWith('5') ? 'permanent' : 'temporary'
  if (f.replyCode && /^[45]\d\d$/.test(f.replyCode))
    return f.replyCode.startsWith('5') ? 'permanent' : 'temporary'
  if (action === 'failed') return 'permanent'
  if (f.delayNotice?.()) return 'temporary'
  const text = f.diagnosticCode ?? ''
  if (PERMANENT_STRONG.test(text)) return 'permanent'
  if (TEMPORARY_WORDS.test(text)) return 'temporary'
  if (PERMANENT_WORDS.test(text)) return 'permanent'
  const report = f.reportText ?? ''
  if (PERMANENT_STRONG.test(report) || PERMANENT_WORDS.test(report)) return 'permanent'
  // RFC 3463 §3.3 calls X.2.2 "mailbox full" useful only as a persistent transient error; "expired" is the MTA
  // giving up after retrying (4.4.7 / 5.4.7), so the message will not arrive: permanent
  return TRANSIENT_REASONS.has(f.reason) ? 'temporary' : 'permanent'
}

/**
 * The RFC 3463 subject.detail a reason stands for, used only when the bounce states no code. Each is the code
 * the RFC (or RFC 7372 / RFC 7505 / RFC 8601) defines for that condition; reasons with no single code map to the
 * subject's "other" detail (x.7.1 "delivery not authorized" for a policy refusal, x.0.0 otherwise).
 */
const REASON_STATUS: Partial<Record<BounceReason, string>> = {
  userunknown: '1.1',
  hostunknown: '1.2',
  hasmoved: '1.6',
  notaccept: '1.10', // RFC 7505 §4.2 null MX
  mailboxfull: '2.2',
  suspend: '2.1',
  exceedlimit: '2.3',
  mesgtoobig: '3.4',
  systemfull: '3.1',
  systemerror: '3.0',
  mailererror: '3.0',
  networkerror: '4.1',
  expired: '4.7',
  toomanyconn: '4.5',
  syntaxerror: '5.2',
  contenterror: '6.0',
  norelaying: '7.1',
  blocked: '7.1',
  rejected: '7.1',
  policyviolation: '7.1',
  securityerror: '7.1',
  spamdetected: '7.1',
  virusdetected: '7.1',
  filtered: '7.1',
  badreputation: '7.1',
  speeding: '7.1',
  ratelimited: '7.1',
  requireptr: '7.25', // RFC 8601 §6.3 / IANA: reverse DNS validation failed
  authfailure: '7.26', // RFC 7372 §3.3 multiple authentication checks failed
  failedstarttls: '7.10', // RFC 7372 §3.1 encryption needed
  notcompliantrfc: '6.0'
}

export function inferStatus(reason: BounceReason, permanence: Permanence): string | undefined {
  const tail = REASON_STATUS[reason]
  if (!tail)
    return reason === 'vacation' || reason === 'feedback' || reason === 'delivered'
      ? undefined
      : `${permanence === 'permanent' ? 5 : 4}.0.0`
  return `${permanence === 'permanent' ? 5 : 4}.${tail}`
}

/** Reasons that say the address is bad, not the sender (RFC 3463 x.1.y "addressing status"). */
const BAD_ADDRESS = new Set<BounceReason>(['userunknown', 'hostunknown', 'hasmoved', 'notaccept'])

export function isHardBounce(reason: BounceReason, permanence: Permanence): boolean {
  return permanence === 'permanent' && BAD_ADDRESS.has(reason)
}
