import { z } from 'zod'

/**
 * Knowledge base of provider SMTP rejection texts (resources/rejections.json). Each entry maps a rejection text
 * to a cause category, an explanation, a fix and the provider's contact / delisting pages.
 */
export const RejectionCause = z.enum([
  'authentication',
  'blocklist',
  'reputation',
  'relay-denied',
  'reverse-dns',
  'content-spam',
  'recipient-policy',
  'recipient-unknown',
  'mailbox',
  'rate-limit',
  /**
   * TLS in its two directions, because the remedies are opposite (RFC 3207 §4): `tls-required` is the receiver
   * demanding STARTTLS ("530 5.7.0 Must issue a STARTTLS command first") from a sender that delivered in clear text,
   * so the sender enables TLS; `tls-unavailable` is the sending side's own policy (mandatory TLS, DANE, MTA-STS)
   * meeting a remote server that offers none ("TLS is required, but was not offered by host ..."), so the remote
   * administrator enables STARTTLS or the sender relaxes its policy for that domain.
   */
  'tls-required',
  'tls-unavailable',
  'other'
])
export type RejectionCause = z.infer<typeof RejectionCause>

export const KbUrl = z.object({ label: z.string(), url: z.url() })
export type KbUrl = z.infer<typeof KbUrl>

/** French text of an entry (the product's users read French first). Quoted evidence is never translated. */
export const RejectionEntryFr = z.object({
  title: z.string().min(1),
  explanation: z.string().min(1),
  fix: z.string().min(1)
})
export type RejectionEntryFr = z.infer<typeof RejectionEntryFr>

export const RejectionEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  provider: z.string(),
  /** JavaScript regular expressions (source text), matched case-insensitively against the rejection text. */
  patterns: z.array(z.string()).min(1),
  /** Enhanced status codes (RFC 3463) the entry applies to; "5.7.*" style prefixes allowed. */
  status: z.array(z.string()).optional(),
  /** SMTP reply codes (RFC 5321 §4.2) the entry applies to. */
  replyCode: z.array(z.number().int().min(200).max(599)).optional(),
  cause: RejectionCause,
  title: z.string(),
  explanation: z.string(),
  fix: z.string(),
  /** French title, explanation and fix; filled for every entry (checked by the test suite). */
  fr: RejectionEntryFr.optional(),
  urls: z.array(KbUrl),
  delistUrl: z.url().optional(),
  /** How sure a match makes us of the cause (0..1). */
  confidence: z.number().min(0).max(1),
  /** Vendor documentation the entry is based on. */
  reference: z.url(),
  /** Real-looking rejection texts that must match this entry (checked by the test suite). */
  examples: z.array(z.string()).min(1)
})
export type RejectionEntry = z.infer<typeof RejectionEntry>

export const MatchRejectionOptions = z.object({
  /** Enhanced status code, e.g. "5.7.1"; parsed from the text when absent. */
  status: z.string().optional(),
  replyCode: z.number().int().optional()
})
export type MatchRejectionOptions = z.infer<typeof MatchRejectionOptions>

export const RejectionMatch = z.object({
  entry: RejectionEntry.omit({ examples: true, patterns: true }),
  /** The pattern (source) that matched. */
  pattern: z.string(),
  matchedText: z.string(),
  /** Character offsets of the match inside the input text (end exclusive), for highlighting. */
  start: z.number().int(),
  end: z.number().int(),
  /** Ranking score: the entry's confidence adjusted by how specific the match was. */
  score: z.number()
})
export type RejectionMatch = z.infer<typeof RejectionMatch>
