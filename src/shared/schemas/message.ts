import { z } from 'zod'
import { Text } from '../text'
import { CheckState, Finding, Severity } from './common'

/**
 * Schemas for the analyses of one message's headers: the Received chain (RFC 5321 §4.4 trace fields,
 * RFC 5322 §3.6.7), the authentication verdicts recorded by receivers (RFC 8601, RFC 8617, RFC 7208 §9.1), and a
 * re-verification performed today. Plain data only: these cross the IPC/HTTP boundary and are stored in cases.
 */

// ---------------------------------------------------------------------------------------------------------------
// Received chain
// ---------------------------------------------------------------------------------------------------------------

export const HopAnomalyCode = z.enum([
  /** This hop's timestamp is earlier than the previous hop's: one of the two clocks (or time zones) is wrong. */
  'negative-delay',
  /** A negative delay large enough (≥ 5 min) that it is a clock or time-zone error, not rounding. */
  'clock-skew',
  /** Timestamp later than the analysis time. */
  'future-date',
  'private-ip',
  'loopback-ip',
  'reserved-ip',
  'missing-date',
  'unparsable-date',
  /** Date present but without the `;` separator RFC 5321 §4.4 requires (MHA bug #63). */
  'missing-semicolon',
  /** Obsolete syntax tolerated per RFC 5322 §4.3 (two-digit year, alphabetic zone). */
  'obsolete-date',
  /** Neither `from` nor `by` could be recognised. */
  'unknown-format',
  /** Delay between two hops longer than an hour. */
  'long-delay'
])
export type HopAnomalyCode = z.infer<typeof HopAnomalyCode>

export const HopAnomaly = z.object({
  code: HopAnomalyCode,
  severity: Severity,
  message: z.string(),
  /** Index of the hop in `HopChain.hops` (sender-first). */
  hop: z.number().int()
})
export type HopAnomaly = z.infer<typeof HopAnomaly>

export const HopEndpoint = z.object({
  /** The name the client gave in HELO/EHLO (from) or the receiving host's name (by). */
  host: z.string().optional(),
  /** Name the receiving MTA found by reverse DNS for the client, when it recorded one. */
  reverse: z.string().optional(),
  ip: z.string().optional(),
  /** Clause text as written, comments included. */
  raw: z.string()
})
export type HopEndpoint = z.infer<typeof HopEndpoint>

export const HopTls = z.object({
  /** true = stated or implied (ESMTPS), false = plain protocol stated, null = cannot tell. */
  used: z.boolean().nullable(),
  version: z.string().optional(),
  cipher: z.string().optional()
})
export type HopTls = z.infer<typeof HopTls>

export const Hop = z.object({
  /** Position in the sender-first chain. */
  index: z.number().int(),
  /** Position among the message's Received headers, top (most recent) = 0. */
  headerIndex: z.number().int(),
  /** A local note (qmail "invoked by uid", a pickup without `from`), not a network transfer. */
  local: z.boolean(),
  from: HopEndpoint.optional(),
  by: HopEndpoint.optional(),
  via: z.string().optional(),
  /** The `with` clause as written ("ESMTPS", "Microsoft SMTP Server"). */
  with: z.string().optional(),
  /** Normalised protocol: ESMTP, ESMTPS, ESMTPSA, LMTP, HTTP, MAPI, "Microsoft SMTP Server", ... */
  protocol: z.string().optional(),
  tls: HopTls,
  id: z.string().optional(),
  for: z.string().optional(),
  /** MTA software named in comments: Postfix, Exim 4.96, Sendmail 8.15.2, qmail, Microsoft SMTP Server. */
  software: z.string().optional(),
  /** ISO 8601 (UTC). */
  date: z.string().optional(),
  dateRaw: z.string().optional(),
  /** Seconds since the previous network hop with a date; null when either date is missing. */
  delaySec: z.number().nullable(),
  raw: z.string(),
  anomalies: z.array(HopAnomaly)
})
export type Hop = z.infer<typeof Hop>

export const HopEdge = z.object({
  /** Index in `hops` of the hop where the receiving organisation accepted the message from outside. */
  index: z.number().int(),
  /** The connecting client's IP and HELO: what an SPF re-check must use (RFC 7208 §2.2, §2.3). */
  ip: z.string().optional(),
  helo: z.string().optional(),
  reverse: z.string().optional(),
  /** Host that received the connection. */
  by: z.string().optional(),
  reason: z.string(),
  confidence: z.enum(['high', 'medium', 'low'])
})
export type HopEdge = z.infer<typeof HopEdge>

