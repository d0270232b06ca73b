import { z } from 'zod'

/** DMARC aggregate / failure / TLS report views (issue 13). Everything said to the user carries code + params. */

export const Params = z.record(z.string(), z.union([z.string(), z.number()]))

export const ReportProblem = z.object({
  file: z.string(),
  code: z.string(),
  params: Params,
  /** English text (CLI, logs); the UI renders code + params. */
  error: z.string()
})
export type ReportProblem = z.infer<typeof ReportProblem>

export const IngestResult = z.object({
  /** Reports stored (aggregate + failure + TLS), duplicates not included. */
  reports: z.number().int(),
  aggregate: z.number().int(),
  failure: z.number().int(),
  tls: z.number().int(),
  /** Aggregate records stored, and the sum of their <count>. */
  records: z.number().int(),
  messages: z.number().int(),
  /** Reports already stored (same kind, reporting organisation and report id), counted once. */
  duplicates: z.number().int(),
  /** Domains the stored reports are about. */
  domains: z.array(z.string()),
  errors: z.array(ReportProblem)
})
export type IngestResult = z.infer<typeof IngestResult>

export const ServiceMatch = z.object({
  id: z.string(),
  name: z.string(),
  signals: z.array(z.enum(['spf', 'ptr', 'dkim']))
})

export const SourceCategory = z.enum([
  'legitimate',
  'service',
  'authorised',
  'forwarder',
  'unknown',
  'rejected'
])
export type SourceCategory = z.infer<typeof SourceCategory>

export const DmarcSource = z.object({
  ip: z.string(),
  ptr: z.string().nullable(),
  service: ServiceMatch.nullable(),
  messages: z.number().int(),
  dmarcPass: z.number().int(),
  spfAligned: z.number().int(),
  dkimAligned: z.number().int(),
  forwarded: z.number().int(),
  dispositions: z.record(z.string(), z.number().int()),
  dkimDomains: z.array(z.string()),
  category: SourceCategory,
  legitimate: z.boolean().nullable()
})
export type DmarcSource = z.infer<typeof DmarcSource>

export const TlsSummary = z.object({
  reports: z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
  byResultType: z.array(z.object({ resultType: z.string(), sessions: z.number().int() })),
  byMx: z.array(z.object({ mx: z.string(), sessions: z.number().int(), resultTypes: z.array(z.string()) })),
  policyTypes: z.array(z.string()),
  /** Domain-check findings this relates to (RFC 8461 MTA-STS, RFC 8460 TLS-RPT), by id prefix. */
  relatedFindings: z.array(z.string())
})
export type TlsSummary = z.infer<typeof TlsSummary>

export const FailureSummary = z.object({
  reports: z.number().int(),
  items: z.array(
    z.object({
      reporter: z.string(),
      date: z.number().int(),
      sourceIp: z.string().nullable(),
      authFailure: z.string().nullable(),
      originalMailFrom: z.string().nullable(),
      subject: z.string().nullable()
    })
  )
})

export const DmarcSummary = z.object({
  domain: z.string(),
  since: z.string().nullable(),
  reports: z.number().int(),
  messages: z.number().int(),
  dmarcPass: z.number().int(),
  spfAligned: z.number().int(),
  dkimAligned: z.number().int(),
  timeline: z.array(z.object({ day: z.string(), messages: z.number().int(), dmarcPass: z.number().int() })),
  sources: z.array(DmarcSource),
  dispositions: z.array(z.object({ disposition: z.string(), messages: z.number().int() })),
  reporters: z.array(z.object({ org: z.string(), reports: z.number().int(), messages: z.number().int() })),
  /** The most recent policy_published seen for the domain. */
  policy: z
    .object({
      p: z.string(),
      sp: z.string().optional(),
      pct: z.number().optional(),
      adkim: z.string(),
      aspf: z.string()
    })
    .nullable(),
  failures: FailureSummary,
  tls: TlsSummary
})
export type DmarcSummary = z.infer<typeof DmarcSummary>

export const Readiness = z.object({
  target: z.enum(['quarantine', 'reject']),
  days: z.number().int(),
  threshold: z.number(),
  verdict: z.object({ code: z.string(), params: Params }),
  legitimate: z.array(
    z.object({
      ip: z.string(),
      service: z.string().nullable(),
      messages: z.number().int(),
      dmarcPass: z.number().int(),
      rate: z.number(),
      ok: z.boolean()
    })
  ),
  wouldHit: z.array(
    z.object({
      ip: z.string(),
      service: z.string().nullable(),
      failing: z.number().int(),
      legitimate: z.boolean().nullable(),
      category: SourceCategory
    })
  ),
  failingMessages: z.number().int(),
  stagedPct: z.boolean()
})
export type Readiness = z.infer<typeof Readiness>

/** What the DMARC data gives the Fix step: SPF builder services/IPs from legitimate sources, and the rollout. */
export const DmarcFixInputs = z.object({
  domain: z.string(),
  services: z.array(z.string()),
  ips: z.array(z.string()),
  stagedPct: z.boolean(),
  verdict: z.object({ code: z.string(), params: Params }).nullable()
})
export type DmarcFixInputs = z.infer<typeof DmarcFixInputs>
