import { z } from 'zod'
import { Finding, Severity } from './common'
import { Text } from '../text'
import { DmarcStage, FixSnippet, SpfLookupCount } from './fix'

/**
 * The guided workflow of a case: Diagnose → Fix → Delist → Verify → Report.
 *
 * Every analysis (evidence, domain checks, blocklist sweeps, content lint, verify runs) reports findings; the case
 * keeps ONE list deduplicated by finding id. Each finding belongs to the step that deals with it, and a step is
 * complete when all of its findings are resolved (a later check no longer sees them) or accepted with a note.
 */
export const Step = z.enum(['diagnose', 'fix', 'delist', 'verify', 'report'])
export type Step = z.infer<typeof Step>

/** The steps a finding can belong to (Verify and Report act on all findings). */
export const FindingStep = z.enum(['diagnose', 'fix', 'delist'])
export type FindingStep = z.infer<typeof FindingStep>

export const FindingStatus = z.enum(['open', 'resolved', 'accepted'])
export type FindingStatus = z.infer<typeof FindingStatus>

export const CaseFinding = Finding.extend({
  /** Where it was last seen: "evidence:<id>", "content:<id>", "domain", "blocklist", "verify". */
  source: z.string(),
  step: FindingStep,
  /** warning/error/critical: something to act on; info/ok are context and never block a step. */
  actionable: z.boolean(),
  status: FindingStatus,
  /** Why it was accepted (required), or how it was resolved. */
  note: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable(),
  /** The root cause this finding is evidence of (core/findings/root-cause.ts): "listing:<list>:<target>", "spf"… */
  rootCause: z.string()
})
export type CaseFinding = z.infer<typeof CaseFinding>

/** What kind of root cause: one per list and target for listings, one per mechanism or party for the rest. */
export const CauseKind = z.enum([
  'listing',
  'spf',
  'dkim',
  'dmarc',
  'ptr',
  'helo',
  'relay',
  'content',
  'recipient',
  'tls',
  'mx',
  'bimi',
  'arc',
  'rate',
  'other'
])
export type CauseKind = z.infer<typeof CauseKind>

/**
 * One root cause of the case, with every finding (from every message and check) that is evidence of it. The cause
 * is what the steps count: three findings about one missing DKIM key are one thing to fix.
 */
export const CaseCause = z.object({
  id: z.string(),
  kind: CauseKind,
  /** For a listing: the list id and the target (IP or domain). */
  list: z.string().optional(),
  target: z.string().optional(),
  step: FindingStep,
  /** Open while any member is open; accepted when the admin accepted it; resolved when its condition is gone. */
  status: FindingStatus,
  severity: Severity,
  actionable: z.boolean(),
  /** The member that names the cause best (shown as the cause's title). */
  lead: z.string(),
  title: z.string(),
  titleText: Text.optional(),
  findings: z.array(CaseFinding),
  note: z.string().nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable()
})
export type CaseCause = z.infer<typeof CaseCause>

/**
 * Checks that gave no usable answer, one note per check run: never a to-do, never resolved, never "clean". E.g.
 * "26 lists gave no usable answer through resolver 10.0.0.53 …".
 */
export const CoverageNote = z.object({
  check: z.enum(['blocklist', 'domain', 'messages']),
  at: z.string(),
  count: z.number().int(),
  /** What could not be checked: list names, record families, evidence names. */
  items: z.array(z.string()),
  text: Text,
  /** What to do about it, when something can be done (a DQS key, another resolver). */
  advice: Text.optional()
})
export type CoverageNote = z.infer<typeof CoverageNote>

export const StepProgress = z.object({
  step: Step,
  /** Root causes resolved or accepted (for Report: reports exported). */
  done: z.number().int(),
  /** Root causes still open (for Diagnose without evidence: 1, "add evidence"). */
  remaining: z.number().int(),
  complete: z.boolean(),
  /** Why an otherwise empty step is not complete: no evidence yet, verify never run, nothing exported. */
  pending: z.enum(['no-evidence', 'not-verified', 'not-exported']).optional()
})
export type StepProgress = z.infer<typeof StepProgress>

export const WorkflowStatus = z.object({
  caseId: z.number().int(),
  steps: z.array(StepProgress),
  /** Open actionable root causes across all steps. */
  open: z.number().int(),
  lastVerifiedAt: z.string().nullable(),
  coverage: z.array(CoverageNote)
})
export type WorkflowStatus = z.infer<typeof WorkflowStatus>

// ---------- fixes ----------

