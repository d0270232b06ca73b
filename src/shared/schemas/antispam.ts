import { z } from 'zod'
import { Text } from '../text'
import { Finding } from './common'

/**
 * Anti-spam verdicts decoded from vendor headers (SpamAssassin, Microsoft 365 / Exchange, Rspamd, Barracuda,
 * Proofpoint, Mimecast, Cisco IronPort, Google, Trend Micro). One `VendorVerdict` per filter that left a trace in
 * the message, so the UI can show "who decided what, and why" in plain language.
 */

/** One header field in message order (top = most recent hop), unfolded (RFC 5322 §2.2.3). */
export const HeaderField = z.object({ name: z.string(), value: z.string() })
export type HeaderField = z.infer<typeof HeaderField>

export const AntispamVendorId = z.enum([
  'spamassassin',
  'microsoft',
  'rspamd',
  'barracuda',
  'proofpoint',
  'mimecast',
  'ironport',
  'google',
  'trendmicro'
])
export type AntispamVendorId = z.infer<typeof AntispamVendorId>

export const AntispamVerdictKind = z.enum(['spam', 'bulk', 'phish', 'clean', 'unknown'])
export type AntispamVerdictKind = z.infer<typeof AntispamVerdictKind>

export const AntispamField = z.object({
  /** Header the value came from. */
  header: z.string(),
  /** Field key inside the header (e.g. "SFV", "BCL", "score"); the header name for single-value headers. */
  key: z.string(),
  value: z.string(),
  /** Plain-language meaning; says so when the vendor does not document the field (opaque). */
  meaning: z.string(),
  /** True when the vendor does not document the field; shown greyed out, never used for a verdict. */
  opaque: z.boolean().default(false)
})
export type AntispamField = z.infer<typeof AntispamField>

export const AntispamRule = z.object({
  name: z.string(),
  score: z.number().optional(),
  description: z.string(),
  /** True when the description came from our rule table rather than the header itself. */
  known: z.boolean().default(false),
  /** Id of a fix generator that addresses the rule's cause (e.g. "spf-builder", "rdns-request", "delist"). */
  remedy: z.string().optional()
})
export type AntispamRule = z.infer<typeof AntispamRule>

export const VendorVerdict = z.object({
  vendor: AntispamVendorId,
  /** Display name, e.g. "Microsoft 365 (Exchange Online Protection)". */
  label: z.string(),
  verdict: AntispamVerdictKind,
  score: z.number().optional(),
  threshold: z.number().optional(),
  /** One sentence summarising the verdict. */
  summary: z.string(),
  /** `summary` as a Text for the reader's language. */
  summaryText: Text.optional(),
  /** Header names this verdict was decoded from. */
  headers: z.array(z.string()),
  fields: z.array(AntispamField),
  rules: z.array(AntispamRule)
})
export type VendorVerdict = z.infer<typeof VendorVerdict>

export const AntispamReport = z.object({
  vendors: z.array(VendorVerdict),
  findings: z.array(Finding)
})
export type AntispamReport = z.infer<typeof AntispamReport>
