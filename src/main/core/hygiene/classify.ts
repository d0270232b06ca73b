import type { Analysis, BounceInfo } from '../../../shared/schemas/analysis'
import type { BounceReason, BounceRecipient } from '../../../shared/schemas/bounce'

/**
 * Sending health: what one message of a bounce/feedback mailbox says about each address, from the diagnosis
 * engine's analysis. Pure: the ingest service (I/O, database) calls it once per message.
 *
 * The one rule that matters most: a block ON THE SENDER (blocklist, policy, authentication, reverse DNS, rate
 * limit, TLS, content) says nothing about the recipient's address. Suppressing that address would lose a good
 * contact and hide the real problem, so such a recipient becomes a `block` event (a sending problem), never a
 * bounce that counts toward suppression.
 */

export type HygieneKind =
  'bounce' | 'delay' | 'auto-reply' | 'complaint' | 'challenge' | 'dmarc-report' | 'tls-report' | 'other'

export type EventType = 'hard' | 'soft' | 'complaint' | 'block' | 'delay'

export interface HygieneEvent {
  email: string
  /** The receiving domain (the address's domain part), for rates and clusters. */
  domain: string
  type: EventType
  reason: string
  /** RFC 3463 enhanced status code, when known. */
  status: string
  /** The verdict's cause for a block (blocklist, authentication …); '' otherwise. */
  cause: string
  /** A provider's own code in the reply (Microsoft S3150, Yahoo TSS04, Gmail's 5.7.26 …), for clusters. */
  code: string
  /** The remote server's words, trimmed, so a cluster can quote them. */
  diagnostic: string
  feedbackType?: string
  sourceIp?: string
}

export interface ClassifiedMessage {
  kind: HygieneKind
  events: HygieneEvent[]
  /** ARF (RFC 5965 §3.1): the reported original's Message-ID and List-Id, to find the campaign. */
  originalMessageId?: string
  listId?: string
}

/**
 * sisimai reasons that describe the sender or the message rather than the address (go-sisimai reason/*.go
 * descriptions): the receiving side refused *us*. `rejected` is sisimai's "the envelope sender was rejected".
 */
const SENDER_SIDE_REASONS = new Set<BounceReason>([
  'authfailure',
  'badreputation',
  'blocked',
  'contenterror',
  'failedstarttls',
  'mesgtoobig',
  'norelaying',
  'notcompliantrfc',
  'policyviolation',
  'ratelimited',
  'rejected',
  'requireptr',
  'securityerror',
  'spamdetected',
  'speeding',
  'syntaxerror',
  'toomanyconn',
  'virusdetected'
])

/** Verdict causes that put the fault on the sending side (src/main/core/diagnose/verdict.ts). */
const SENDER_SIDE_CAUSES = new Set([
  'authentication',
  'blocklist',
  'reputation',
  'relay-denied',
  'reverse-dns',
  'content-spam',
  'recipient-policy',
  'rate-limit',
  'tls-required',
  'tls-unavailable'
])

/** Not failures at all for a suppression list. */
const NOT_A_FAILURE = new Set<BounceReason>(['delivered', 'vacation', 'feedback'])

const CODE_RES = [
  /\b(S\d{4})\b/, // Microsoft 365 / Outlook.com (S3150, S3140 …)
  /\b(AS\(\d{3,5}\))/, // Microsoft "AS(1234)" policy codes
  /\b(TS[SM]\d{2})\b/, // Yahoo / AOL TSS04, TSM02
  /\b(RL\d{2}|HL\d{2}|UX\d{2})\b/i, // AOL/Yahoo legacy codes
  /\b([45]\.7\.\d{1,3})\b/ // the security/policy class of RFC 3463 §3.8 as a last resort
]

export function providerCode(text: string | undefined, status: string | undefined): string {
  if (text) {
    for (const re of CODE_RES) {
      const m = re.exec(text)
      if (m) return m[1].toUpperCase()
    }
  }
  return status ?? ''
}

export function domainOf(email: string): string {
  const at = email.lastIndexOf('@')
  return at < 0 ? '' : email.slice(at + 1).toLowerCase()
}

export function normaliseEmail(raw: string): string {
  return raw
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/^rfc822;\s*/i, '')
    .toLowerCase()
}

function recipientEvent(r: BounceRecipient, type: EventType, cause: string): HygieneEvent | undefined {
  const email = normaliseEmail(r.recipient ?? '')
  if (!email.includes('@')) return undefined
  return {
    email,
    domain: domainOf(email),
    type,
    reason: r.reason,
    status: r.status ?? '',
    cause,
    code: providerCode(r.diagnosticCode, r.status),
    diagnostic: (r.diagnosticCode ?? '').replace(/\s+/g, ' ').trim().slice(0, 300),
    ...(r.feedbackType ? { feedbackType: r.feedbackType } : {}),
    ...(r.sourceIp ? { sourceIp: r.sourceIp } : {})
  }
}

