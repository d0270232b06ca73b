import { z } from 'zod'
import { Text } from '../text'

/**
 * Shared building blocks for analysis outputs. Every analysis (message, bounce, domain, blocklist) reports
 * findings in this one shape so the case can keep a single deduplicated list and link each one to its remedy.
 */
export const Severity = z.enum(['info', 'ok', 'warning', 'error', 'critical'])
export type Severity = z.infer<typeof Severity>

/** Outcome of one check. `not_checked` / `could_not_check` are never presented as a pass. */
export const CheckState = z.enum(['pass', 'fail', 'warn', 'none', 'not_checked', 'could_not_check'])
export type CheckState = z.infer<typeof CheckState>

export const EvidenceSpan = z.object({
  /** Where the text comes from: a header name, "body", "diagnostic", "dns:<name>" ... */
  source: z.string(),
  text: z.string(),
  /** Character range inside `text`'s source that matched, when known (for highlighting). */
  start: z.number().int().optional(),
  end: z.number().int().optional()
})
export type EvidenceSpan = z.infer<typeof EvidenceSpan>

export const Finding = z.object({
  /** Stable id such as "spf.lookups-exceeded" or "bl.listed:spamhaus-zen:192.0.2.1"; used for dedup. */
  id: z.string(),
  severity: Severity,
  /**
   * Title, detail and fix as Texts (code + params, rendered through i18next in the UI and reports, see
   * shared/text.ts); `title`, `detail` and `fix` are their English renderings, kept for the CLI and older data.
   */
  titleText: Text.optional(),
  detailText: z.array(Text).optional(),
  fixText: Text.optional(),
  title: z.string(),
  detail: z.string(),
  evidence: z.array(EvidenceSpan).default([]),
  /** The record or setting as it is now, when relevant. */
  current: z.string().optional(),
  /** The remedy in words, and a corrected record/config where one can be derived. */
  fix: z.string().optional(),
  fixRecord: z.string().optional(),
  /** Id of a remedy / fix generator, e.g. "spf-builder", "dmarc-planner", "delist". */
  remedy: z.string().optional()
})
export type Finding = z.infer<typeof Finding>
