import { z } from 'zod'
import { BounceReason } from './bounce'
import { EvidenceSpan } from './common'
import { KbUrl, RejectionCause } from './kb'
import { Text } from '../text'

/**
 * "Why was this rejected?": the diagnose pipeline's answer for one piece of evidence (src/main/core/diagnose/
 * verdict.ts). Several signals (knowledge-base match, blocklist named in the bounce, RFC 3463 status code, recorded
 * authentication, anti-spam verdicts) are combined per cause; the strongest is the primary cause, the others are
 * kept as secondary causes so an admin fixing a blocklist listing also sees the failing DMARC.
 */
export const VerdictCause = RejectionCause
export type VerdictCause = z.infer<typeof VerdictCause>

/** Fix generators / workflows a next step can open (see src/main/core/fix and the delisting board). */
export const RemedyId = z.enum([
  'delist',
  'spf-builder',
  'dmarc-planner',
  'dkim-keygen',
  'relay-fix',
  'rdns-request',
  'content-lint',
  'contact-provider',
  'check-recipient',
  'slow-down',
  'enable-tls'
])
export type RemedyId = z.infer<typeof RemedyId>

export const NextStep = z.object({
  remedy: RemedyId,
  /** One sentence, imperative, as a Text (rendered in the reader's language); `label` is its English rendering. */
  text: Text.optional(),
  label: z.string(),
  /** External page (provider delisting form, documentation); http(s) only. */
  url: z.string().optional()
})
export type NextStep = z.infer<typeof NextStep>

/** Full text of a source the evidence spans point into (a diagnostic code, a header value), for highlighting. */
export const VerdictQuote = z.object({ source: z.string(), text: z.string() })
export type VerdictQuote = z.infer<typeof VerdictQuote>

/** Where a signal came from. */
export const SignalKind = z.enum(['kb', 'blocklist', 'status', 'reason', 'auth', 'antispam', 'words'])
export type SignalKind = z.infer<typeof SignalKind>

export const ListedOn = z.object({
  /** Catalogue id (resources/blocklists.json), e.g. "spamhaus-zen", "microsoft". */
  list: z.string(),
  name: z.string(),
  /** The IP (or domain) the rejection names, when it names one. */
  target: z.string().optional(),
  delistUrl: z.string().optional()
})
export type ListedOn = z.infer<typeof ListedOn>

export const CauseFinding = z.object({
  cause: VerdictCause,
  /** Title and paragraph as Texts (code + params, rendered through i18next); `title`/`summary` are English. */
  titleText: Text.optional(),
  summaryText: z.array(Text).optional(),
  title: z.string(),
  /** One paragraph in plain language. */
  summary: z.string(),
  confidence: z.number().min(0).max(1),
  signals: z.array(SignalKind),
  evidence: z.array(EvidenceSpan),
  /** Knowledge-base entry that explained it, when one matched. */
  kbId: z.string().optional(),
  provider: z.string().optional()
})
export type CauseFinding = z.infer<typeof CauseFinding>

export const Verdict = z.object({
  cause: VerdictCause,
  /** sisimai reason of the (first) failed recipient, when the evidence is a bounce or an SMTP reply. */
  reason: BounceReason.optional(),
  /** Title and paragraph as Texts (code + params, rendered through i18next); `title`/`summary` are English. */
  titleText: Text.optional(),
  summaryText: z.array(Text).optional(),
  title: z.string(),
  summary: z.string(),
  /** 0..1: how sure the combined signals make us of the primary cause. */
  confidence: z.number().min(0).max(1),
  /** Exact spans for the primary cause; `source` names a `quotes[]` entry, start/end index into its text. */
  evidence: z.array(EvidenceSpan),
  quotes: z.array(VerdictQuote),
  nextSteps: z.array(NextStep),
  urls: z.array(KbUrl),
  delistUrl: z.string().optional(),
  listedOn: z.array(ListedOn),
  /** The IP the rejection is about (quoted in the diagnostic), else the sending edge IP. */
  ip: z.string().optional(),
  /**
   * True when nothing documented backs the cause (no provider text, named list, recorded authentication or anti-spam
   * verdict): the reading comes from the reply's own words and codes, and the confidence is capped.
   */
  generic: z.boolean().optional(),
  /** Other causes present, strongest first. */
  secondary: z.array(CauseFinding)
})
export type Verdict = z.infer<typeof Verdict>
