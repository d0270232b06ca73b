import { z } from 'zod'
import { Text } from '../text'
import { CheckState, Finding } from './common'

/**
 * Domain health report (checkDomain). Every sub-report has a `state`; `could_not_check` means DNS did not give
 * an answer (timeout, SERVFAIL, REFUSED) and must never be shown as "missing".
 */

export const SpfResult = z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'])
export type SpfResult = z.infer<typeof SpfResult>

export const SpfEvaluation = z.object({
  domain: z.string(),
  ip: z.string(),
  sender: z.string(),
  result: SpfResult,
  comment: z.string(),
  /** The SPF record of `domain` as evaluated. */
  record: z.string().optional(),
  /** Domains and mechanisms that decided, outermost first, e.g. `example.com → include:_spf.x` then `_spf.x → ip4:…`. */
  path: z.array(z.string()),
  lookups: z.number().int(),
  voidLookups: z.number().int()
})
export type SpfEvaluation = z.infer<typeof SpfEvaluation>

export const SpfTerm = z.object({
  term: z.string(),
  kind: z.enum(['mechanism', 'modifier', 'unknown']),
  name: z.string(),
  qualifier: z.enum(['+', '-', '~', '?']).optional(),
  value: z.string().optional(),
  /** DNS lookups this term costs toward the RFC 7208 §4.6.4 limit of 10 (include/a/mx/ptr/exists/redirect). */
  lookups: z.number().int(),
  /** Void lookups (NXDOMAIN/NODATA) this term caused, where it could be resolved without the sender's data. */
  voidLookups: z.number().int(),
  /** Addresses an mx/ptr term expands to (RFC 7208 §4.6.4: at most 10 names). */
  addressNames: z.number().int().optional(),
  /** The problem in English; `errorText` is the same as a Text for the reader's language. */
  error: z.string().optional(),
  errorText: Text.optional()
})
export type SpfTerm = z.infer<typeof SpfTerm>

export interface SpfNode {
  domain: string
  via: 'root' | 'include' | 'redirect'
  state: CheckState
  record?: string
  terms: SpfTerm[]
  /** Lookups of this record and everything below it. */
  totalLookups: number
  children: SpfNode[]
  /** The problem in English; `errorText` is the same as a Text for the reader's language. */
  error?: string
  errorText?: Text
}
export const SpfNode: z.ZodType<SpfNode> = z.lazy(() =>
  z.object({
    domain: z.string(),
    via: z.enum(['root', 'include', 'redirect']),
    state: CheckState,
    record: z.string().optional(),
    terms: z.array(SpfTerm),
    totalLookups: z.number().int(),
    children: z.array(SpfNode),
    error: z.string().optional(),
    errorText: Text.optional()
  })
)

export const SpfReport = z.object({
  state: CheckState,
  record: z.string().optional(),
  /** All v=spf1 TXT records found (more than one is a permerror, RFC 7208 §4.5). */
  records: z.array(z.string()),
  lookupCount: z.number().int(),
  voidLookupCount: z.number().int(),
  tree: SpfNode.optional(),
  evaluations: z.array(SpfEvaluation)
})
export type SpfReport = z.infer<typeof SpfReport>

export const DkimSelectorReport = z.object({
  selector: z.string(),
  name: z.string(),
  state: CheckState,
  /** Where the selector came from: the caller (e.g. a message's s= tag) or the built-in common list. */
  source: z.enum(['input', 'common']),
  cname: z.string().optional(),
  record: z.string().optional(),
  keyType: z.string().optional(),
  keyBits: z.number().int().optional(),
  testing: z.boolean(),
  revoked: z.boolean()
})
export type DkimSelectorReport = z.infer<typeof DkimSelectorReport>

export const DmarcUri = z.object({
  uri: z.string(),
  address: z.string().optional(),
  valid: z.boolean(),
  /** RFC 7489 §7.1 authorisation of an external destination; null when not applicable or not checkable. */
  authorised: z.boolean().nullable(),
  external: z.boolean()
})
export type DmarcUri = z.infer<typeof DmarcUri>

export const DmarcReport = z.object({
  state: CheckState,
  /** Name the record was found at (`_dmarc.<domain>` or `_dmarc.<organisational domain>`). */
  name: z.string().optional(),
  record: z.string().optional(),
  orgDomain: z.string(),
  inherited: z.boolean(),
  tags: z.record(z.string(), z.string()),
  /** Policy that applies to `domain` (sp/np applied when inherited from the organisational domain). */
  effectivePolicy: z.enum(['none', 'quarantine', 'reject']).optional(),
  pct: z.number().optional(),
  rua: z.array(DmarcUri),
  ruf: z.array(DmarcUri),
  nextStep: z
    .object({ record: z.string(), explanation: z.string(), explanationText: Text.optional() })
    .optional()
})
export type DmarcReport = z.infer<typeof DmarcReport>

export const MxHostReport = z.object({
  exchange: z.string(),
  priority: z.number().int(),
  state: CheckState,
  addresses: z.array(z.string()),
  /** RFC 5321 §5.1: an MX target must be a host name with A/AAAA, not an alias or an address literal. */
  isCname: z.boolean(),
  isIpLiteral: z.boolean(),
  /** RFC 7505 null MX (`0 .`). */
  isNull: z.boolean()
})
export type MxHostReport = z.infer<typeof MxHostReport>

export const PtrReport = z.object({
  ip: z.string(),
  state: CheckState,
  names: z.array(z.string()),
  /** A PTR name whose A/AAAA includes the IP (forward-confirmed reverse DNS). */
  confirmedName: z.string().optional(),
  helo: z.string().optional(),
  /** HELO name resolves to the IP; null when no HELO was given or DNS could not tell. */
  heloResolves: z.boolean().nullable()
})
export type PtrReport = z.infer<typeof PtrReport>

export const MtaStsPolicy = z.object({
  version: z.string().optional(),
  mode: z.string().optional(),
  mx: z.array(z.string()),
  maxAge: z.number().optional(),
  raw: z.string()
})
export type MtaStsPolicy = z.infer<typeof MtaStsPolicy>

export const MtaStsReport = z.object({
  state: CheckState,
  record: z.string().optional(),
  id: z.string().optional(),
  policyUrl: z.string(),
  policy: MtaStsPolicy.optional(),
  /** MX hosts not matched by any policy `mx:` pattern (mail to them would fail in enforce mode). */
  uncoveredMx: z.array(z.string()),
  fetchError: z.string().optional()
})
export type MtaStsReport = z.infer<typeof MtaStsReport>

export const TlsRptReport = z.object({
  state: CheckState,
  record: z.string().optional(),
  rua: z.array(z.string())
})
export type TlsRptReport = z.infer<typeof TlsRptReport>

export const BimiReport = z.object({
  state: CheckState,
  record: z.string().optional(),
  logo: z.string().optional(),
  authority: z.string().optional(),
  /** BIMI requires DMARC at enforcement: p=quarantine or reject with pct=100. */
  dmarcEnforced: z.boolean()
})
export type BimiReport = z.infer<typeof BimiReport>

export const DomainReport = z.object({
  domain: z.string(),
  checkedAt: z.string(),
  spf: SpfReport,
  dkim: z.array(DkimSelectorReport),
  dmarc: DmarcReport,
  mx: z.array(MxHostReport),
  ptr: z.array(PtrReport),
  mtaSts: MtaStsReport,
  tlsRpt: TlsRptReport,
  bimi: BimiReport,
  findings: z.array(Finding)
})
export type DomainReport = z.infer<typeof DomainReport>
