import { z } from 'zod'
import { Text } from '../text'

/**
 * Blocklist catalogue (resources/blocklists.json), sweep results and delisting requests.
 *
 * Vocabulary follows RFC 5782 (DNS Blacklists and Whitelists): an IPv4 list is queried with the reversed
 * octets (§2.1), an IPv6 list with reversed nibbles (§2.4), a domain list with the name itself (§2.3); a listing
 * is an A record in 127.0.0.0/8 (§2.1) and every list publishes test points (§5).
 */

export const ListType = z.enum(['ip4', 'ip6', 'domain'])
export type ListType = z.infer<typeof ListType>

/** block: listing hurts; allow: listing helps (DNSWL); info: score/reputation only; provider: not a DNS list. */
export const ListKind = z.enum(['block', 'allow', 'info', 'provider'])
export type ListKind = z.infer<typeof ListKind>

export const RemovalMethod = z.enum(['self-service', 'automatic', 'paid-express', 'contact', 'none'])
export type RemovalMethod = z.infer<typeof RemovalMethod>

const httpUrl = z.url({ protocol: /^https?$/ })

/** "127.0.0.2", or an octet wildcard such as "127.0.*.3" (DNSWL trust levels, Spamhaus ZRD hours). */
const CodeKey = z
  .string()
  .regex(/^127\.(?:\d{1,3}|\*)\.(?:\d{1,3}|\*)\.(?:\d{1,3}|\*)$/, 'return code must be 127.x.y.z')
const CodeMap = z.record(CodeKey, z.string().min(1))

export const TestSet = z.object({
  /** Names/addresses that MUST be listed (RFC 5782 §5: 127.0.0.2, ::FFFF:7F00:2, TEST). */
  listed: z.array(z.string().min(1)),
  /** Names/addresses that MUST NOT be listed (127.0.0.1, ::FFFF:7F00:1, INVALID). */
  notListed: z.array(z.string().min(1))
})
export type TestSet = z.infer<typeof TestSet>

export const TestPoints = z.object({
  ip4: TestSet.optional(),
  ip6: TestSet.optional(),
  domain: TestSet.optional()
})
export type TestPoints = z.infer<typeof TestPoints>

export const Removal = z.object({
  method: RemovalMethod,
  /** Further ways out, e.g. UCEPROTECT: automatic expiry or paid express delisting. */
  alternatives: z.array(RemovalMethod).optional(),
  url: httpUrl.optional(),
  /** Human text, e.g. "7 days after the last abuse". */
  expiry: z.string().optional(),
  /** How long a delisting normally takes once requested; drives the "stale request" flag. */
  expectedDelayHours: z.number().positive().optional(),
  contact: z.string().optional(),
  notes: z.string().optional()
})
export type Removal = z.infer<typeof Removal>

export const Weight = z.object({ level: z.enum(['high', 'medium', 'low']), note: z.string().min(1) })
export type Weight = z.infer<typeof Weight>

export const BlocklistEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string().min(1),
    /** Public query zone. Absent only for providers (kind "provider"), which are not DNS lists. */
    zone: z
      .string()
      .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/)
      .optional(),
    type: z.array(ListType),
    kind: ListKind,
    defunct: z.boolean().default(false),
    defunctSince: z.string().optional(),
    /** Provider blocks (Microsoft, Gmail, ...) are tracked by hand, never re-checked over DNS. */
    manual: z.boolean().optional(),
    /** Last octet is a bitmask (SURBL, URIBL): each bit is one sub-list. */
    bitmask: z.boolean().optional(),
    returnCodes: CodeMap,
    /** Codes that mean "good" on a mixed list (Hostkarma white/NOBL, Mailspike H levels). */
    allowCodes: z.array(CodeKey).optional(),
    /** Answers that are refusals or query errors, never listings (Spamhaus 127.255.255.x, URIBL 127.0.0.1 ...). */
    errorCodes: CodeMap,
    testPoints: TestPoints,
    removal: Removal,
    weight: Weight,
    /** Zone to use with a key: "<key>.zen.dq.spamhaus.net" (Spamhaus DQS), "<key>.combined.mail.abusix.zone". */
    keyZone: z
      .string()
      .regex(/^<key>\./)
      .optional(),
    keyProvider: z.enum(['dqs', 'abusix']).optional(),
    /** True when the list answers only with a key (Abusix, Spamhaus ZRD/AuthBL). */
    requiresKey: z.boolean(),
    /** Regex sources (case-insensitive) for rejection texts naming this list, besides its zone name. */
    rejectionPatterns: z.array(z.string()),
    docs: httpUrl,
    /** Where the facts in this entry were checked. */
    sources: z.array(z.string()).optional(),
    notes: z.string().optional(),
    /** Part of the default sweep (sub-zones of a combined zone are off by default). */
    defaultEnabled: z.boolean().default(true)
  })
  .superRefine((e, ctx) => {
    const issue = (message: string): void => ctx.addIssue({ code: 'custom', message: `${e.id}: ${message}` })
    if (e.kind === 'provider') {
      if (!e.manual) issue('provider entries must be manual')
      if (e.zone) issue('provider entries have no DNS zone')
      return
    }
    if (!e.zone) issue('DNS lists need a zone')
    if (e.type.length === 0) issue('DNS lists need at least one type')
    if (e.keyZone && !e.keyProvider) issue('keyZone needs keyProvider')
    if (e.requiresKey && !e.keyZone) issue('requiresKey needs keyZone')
    for (const p of e.rejectionPatterns) {
      try {
        new RegExp(p, 'i')
      } catch {
        issue(`invalid rejection pattern ${p}`)
      }
    }
    if (e.defunct) return
    if (Object.keys(e.returnCodes).length === 0) issue('active lists need return codes')
    const tested = e.type.filter((t) => (e.testPoints[t]?.listed.length ?? 0) > 0)
    if (tested.length === 0) issue('active lists need RFC 5782 §5 test points for at least one type')
    for (const t of Object.keys(e.testPoints))
      if (!e.type.includes(t as ListType)) issue(`test points for unsupported type ${t}`)
  })