export const HopChain = z.object({
  /** Sender first. */
  hops: z.array(Hop),
  /** Last dated network hop minus first dated network hop, seconds; null with fewer than two dates. */
  totalDelaySec: z.number().nullable(),
  edge: HopEdge.nullable(),
  /** Organisational domains treated as the receiving organisation. */
  receivingOrgs: z.array(z.string()),
  /** All hop anomalies, flattened. */
  anomalies: z.array(HopAnomaly)
})
export type HopChain = z.infer<typeof HopChain>

// ---------------------------------------------------------------------------------------------------------------
// Recorded authentication (what receivers wrote into the message)
// ---------------------------------------------------------------------------------------------------------------

export const AuthResultEntry = z.object({
  /** spf, dkim, dmarc, arc, bimi, iprev, auth, compauth, ... (lower-case). */
  method: z.string(),
  result: z.string(),
  reason: z.string().optional(),
  /** Comments attached to the result or its properties, in order. */
  comments: z.array(z.string()),
  /** ptype.property=value pairs ("smtp.mailfrom", "header.d"), plus vendor extras such as "action". */
  props: z.record(z.string(), z.string())
})
export type AuthResultEntry = z.infer<typeof AuthResultEntry>

export const AuthResultsHeader = z.object({
  header: z.enum(['Authentication-Results', 'ARC-Authentication-Results']),
  /** Index in the full header list (top = 0). */
  headerIndex: z.number().int(),
  /** Missing for Microsoft 365, which omits the authserv-id RFC 8601 §2.2 requires. */
  authservId: z.string().optional(),
  /** ARC instance (RFC 8617 §4.1.1). */
  instance: z.number().int().optional(),
  results: z.array(AuthResultEntry),
  raw: z.string()
})
export type AuthResultsHeader = z.infer<typeof AuthResultsHeader>

export const ReceivedSpf = z.object({
  headerIndex: z.number().int(),
  result: z.string(),
  comment: z.string().optional(),
  clientIp: z.string().optional(),
  envelopeFrom: z.string().optional(),
  helo: z.string().optional(),
  receiver: z.string().optional(),
  identity: z.string().optional(),
  mechanism: z.string().optional(),
  problem: z.string().optional(),
  raw: z.string()
})
export type ReceivedSpf = z.infer<typeof ReceivedSpf>

export const CompAuthReason = z.object({
  code: z.string(),
  /** Pattern from the table that matched ("000", "1xx"). */
  pattern: z.string().optional(),
  verdict: z.string().optional(),
  meaning: z.string(),
  documented: z.boolean()
})
export type CompAuthReason = z.infer<typeof CompAuthReason>

export const RecordedVerdict = z.object({
  method: z.string(),
  result: z.string(),
  reason: z.string().optional(),
  comments: z.array(z.string()),
  props: z.record(z.string(), z.string()),
  source: z.object({
    header: z.string(),
    headerIndex: z.number().int(),
    authservId: z.string().optional()
  })
})
export type RecordedVerdict = z.infer<typeof RecordedVerdict>

export const RecordedAuth = z.object({
  authResults: z.array(AuthResultsHeader),
  arcResults: z.array(AuthResultsHeader),
  receivedSpf: z.array(ReceivedSpf),
  trusted: z.object({
    authservId: z.string().optional(),
    /** Header indexes of the Authentication-Results / Received-SPF chosen as the receiver's own. */
    headerIndexes: z.array(z.number().int()),
    reason: z.string(),
    ambiguous: z.boolean()
  }),
  spf: RecordedVerdict.optional(),
  dkim: z.array(RecordedVerdict),
  dmarc: RecordedVerdict.optional(),
  arc: RecordedVerdict.optional(),
  bimi: RecordedVerdict.optional(),
  compauth: RecordedVerdict.extend({ decoded: CompAuthReason.optional() }).optional(),
  findings: z.array(Finding)
})
export type RecordedAuth = z.infer<typeof RecordedAuth>

// ---------------------------------------------------------------------------------------------------------------
// Re-verification today
// ---------------------------------------------------------------------------------------------------------------

