import { z } from 'zod'
import { Text } from '../text'

/**
 * Output of the fix generators (SPF builder, DMARC planner, DKIM keys, relay/connector fixes, reverse DNS
 * request, content lint). Every snippet is copyable as a whole and explained line by line.
 */
/**
 * Every generated sentence is a Text for the reader's language (`…Text`), with its English rendering beside it for
 * the CLI and older readers; the copyable text itself (records, configuration, scripts) is never translated.
 */
export const FixLine = z.object({
  text: z.string(),
  explanation: z.string(),
  explanationText: Text.optional()
})
export type FixLine = z.infer<typeof FixLine>

export const FixSnippetKind = z.enum([
  'dns-txt',
  'dns-cname',
  'dns-ptr',
  'dns-a',
  'config',
  'powershell',
  'text'
])
export type FixSnippetKind = z.infer<typeof FixSnippetKind>

export const FixSnippet = z.object({
  id: z.string(),
  title: z.string(),
  titleText: Text.optional(),
  kind: FixSnippetKind,
  /** DNS owner name for DNS snippets (e.g. "_dmarc.example.com"). */
  name: z.string().optional(),
  /** The DNS record value (TXT/CNAME data) when the snippet is a record. */
  record: z.string().optional(),
  /** The full copyable text (zone-file line, config block, script, letter). */
  text: z.string(),
  lines: z.array(FixLine),
  warnings: z.array(z.string()),
  /** `warnings` as Texts, in the same order. */
  warningTexts: z.array(Text).optional()
})
export type FixSnippet = z.infer<typeof FixSnippet>

// ---------- SPF ----------

export const SpfService = z.object({
  id: z.string(),
  name: z.string(),
  /** Mechanisms to add, e.g. ["include:spf.protection.outlook.com"]. */
  mechanisms: z.array(z.string()).min(1),
  /** DNS-querying terms the include usually costs in total, nested includes counted (RFC 7208 §4.6.4). */
  typicalLookups: z.number().int().min(0),
  /** Vendor page that documents the mechanism. */
  docs: z.url(),
  notes: z.string().optional(),
  /**
   * How the mechanism was checked: against the vendor's documentation, only observed in published records of
   * real domains, or not yet checked (shown to the user as "check with the vendor").
   */
  verified: z.enum(['vendor-docs', 'observed', 'unverified']),
  /** True when the vendor gives each account its own include (placeholder in `mechanisms`). */
  accountSpecific: z.boolean().optional()
})
export type SpfService = z.infer<typeof SpfService>

export const SpfAll = z.enum(['-all', '~all'])

export const SpfLookupCount = z.object({
  /** Terms in the record itself that cost a lookup (include, a, mx, ptr, exists, redirect). */
  direct: z.number().int(),
  /** Estimate from the catalogue (nested includes of known services). */
  estimated: z.number().int(),
  /** Count from the injected live counter, when it was given and succeeded. */
  live: z.number().int().optional(),
  liveError: z.string().optional()
})
export type SpfLookupCount = z.infer<typeof SpfLookupCount>

export const SpfBuildResult = z.object({
  record: z.string(),
  snippet: FixSnippet,
  lookups: SpfLookupCount,
  flattened: FixSnippet.optional(),
  warnings: z.array(z.string()),
  warningTexts: z.array(Text).optional()
})
export type SpfBuildResult = z.infer<typeof SpfBuildResult>

// ---------- DMARC ----------

export const DmarcStage = z.object({
  name: z.string(),
  nameText: Text.optional(),
  policy: z.enum(['none', 'quarantine', 'reject']),
  pct: z.number().int().min(0).max(100).optional(),
  startDate: z.string(),
  record: z.string(),
  explanation: z.string(),
  explanationText: Text.optional()
})
export type DmarcStage = z.infer<typeof DmarcStage>

export const DmarcPlan = z.object({
  domain: z.string(),
  stages: z.array(DmarcStage),
  snippets: z.array(FixSnippet),
  warnings: z.array(z.string()),
  warningTexts: z.array(Text).optional()
})
export type DmarcPlan = z.infer<typeof DmarcPlan>

// ---------- DKIM ----------

export const DkimKeyResult = z.object({
  domain: z.string(),
  selector: z.string(),
  algorithm: z.enum(['rsa2048', 'ed25519']),
  dnsName: z.string(),
  /** The full TXT value as one string. */
  txtValue: z.string(),
  /** The TXT value split into ≤255-octet character-strings (RFC 1035 §3.3.14, RFC 6376 §3.6.2.2). */
  txtStrings: z.array(z.string()),
  /** PKCS#8 PEM. Returned to the caller only; never stored by the generator. */
  privateKeyPem: z.string(),
  snippets: z.array(FixSnippet),
  warnings: z.array(z.string()),
  warningTexts: z.array(Text).optional()
})
export type DkimKeyResult = z.infer<typeof DkimKeyResult>