/** Which of hard / soft / block one failed recipient is (see the module comment). */
export function failureType(
  r: BounceRecipient,
  verdictCause: string | undefined | (() => string | undefined)
): 'hard' | 'soft' | 'block' {
  // hardBounce is set by the engine ONLY for a bad address (userunknown, hostunknown, hasmoved, notaccept).
  if (r.hardBounce) return 'hard'
  if (SENDER_SIDE_REASONS.has(r.reason)) return 'block'
  // A generic reason ("undefined", "filtered", "onhold") with a verdict that names a sender-side cause.
  if (['mailboxfull', 'suspend'].includes(r.reason)) return 'soft'
  const cause = typeof verdictCause === 'function' ? verdictCause() : verdictCause
  return cause && SENDER_SIDE_CAUSES.has(cause) ? 'block' : 'soft'
}

/** The sender-side cause of a block: the verdict's, else one read from the reason alone. */
function blockCause(r: BounceRecipient, verdictCause: string | undefined): string {
  if (verdictCause && SENDER_SIDE_CAUSES.has(verdictCause)) return verdictCause
  const byReason: Partial<Record<BounceReason, string>> = {
    authfailure: 'authentication',
    badreputation: 'reputation',
    blocked: 'blocklist',
    requireptr: 'reverse-dns',
    ratelimited: 'rate-limit',
    speeding: 'rate-limit',
    toomanyconn: 'rate-limit',
    failedstarttls: 'tls-required',
    norelaying: 'relay-denied',
    spamdetected: 'content-spam',
    virusdetected: 'content-spam',
    contenterror: 'content-spam',
    policyviolation: 'recipient-policy',
    rejected: 'recipient-policy'
  }
  return byReason[r.reason] ?? 'other'
}

/**
 * A DMARC aggregate report (RFC 7489 §7.2.1.1: subject "Report Domain: … Submitter: … Report-ID: …", a zip or
 * gzip XML attachment) or an SMTP TLS report (RFC 8460 §5.3: `multipart/report; report-type=tlsrpt` and the
 * `TLS-Report-Domain` header). Read from the header block only: cheap, and the reports are stored raw for the
 * DMARC reports feature to parse.
 */
export function detectReport(head: string): 'dmarc-report' | 'tls-report' | undefined {
  if (/^tls-report-domain:/im.test(head) || /report-type\s*=\s*"?tlsrpt/i.test(head)) return 'tls-report'
  if (/^subject:[^\n]*report\s+domain:\s*\S+/im.test(head) && /submitter:/i.test(head)) return 'dmarc-report'
  return undefined
}

function headerOf(headers: { name: string; value: string }[] | undefined, name: string): string | undefined {
  return headers?.find((h) => h.name.toLowerCase() === name)?.value
}

/**
 * What classification reads from a message. The full analysis provides all of it; the ingest's light path
 * (light.ts) computes the same fields without the parts hygiene does not use. `cause` is a function because
 * only some failed recipients need the verdict (see failureType), and it is the costly part.
 */
export interface ClassifyInput {
  kind: Analysis['kind']
  bounce?: Pick<BounceInfo, 'kind' | 'isBounce' | 'recipients'>
  cause: () => string | undefined
  originalMessageId?: string | null
  listId?: string
}

/** One analysed message → its kind and one event per concerned address. */
export function classifyAnalysis(a: Analysis): ClassifiedMessage {
  return classifyInput({
    kind: a.kind,
    bounce: a.bounce,
    cause: () => a.verdict?.cause,
    originalMessageId: a.original?.summary.messageId,
    listId: headerOf(a.original?.headers, 'list-id')
  })
}

export function classifyInput(a: ClassifyInput): ClassifiedMessage {
  const b = a.bounce
  let cause: string | undefined
  let known = false
  const causeOf = () => {
    if (!known) {
      cause = a.cause()
      known = true
    }
    return cause
  }
  if (a.kind === 'feedback' || b?.kind === 'feedback') {
    const events = (b?.recipients ?? [])
      // RFC 5965 §3.1 Feedback-Type: "not-spam" is the opposite of a complaint.
      .filter((r) => (r.feedbackType ?? 'abuse').toLowerCase() !== 'not-spam')
      .map((r) => recipientEvent(r, 'complaint', ''))
      .filter((e): e is HygieneEvent => !!e)
    const originalMessageId = a.originalMessageId ?? undefined
    const listId = a.listId
    return {
      kind: 'complaint',
      events,
      ...(originalMessageId ? { originalMessageId } : {}),
      ...(listId ? { listId } : {})
    }
  }
  if (a.kind === 'auto-reply' || b?.kind === 'auto-reply') return { kind: 'auto-reply', events: [] }
  if (a.kind === 'challenge' || b?.kind === 'challenge') return { kind: 'challenge', events: [] }
  if (b && b.kind === 'delay') {
    const events = b.recipients
      .map((r) => recipientEvent(r, 'delay', ''))
      .filter((e): e is HygieneEvent => !!e)
    return { kind: 'delay', events }
  }
  if (b && (a.kind === 'bounce' || b.isBounce)) {
    const events: HygieneEvent[] = []
    for (const r of b.recipients) {
      if (NOT_A_FAILURE.has(r.reason)) continue
      const t = failureType(r, causeOf)
      const e = recipientEvent(r, t, t === 'block' ? blockCause(r, causeOf()) : '')
      if (e) events.push(e)
    }
    // A bounce whose recipients are all "delivered" or unreadable is still a bounce message; it just adds no event.
    return { kind: 'bounce', events }
  }
  return { kind: 'other', events: [] }
}
