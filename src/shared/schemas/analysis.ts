import { z } from 'zod'
import { Text } from '../text'
import { AntispamReport } from './antispam'
import { BounceResult } from './bounce'
import { Finding } from './common'
import { AuthCheck, AuthComparison, Hop, HopAnomaly, HopEdge, RecordedAuth } from './message'
import { Verdict } from './verdict'

/**
 * The analysis of one piece of evidence, as stored in the case and returned by `message.analyze`.
 * Sub-analyses (hops, auth, antispam, bounce, verdict) have their own schemas in sibling files.
 */
/**
 * `bounce` covers delay notices too (see `bounce.kind`); `auto-reply`, `challenge` and `feedback` are automatic
 * mail that is not a delivery failure (RFC 3834 auto-replies, challenge-response requests, RFC 5965 reports).
 */
export const EvidenceKind = z.enum([
  'bounce',
  'message',
  'headers',
  'smtp-text',
  'auto-reply',
  'challenge',
  'feedback',
  'error'
])
export type EvidenceKind = z.infer<typeof EvidenceKind>

export const HeaderField = z.object({ name: z.string(), value: z.string() })
export type HeaderField = z.infer<typeof HeaderField>

/** One fact about a party, with where it was read (a header, a DSN field, a quoted reply) and how sure we are. */
export const PartyValue = z.object({
  value: z.string(),
  /** e.g. "original:From", "Remote-MTA", "diagnostic:user@example.com", "original:Received#2". */
  source: z.string(),
  confidence: z.number().min(0).max(1)
})
export type PartyValue = z.infer<typeof PartyValue>

/**
 * Who is who (see core/diagnose/parties.ts). The sender is the admin's side: every fix, sweep target and letter
 * uses only these values. The receiver is the side that refused (or reported) the message; relays are in between.
 */
export const Parties = z.object({
  sender: z.object({
    /** The original's From domain: what DMARC aligns with (RFC 7489 §3.1). */
    domain: PartyValue.nullable(),
    /** The envelope (MAIL FROM / Return-Path) domain: what SPF checks (RFC 7208 §2.4). */
    envelopeDomain: PartyValue.nullable(),
    /** The sending MTA's host name, its HELO and its IP, as the receiver saw them. */
    host: PartyValue.nullable(),
    helo: PartyValue.nullable(),
    ip: PartyValue.nullable()
  }),
  receiver: z.object({
    /** The host that refused the message, its IP, and its organisation's domain. */
    host: PartyValue.nullable(),
    ip: PartyValue.nullable(),
    domain: PartyValue.nullable()
  }),
  relays: z.array(z.object({ host: z.string().nullable(), ip: z.string().nullable(), source: z.string() }))
})
export type Parties = z.infer<typeof Parties>

export const MessageSummary = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  subject: z.string().nullable(),
  date: z.string().nullable(),
  messageId: z.string().nullable(),
  returnPath: z.string().nullable().optional()
})
export type MessageSummary = z.infer<typeof MessageSummary>

export const AnalysisError = z.object({ code: z.string(), message: z.string() })

/**
 * Authentication of one message: what the receivers recorded (RFC 8601 / 8617 / 7208 §9.1) and, after
 * `evidence.reverify`, a re-verification today with the comparison. `now` absent = not re-verified yet.
 */
export const AuthAnalysis = z.object({
  recorded: RecordedAuth,
  now: AuthCheck.optional(),
  comparison: AuthComparison.optional()
})
export type AuthAnalysis = z.infer<typeof AuthAnalysis>

/** The bounce as stored: the returned message's raw text is not duplicated here (it is in the stored bytes). */
export const BounceInfo = BounceResult.omit({ original: true }).extend({
  original: z.object({ headersOnly: z.boolean(), size: z.number().int() }).optional()
})
export type BounceInfo = z.infer<typeof BounceInfo>

/** The message a bounce returned, analysed like a message but without bodies (RFC 3462 / RFC 6522 third part). */
export const OriginalAnalysis = z.object({
  headersOnly: z.boolean(),
  summary: MessageSummary,
  headers: z.array(HeaderField),
  hops: z.array(Hop),
  totalDelaySec: z.number().nullable(),
  edge: HopEdge.nullable(),
  hopAnomalies: z.array(HopAnomaly).default([]),
  sendingIp: z.string().nullable(),
  sendingDomain: z.string().nullable(),
  auth: AuthAnalysis,
  antispam: AntispamReport
})
export type OriginalAnalysis = z.infer<typeof OriginalAnalysis>

export const Analysis = z.object({
  file: z.string(),
  kind: EvidenceKind,
  summary: MessageSummary,
  headers: z.array(HeaderField),
  /** The Received chain, sender first (see schemas/message.ts). */
  hops: z.array(Hop),
  totalDelaySec: z.number().nullable(),
  edge: HopEdge.nullable(),
  hopAnomalies: z.array(HopAnomaly).default([]),
  /**
   * The sender's IP and domain (equal to `parties.sender.ip` / `.domain`): what domain and blocklist checks test.
   * Never a value of the receiving side.
   */
  sendingIp: z.string().nullable().default(null),
  sendingDomain: z.string().nullable().default(null),
  /** Who is who: the sender's and the receiver's host, IP and domain, each with its source. */
  parties: Parties.optional(),
  findings: z.array(Finding).default([]),
  warnings: z.array(z.string()).default([]),
  /** `warnings` as Texts for the reader's language, same order. */
  warningTexts: z.array(Text).optional(),
  error: AnalysisError.optional(),
  /** The DSN / NDR, when `kind` is bounce or smtp-text (a pasted reply is one pseudo-recipient). */
  bounce: BounceInfo.optional(),
  /** This message's own authentication (for a bounce: the bounce's; the returned message's is in `original`). */
  auth: AuthAnalysis.optional(),
  antispam: AntispamReport.optional(),
  original: OriginalAnalysis.optional(),
  /** Why it was rejected; absent when nothing points at a rejection (a plain message with clean results). */
  verdict: Verdict.optional(),
  /** Free-form extras (e.g. the pasted SMTP text); typed sub-analyses have their own fields above. */
  details: z.record(z.string(), z.unknown()).default({})
})
export type Analysis = z.infer<typeof Analysis>