export const DkimCheck = z.object({
  state: CheckState,
  /** The RFC 8601 result word (pass, fail, neutral, policy, temperror, permerror, none). */
  result: z.string(),
  domain: z.string().optional(),
  selector: z.string().optional(),
  algorithm: z.string().optional(),
  bodyHash: CheckState,
  signature: CheckState,
  keyFound: z.boolean().nullable(),
  keyBits: z.number().int().optional(),
  /** DMARC alignment of d= with the From domain (RFC 7489 §3.1.1); null when there is no From. */
  aligned: z.boolean().nullable(),
  signedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  reason: z.string().optional(),
  /** `reason` as a Text for the reader's language. */
  reasonText: Text.optional()
})
export type DkimCheck = z.infer<typeof DkimCheck>

export const SpfCheck = z.object({
  state: CheckState,
  result: z.string(),
  ip: z.string().optional(),
  helo: z.string().optional(),
  mailFrom: z.string().optional(),
  domain: z.string().optional(),
  record: z.string().optional(),
  explanation: z.string().optional(),
  /** `explanation` as a Text for the reader's language. */
  explanationText: Text.optional(),
  lookups: z.number().int().optional()
})
export type SpfCheck = z.infer<typeof SpfCheck>

export const DmarcCheck = z.object({
  state: CheckState,
  result: z.string(),
  fromDomain: z.string().optional(),
  orgDomain: z.string().optional(),
  record: z.string().optional(),
  p: z.string().optional(),
  sp: z.string().optional(),
  /** Policy applied to this From domain (sp for a subdomain when the org record has one). */
  policy: z.string().optional(),
  pct: z.number().optional(),
  alignment: z.object({
    spf: z.string().nullable(),
    dkim: z.string().nullable(),
    spfStrict: z.boolean(),
    dkimStrict: z.boolean()
  }),
  explanation: z.string().optional(),
  /** `explanation` as a Text for the reader's language. */
  explanationText: Text.optional()
})
export type DmarcCheck = z.infer<typeof DmarcCheck>

export const ArcCheck = z.object({
  state: CheckState,
  /** Chain validation status (RFC 8617 §5.2: none, pass, fail). */
  cv: z.string(),
  instances: z.number().int(),
  sealer: z.string().optional(),
  explanation: z.string().optional(),
  /** `explanation` as a Text for the reader's language. */
  explanationText: Text.optional()
})
export type ArcCheck = z.infer<typeof ArcCheck>

export const BimiCheck = z.object({
  state: CheckState,
  result: z.string(),
  location: z.string().optional(),
  authority: z.string().optional(),
  explanation: z.string().optional(),
  /** `explanation` as a Text for the reader's language. */
  explanationText: Text.optional()
})
export type BimiCheck = z.infer<typeof BimiCheck>

export const AuthCheck = z.object({
  checkedAt: z.string(),
  dnsAvailable: z.boolean(),
  headersOnly: z.boolean(),
  fromDomain: z.string().optional(),
  dkim: z.array(DkimCheck),
  spf: SpfCheck,
  dmarc: DmarcCheck,
  arc: ArcCheck,
  bimi: BimiCheck,
  findings: z.array(Finding)
})
export type AuthCheck = z.infer<typeof AuthCheck>

export const AuthMechanism = z.enum(['spf', 'dkim', 'dmarc', 'arc', 'bimi'])
export type AuthMechanism = z.infer<typeof AuthMechanism>

export const AuthMechanismComparison = z.object({
  mechanism: AuthMechanism,
  /** Result word the receiver recorded, or null when it recorded none. */
  recorded: z.string().nullable(),
  /** Result word today. */
  now: z.string(),
  nowState: CheckState,
  same: z.boolean(),
  explanation: z.string(),
  /** `explanation` as a Text for the reader's language. */
  explanationText: Text.optional()
})
export type AuthMechanismComparison = z.infer<typeof AuthMechanismComparison>

export const AuthComparison = z.object({
  spf: AuthMechanismComparison,
  dkim: AuthMechanismComparison,
  dmarc: AuthMechanismComparison,
  arc: AuthMechanismComparison,
  bimi: AuthMechanismComparison,
  findings: z.array(Finding)
})
export type AuthComparison = z.infer<typeof AuthComparison>
