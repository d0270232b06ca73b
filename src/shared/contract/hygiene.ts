import { z } from 'zod'
import { Settings } from '../settings'
import { UploadFile } from './core'
import type { MethodSpec } from './spec'

/**
 * Sending health (issue 12): read a bounce/feedback mailbox (folders, uploads, IMAP), keep a suppression list by
 * explicit rules, and watch bounce and complaint rates. Everything the backend says to a person is a `code` with
 * `params`, rendered by the UI in English or French (resources/locales/<lng>/hygiene.json).
 */
const TaskId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/)

export const Text = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()]))
})
export type Text = z.infer<typeof Text>

export const IngestError = z.object({
  /** The file (path, "mbox#N" or "imap://…;UID=N") the error is about. */
  file: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** The same in English, for logs and the CLI. */
  message: z.string()
})
export type IngestError = z.infer<typeof IngestError>

export const IngestSummary = z.object({
  messages: z.number().int(),
  bounces: z.number().int(),
  complaints: z.number().int(),
  autoReplies: z.number().int(),
  delays: z.number().int(),
  challenges: z.number().int(),
  reports: z.number().int(),
  other: z.number().int(),
  duplicates: z.number().int(),
  /** Recipients whose bounce was a block on the sender: sending problems, never suppressed. */
  senderBlocks: z.number().int(),
  /** Addresses newly suppressed by this run. */
  suppressed: z.number().int(),
  errors: z.array(IngestError),
  /** Not errors, but worth saying (e.g. the mailbox's UIDVALIDITY changed, so it was read again from the start). */
  notices: z.array(Text),
  cancelled: z.boolean()
})
export type IngestSummary = z.infer<typeof IngestSummary>

/** A summary with nothing counted yet: the start of a run in the service, the CLI and the browser upload. */
export function emptySummary(): IngestSummary {
  return {
    messages: 0,
    bounces: 0,
    complaints: 0,
    autoReplies: 0,
    delays: 0,
    challenges: 0,
    reports: 0,
    other: 0,
    duplicates: 0,
    senderBlocks: 0,
    suppressed: 0,
    errors: [],
    notices: [],
    cancelled: false
  }
}

export const ImapTls = z.enum(['tls', 'starttls'])
export const ImapSourceInput = z
  .object({
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().trim().min(1).max(320),
    mailbox: z.string().trim().min(1).max(500).default('INBOX'),
    /** tls = implicit TLS (port 993, RFC 8314 §3.2, preferred); starttls = RFC 3501 §6.2.1 upgrade (port 143). */
    tls: ImapTls.default('tls'),
    auth: z.enum(['password', 'oauth2']).default('password'),
    /** PEM of a private CA the server's certificate chains to (company CA); public CAs need nothing. */
    caPem: z.string().max(20_000).optional(),
    /** Opt-in: mark processed messages \\Seen (read-only EXAMINE otherwise, RFC 3501 §6.3.2). */
    markSeen: z.boolean().default(false)
  })
  .strict()
export type ImapSourceInput = z.infer<typeof ImapSourceInput>

export const Source = z.object({
  id: z.number().int(),
  kind: z.enum(['folder', 'imap', 'upload']),
  label: z.string(),
  config: z.record(z.string(), z.unknown()),
  hasSecret: z.boolean(),
  uidvalidity: z.number().nullable(),
  lastUid: z.number().int(),
  lastRun: z.string().nullable(),
  lastSummary: z.unknown()
})

export const SuppressionCategory = z.enum(['hard', 'soft', 'complaint'])
export const Suppression = z.object({
  email: z.string(),
  category: SuppressionCategory,
  reason: z.string(),
  status: z.string(),
  first_seen: z.string(),
  last_seen: z.string(),
  count: z.number().int(),
  source: z.string(),
  state: z.enum(['suppressed', 'released']),
  releasedAt: z.string().nullable(),
  releaseNote: z.string().nullable(),
  explanation: Text
})
export type Suppression = z.infer<typeof Suppression>

export const RateRow = z.object({
  key: z.string(),
  hard: z.number(),
  soft: z.number(),
  complaints: z.number(),
  blocks: z.number(),
  delays: z.number(),
  sent: z.number().nullable(),
  bounceRate: z.number().nullable(),
  complaintRate: z.number().nullable(),
  level: z.enum(['ok', 'watch', 'over']).nullable()
})
export type RateRow = z.infer<typeof RateRow>

export const Cluster = z.object({
  key: z.string(),
  domain: z.string(),
  cause: z.string(),
  code: z.string(),
  since: z.string(),
  until: z.string(),
  recipients: z.number().int(),
  messages: z.number().int(),
  example: z.string(),
  summary: Text
})
export type Cluster = z.infer<typeof Cluster>

