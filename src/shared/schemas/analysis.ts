import { z } from 'zod'
import { Finding } from './common'
import { Hop, HopAnomaly, HopEdge } from './message'

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
  /** Sub-analyses filled in by the diagnose pipeline (see schemas/message.ts, bounce.ts, antispam.ts, verdict.ts). */
  details: z.record(z.string(), z.unknown()).default({})
})
export type Analysis = z.infer<typeof Analysis>