export type BlocklistEntry = z.infer<typeof BlocklistEntry>
export type BlocklistEntryInput = z.input<typeof BlocklistEntry>

export const Catalogue = z
  .object({
    $comment: z.string().optional(),
    version: z.literal(1),
    updated: z.string(),
    lists: z.array(BlocklistEntry)
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>()
    for (const l of c.lists) {
      if (seen.has(l.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${l.id}` })
      seen.add(l.id)
    }
  })
export type Catalogue = z.infer<typeof Catalogue>

// ---------------------------------------------------------------------------------------------------------------
// Sweep results

export const SweepStatus = z.enum(['listed', 'clean', 'refused', 'unreliable', 'error'])
export type SweepStatus = z.infer<typeof SweepStatus>

export const ListResult = z.object({
  list: z.string(),
  zone: z.string(),
  /** The exact name queried (with the key redacted as "<key>"). */
  query: z.string(),
  kind: ListKind,
  status: SweepStatus,
  /** For "listed": whether the codes mean bad (block), good (allow) or a score (info). */
  polarity: z.enum(['block', 'allow', 'info']).optional(),
  codes: z.array(z.string()),
  meanings: z.array(z.string()),
  txt: z.string().optional(),
  /** Why the status is refused/unreliable/error. */
  reason: z.string().optional(),
  /** For "error": what the resolver did (REFUSED is its policy, unlike a timeout or SERVFAIL). */
  failure: z.enum(['timeout', 'servfail', 'refused', 'error']).optional(),
  delist: z.object({ method: RemovalMethod, url: z.string().optional() }).optional(),
  ms: z.number()
})
export type ListResult = z.infer<typeof ListResult>

export const TargetSummary = z.object({
  listed: z.number().int(),
  allowListed: z.number().int(),
  clean: z.number().int(),
  refused: z.number().int(),
  unreliable: z.number().int(),
  error: z.number().int(),
  /** Lists not queried for this target, with the reason (needs a key, wrong type). */
  skipped: z.array(z.object({ list: z.string(), reason: z.string(), reasonText: Text.optional() })),
  /** Names of block lists that list the target. */
  listedOn: z.array(z.string()),
  notes: z.array(z.string()),
  /** `notes` as Texts for the reader's language, same order. */
  noteTexts: z.array(Text).optional()
})
export type TargetSummary = z.infer<typeof TargetSummary>

export const TargetReport = z.object({
  target: z.string(),
  type: ListType,
  results: z.array(ListResult),
  summary: TargetSummary
})
export type TargetReport = z.infer<typeof TargetReport>

// ---------------------------------------------------------------------------------------------------------------
// Delisting requests

export const DelistStatus = z.enum(['listed', 'requested', 'pending', 'delisted', 'rejected', 'expired'])
export type DelistStatus = z.infer<typeof DelistStatus>

export const TimelineEntry = z.object({
  at: z.string(),
  from: DelistStatus,
  to: DelistStatus,
  /** English, or the admin's own words; `noteText` is the app's note as a Text for the reader's language. */
  note: z.string(),
  noteText: Text.optional()
})
export type TimelineEntry = z.infer<typeof TimelineEntry>

export const DelistEvent = z.discriminatedUnion('type', [
  /** The admin filed the removal form / sent the e-mail. */
  z.object({ type: z.literal('request'), note: z.string().optional(), reference: z.string().optional() }),
  /** The operator acknowledged (ticket number, "request received"). */
  z.object({ type: z.literal('acknowledge'), note: z.string().optional(), reference: z.string().optional() }),
  /** Confirmed removed by hand (providers) or by the operator's answer. */
  z.object({ type: z.literal('confirm'), note: z.string().optional() }),
  z.object({ type: z.literal('reject'), note: z.string().optional() }),
  /** The listing aged out on its own (automatic lists). */
  z.object({ type: z.literal('expire'), note: z.string().optional() }),
  /** Listed again after delisting/expiry/rejection. */
  z.object({ type: z.literal('relist'), note: z.string().optional() }),
  /** Try again after a rejection. */
  z.object({ type: z.literal('retry'), note: z.string().optional() }),
  z.object({ type: z.literal('note'), note: z.string().min(1) })
])
export type DelistEvent = z.infer<typeof DelistEvent>

export const DelistRequest = z.object({
  id: z.string().min(1),
  list: z.string(),
  listName: z.string(),
  /** IP or domain; for providers the sending IP/domain the block concerns. */
  target: z.string(),
  status: DelistStatus,
  /** Provider blocks (kind "provider"): status changes only by hand, never by DNS re-check. */
  manual: z.boolean(),
  /** Lists whose removal method is "automatic" end in "expired" rather than "delisted". */
  automatic: z.boolean(),
  expectedDelayHours: z.number().positive().optional(),
  removalUrl: z.string().optional(),
  reference: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  requestedAt: z.string().optional(),
  lastCheckedAt: z.string().optional(),
  /** Consecutive re-checks in which every check of the list came back clean. */
  cleanStreak: z.number().int().nonnegative(),
  /** Requested longer ago than expectedDelayHours and still listed. */
  stale: z.boolean(),
  timeline: z.array(TimelineEntry)
})
export type DelistRequest = z.infer<typeof DelistRequest>
