import { z } from 'zod'
import { AntispamReport } from './antispam'
import { BounceResult } from './bounce'
import { Finding } from './common'
import { AuthCheck, AuthComparison, Hop, HopAnomaly, HopEdge, RecordedAuth } from './message'
import { Verdict } from './verdict'

/**
 * The analysis of one piece of evidence, as stored in the case and returned by `message.analyze`.
 * Sub-analyses (hops, auth, antispam, bounce, verdict) have their own schemas in sibling files.
 */
export const EvidenceKind = z.enum(['bounce', 'message', 'headers', 'smtp-text', 'error'])
export type EvidenceKind = z.infer<typeof EvidenceKind>

export const HeaderField = z.object({ name: z.string(), value: z.string() })
export type HeaderField = z.infer<typeof HeaderField>

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
  /** The connecting IP at the receiving edge and the sender's domain: what domain and blocklist checks test. */
  sendingIp: z.string().nullable().default(null),
  sendingDomain: z.string().nullable().default(null),
  findings: z.array(Finding).default([]),
  warnings: z.array(z.string()).default([]),
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
