import { z } from 'zod'
import { Analysis } from '../schemas/analysis'
import { BounceReason } from '../schemas/bounce'
import { VerdictCause } from '../schemas/verdict'
import type { MethodSpec } from './spec'

const Id = z.number().int().positive()
/** IP[:port] of a resolver, e.g. "127.0.0.1:5353"; checked again by services/dns.ts. */
const Resolver = z.string().trim().min(1).max(100)

const Upload = z.object({
  name: z.string().min(1).max(500),
  base64: z.string().max(Math.ceil((1024 * 1024 * 1024 * 4) / 3)),
  size: z.number().int().nonnegative().optional()
})

export const MessageBodyOut = z.object({
  text: z.string(),
  /** Neutralised HTML (remote references rewritten, scripts removed); show only in a sandboxed iframe. */
  html: z.string().optional(),
  blockedRemote: z.number().int()
})
export type MessageBodyOut = z.infer<typeof MessageBodyOut>

const Count = z.number().int().nonnegative()

/**
 * Bulk triage of a case (`cases.triage`): the evidence's stored analyses aggregated, for an mbox or a pile of
 * bounces. Recipient counts are failed (or delayed) recipients of the DSNs; message counts are pieces of evidence.
 * Every list is sorted by count, largest first, then by key.
 */
export const CaseTriage = z.object({
  /** Pieces of evidence in the case. */
  messages: Count,
  /** Evidence whose analysis is a bounce (DSN/NDR) or a pasted SMTP reply with recipients. */
  bounces: Count,
  /** Failed recipients across all bounces. */
  recipients: Count,
  /** Evidence whose stored analysis could not be read (kept out of every other count). */
  unreadable: Count,
  /** Primary verdict cause per piece of evidence; `evidenceIds` in case order (the first one to open). */
  byCause: z.array(
    z.object({ cause: VerdictCause, messages: Count, recipients: Count, evidenceIds: z.array(Id) })
  ),
  /** Evidence without a verdict (nothing pointed at a rejection). */
  noVerdict: Count,
  /** sisimai reason per failed recipient. */
  byReason: z.array(z.object({ reason: BounceReason, count: Count })),
  /** Receiving domain (of the recipient address) per failed recipient, with the causes and remote MTAs seen. */
  byReceiver: z.array(
    z.object({
      domain: z.string(),
      count: Count,
      causes: z.array(VerdictCause),
      remoteMtas: z.array(z.string())
    })
  ),
  /** Blocklists named in the rejections, per list and listed target (IP or domain). */
  byList: z.array(z.object({ list: z.string(), name: z.string(), ip: z.string().optional(), count: Count })),
  /** The IP each rejection is about (else the returned message's sending IP), per piece of evidence. */
  sendingIps: z.array(z.object({ ip: z.string(), count: Count })),
  /** The sender's domain (of the returned message for a bounce), per piece of evidence. */
  sendingDomains: z.array(z.object({ domain: z.string(), count: Count })),
  /** Enhanced status code (else the reply code) per failed recipient. */
  statusCodes: z.array(z.object({ status: z.string(), count: Count }))
})
export type CaseTriage = z.infer<typeof CaseTriage>

/** The diagnose methods of the contract beyond the core ones (see api.ts). */
export const diagnoseApi = {
  /**
   * Re-verifies SPF/DKIM/DMARC/ARC/BIMI of stored evidence with today's DNS (for a bounce: of the returned
   * original), stores `auth.now` + `auth.comparison` and the refreshed verdict, and returns the analysis.
   * Emits `progress` with taskId "reverify:<id>".
   */
  'evidence.reverify': {
    input: z.object({ id: Id, resolver: Resolver.optional() }).strict(),
    output: Analysis
  },
  /** The body of stored evidence, parsed on demand (not kept in the analysis). */
  'evidence.body': { input: z.object({ id: Id }).strict(), output: MessageBodyOut },
  /** `message.analyze` plus an optional re-verification over DNS (the CLI's `analyze --resolver`). */
  'diagnose.analyze': {
    input: z.object({ file: Upload, resolver: Resolver.optional() }).strict(),
    output: z.object({ analyses: z.array(Analysis) })
  },
  /** The case's evidence at a glance: causes, reasons, receivers, blocklists and sending IPs (see CaseTriage). */
  'cases.triage': { input: z.object({ caseId: Id }).strict(), output: CaseTriage }
} as const satisfies Record<string, MethodSpec>