export const FixKind = z.enum([
  'spf',
  'dmarc',
  'dkim',
  'm365-dkim',
  'postfix-relay',
  'exchange-relay',
  'exo-connector',
  'enhanced-filtering',
  'reverse-dns',
  'content-lint'
])
export type FixKind = z.infer<typeof FixKind>

const Domain = z.string().trim().min(3).max(253)
const IpOrCidr = z.string().trim().min(2).max(64)

export const SpfFixInput = z
  .object({
    domain: Domain.optional(),
    services: z.array(z.string().max(100)).max(50).default([]),
    serviceOverrides: z.record(z.string().max(100), z.array(z.string().max(300)).max(10)).optional(),
    ips: z.array(IpOrCidr).max(100).default([]),
    keepMechanisms: z.array(z.string().max(300)).max(50).default([]),
    all: z.enum(['-all', '~all']).default('~all'),
    /** Count the lookups live through DNS and offer a flattened record above 10. */
    live: z.boolean().default(true)
  })
  .strict()

export const DmarcFixInput = z
  .object({
    domain: Domain,
    ruaAddress: z.string().trim().min(3).max(300),
    startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    adkim: z.enum(['r', 's']).default('r'),
    aspf: z.enum(['r', 's']).default('r'),
    currentRecord: z.string().max(2000).optional(),
    monitorDays: z.number().int().min(1).max(365).optional(),
    stepDays: z.number().int().min(1).max(365).optional(),
    stagedPct: z.boolean().optional(),
    subdomainPolicy: z.enum(['none', 'quarantine', 'reject']).optional()
  })
  .strict()

export const DkimFixInput = z
  .object({
    domain: Domain,
    selector: z.string().trim().min(1).max(63),
    algorithm: z.enum(['rsa2048', 'ed25519']),
    keyPath: z.string().max(500).optional()
  })
  .strict()

export const M365DkimFixInput = z
  .object({
    domain: Domain,
    tenant: z.string().trim().min(1).max(253),
    partition: z.string().max(5).optional()
  })
  .strict()

export const PostfixRelayFixInput = z
  .object({
    mynetworks: z.array(IpOrCidr).max(50).default([]),
    submission: z.boolean().default(true),
    sasl: z.enum(['dovecot', 'cyrus']).default('dovecot')
  })
  .strict()

export const ExchangeRelayFixInput = z
  .object({
    server: z.string().trim().min(1).max(100),
    remoteIpRanges: z.array(IpOrCidr).min(1).max(50),
    name: z.string().max(100).optional(),
    port: z.number().int().min(1).max(65535).optional()
  })
  .strict()

export const ExoConnectorFixInput = z
  .object({
    direction: z.enum(['inbound-from-onprem', 'outbound-to-partner']),
    name: z.string().trim().min(1).max(100),
    tlsCertificateName: z.string().max(253).optional(),
    senderIps: z.array(IpOrCidr).max(50).optional(),
    recipientDomains: z.array(z.string().max(253)).max(50).optional(),
    smartHosts: z.array(z.string().max(253)).max(10).optional()
  })
  .strict()

export const EnhancedFilteringFixInput = z
  .object({
    connector: z.string().trim().min(1).max(100),
    skipLastIp: z.boolean().optional(),
    skipIps: z.array(IpOrCidr).max(50).optional()
  })
  .strict()

export const ReverseDnsFixInput = z
  .object({
    ip: z.string().trim().min(2).max(64),
    hostname: z.string().trim().min(1).max(253),
    provider: z.string().max(200).optional(),
    requester: z.string().max(200).optional(),
    organisation: z.string().max(200).optional()
  })
  .strict()

export const ContentLintFixInput = z
  .object({
    /** The evidence whose original message is linted; default: every message of the case. */
    evidenceId: z.number().int().positive().optional()
  })
  .strict()

export const FixRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('spf'), input: SpfFixInput }),
  z.object({ kind: z.literal('dmarc'), input: DmarcFixInput }),
  z.object({ kind: z.literal('dkim'), input: DkimFixInput }),
  z.object({ kind: z.literal('m365-dkim'), input: M365DkimFixInput }),
  z.object({ kind: z.literal('postfix-relay'), input: PostfixRelayFixInput }),
  z.object({ kind: z.literal('exchange-relay'), input: ExchangeRelayFixInput }),
  z.object({ kind: z.literal('exo-connector'), input: ExoConnectorFixInput }),
  z.object({ kind: z.literal('enhanced-filtering'), input: EnhancedFilteringFixInput }),
  z.object({ kind: z.literal('reverse-dns'), input: ReverseDnsFixInput }),
  z.object({ kind: z.literal('content-lint'), input: ContentLintFixInput })
])
export type FixRequest = z.infer<typeof FixRequest>