export const HygieneStats = z.object({
  messages: z.record(z.string(), z.number()),
  suppressed: z.record(z.string(), z.number()),
  reasons: z.array(z.object({ reason: z.string(), type: z.string(), n: z.number() })),
  days: z.array(RateRow),
  domains: z.array(RateRow),
  alerts: z.array(Text),
  clusters: z.array(Cluster),
  thresholds: z.object({
    complaintMax: z.number(),
    complaintAim: z.number(),
    bounceReview: z.number(),
    bounceMax: z.number()
  })
})
export type HygieneStats = z.infer<typeof HygieneStats>

export const Volume = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sent: z.number().int().nonnegative(),
  domain: z.string().trim().toLowerCase().max(255).default('')
})

export const hygieneApi = {
  /** Files uploaded by the UI (a folder picked in the browser or the app): one batch per call. */
  'hygiene.ingestFiles': {
    input: z
      .object({
        files: z.array(UploadFile).min(1).max(500),
        /** The folder's name, so runs of the same folder count as one source. */
        label: z.string().trim().min(1).max(500).default('upload'),
        taskId: TaskId.optional()
      })
      .strict(),
    output: IngestSummary
  },
  /** Folders, Maildirs, .eml/.msg files and mbox files on disk: command line only (see services/index.ts). */
  'hygiene.ingestPaths': {
    input: z
      .object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000), taskId: TaskId.optional() })
      .strict(),
    output: IngestSummary
  },
  'hygiene.ingestImap': {
    input: z
      .object({
        source: ImapSourceInput,
        /** The password or OAuth2 access token for this run; absent: the one the app keeps (safeStorage). */
        secret: z.string().max(10_000).optional(),
        /** Keep the secret with the OS keychain (desktop app only: Electron safeStorage). */
        remember: z.boolean().default(false),
        /** Read again from UID 1 (the cursor is kept otherwise). */
        full: z.boolean().default(false),
        taskId: TaskId.optional()
      })
      .strict(),
    output: IngestSummary.extend({ sourceId: z.number().int() })
  },
  'hygiene.cancel': {
    input: z.object({ taskId: TaskId }).strict(),
    output: z.object({ cancelled: z.boolean() })
  },
  'hygiene.sources': { input: z.object({}).strict(), output: z.array(Source) },
  'hygiene.deleteSource': {
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ deleted: z.boolean() })
  },
  'hygiene.suppressions': {
    input: z
      .object({
        query: z.string().trim().max(320).optional(),
        category: SuppressionCategory.optional(),
        state: z.enum(['suppressed', 'released']).optional(),
        limit: z.number().int().min(1).max(10_000).default(500)
      })
      .strict(),
    output: z.object({ rows: z.array(Suppression), total: z.number().int() })
  },
  'hygiene.release': {
    input: z
      .object({
        email: z.string().trim().toLowerCase().min(3).max(320),
        note: z.string().trim().min(1).max(2000)
      })
      .strict(),
    output: Suppression
  },
  /** CSV (header `email,category,reason,status,first_seen,last_seen,count,source`) or JSON of the active list. */
  'hygiene.export': {
    input: z
      .object({ format: z.enum(['csv', 'json']), path: z.string().min(1).max(4096).optional() })
      .strict(),
    output: z.object({ rows: z.number().int(), content: z.string().optional(), path: z.string().optional() })
  },
  'hygiene.stats': { input: z.object({}).strict(), output: HygieneStats },
  'hygiene.rules': { input: z.object({}).strict(), output: Settings.shape.hygieneRules },
  'hygiene.setRules': {
    input: z
      .object({
        hardSuppresses: z.boolean().optional(),
        complaintSuppresses: z.boolean().optional(),
        softCount: z.number().int().min(1).max(100).optional(),
        softDays: z.number().int().min(0).max(365).optional()
      })
      .strict(),
    output: Settings.shape.hygieneRules
  },
  /** Sent volumes: typed rows, or a CSV `date,sent[,domain]`. */
  'hygiene.setVolumes': {
    input: z
      .object({
        rows: z.array(Volume).max(100_000).optional(),
        csv: z.string().max(5_000_000).optional(),
        replace: z.boolean().default(false)
      })
      .strict(),
    output: z.object({ saved: z.number().int(), errors: z.array(Text) })
  },
  'hygiene.volumes': { input: z.object({}).strict(), output: z.array(Volume) },
  /** Creates a case from a cluster of sender-side blocks, with its bounces as evidence. */
  'hygiene.openCase': {
    input: z
      .object({ key: z.string().min(3).max(600), maxEvidence: z.number().int().min(1).max(50).default(20) })
      .strict(),
    output: z.object({ caseId: z.number().int(), evidence: z.number().int() })
  }
} as const satisfies Record<string, MethodSpec>