/** What a generator produced, as stored in the case (never a private key). */
export const FixOutput = z.object({
  /** The fix's title as a Text (StoredFix.title is its English rendering). */
  titleText: Text.optional(),
  snippets: z.array(FixSnippet),
  warnings: z.array(z.string()),
  /** `warnings` as Texts, in the same order. */
  warningTexts: z.array(Text).optional(),
  /** SPF: lookup counts (direct, catalogue estimate, live). */
  lookups: SpfLookupCount.optional(),
  /** DMARC: the dated rollout. */
  stages: z.array(DmarcStage).optional(),
  /** Content lint: what it found (also merged into the case's findings). */
  findings: z.array(Finding).optional()
})
export type FixOutput = z.infer<typeof FixOutput>

export const StoredFix = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  kind: FixKind,
  title: z.string(),
  input: z.record(z.string(), z.unknown()),
  output: FixOutput,
  createdAt: z.string()
})
export type StoredFix = z.infer<typeof StoredFix>

export const SpfServiceView = z.object({
  id: z.string(),
  name: z.string(),
  typicalLookups: z.number().int(),
  verified: z.enum(['vendor-docs', 'observed', 'unverified']),
  accountSpecific: z.boolean(),
  mechanisms: z.array(z.string())
})
export type SpfServiceView = z.infer<typeof SpfServiceView>

/** Generator inputs derived from the case: its domain and IPs, and the records the last domain check saw. */
export const FixPrefill = z.object({
  domain: z.string().nullable(),
  ips: z.array(z.string()),
  currentSpf: z.string().nullable(),
  currentDmarc: z.string().nullable(),
  /** Mechanisms of the current SPF record worth keeping (not services from the catalogue, not all). */
  keepMechanisms: z.array(z.string()),
  /** Catalogue services whose include the current SPF record already has. */
  services: z.array(z.string()),
  /** DKIM selectors seen by the last domain check. */
  selectors: z.array(z.string()),
  /** PTR names the last domain check found for the sending IPs (for the reverse-DNS request). */
  ptrNames: z.record(z.string(), z.string()),
  helo: z.string().nullable(),
  catalogue: z.array(SpfServiceView),
  /** Evidence ids with a message whose content can be linted. */
  lintable: z.array(z.object({ id: z.number().int(), name: z.string() })),
  /** Suggest a staged pct rollout (set from the DMARC reports' readiness, issue 13). */
  stagedPct: z.boolean().optional(),
  /** What the domain's DMARC reports added: legitimate sources' services and own IPs. */
  fromReports: z.object({ services: z.array(z.string()), ips: z.array(z.string()) }).optional()
})
export type FixPrefill = z.infer<typeof FixPrefill>

// ---------- verify ----------

export const VerifyOutcome = z.enum([
  'resolved',
  'still-open',
  'new',
  'could-not-check',
  'accepted',
  'not-rechecked'
])
export type VerifyOutcome = z.infer<typeof VerifyOutcome>

export const VerifyItem = z.object({
  /** The root cause's id (CaseCause.id); older runs hold a finding id. */
  findingId: z.string(),
  title: z.string(),
  titleText: Text.optional(),
  severity: Finding.shape.severity,
  step: FindingStep,
  before: z.enum(['open', 'resolved', 'accepted', 'absent']),
  after: FindingStatus,
  outcome: VerifyOutcome,
  /** Why: what the re-check saw. */
  detail: z.string().optional()
})
export type VerifyItem = z.infer<typeof VerifyItem>

export const VerifyCheck = z.object({
  check: z.enum(['domain', 'blocklist', 'messages']),
  state: z.enum(['done', 'failed', 'skipped']),
  message: z.string().optional()
})
export type VerifyCheck = z.infer<typeof VerifyCheck>

export const VerifyResult = z.object({
  runId: z.number().int(),
  checkedAt: z.string(),
  checks: z.array(VerifyCheck),
  items: z.array(VerifyItem),
  counts: z.record(VerifyOutcome, z.number().int())
})
export type VerifyResult = z.infer<typeof VerifyResult>

// ---------- report ----------

export const ReportFormat = z.enum(['html', 'pdf', 'md', 'json'])
export type ReportFormat = z.infer<typeof ReportFormat>
export const ReportVariant = z.enum(['full', 'operator'])
export type ReportVariant = z.infer<typeof ReportVariant>
export const ReportLanguage = z.enum(['en', 'fr'])
export type ReportLanguage = z.infer<typeof ReportLanguage>

export const ReportFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type ReportFile = z.infer<typeof ReportFile>
