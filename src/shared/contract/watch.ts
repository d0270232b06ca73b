import { z } from 'zod'
import { Text } from '../text'
import type { MethodSpec } from './spec'

/**
 * Watchlist (issue 14): domains, IPs and IPv4 ranges up to /24 checked on a schedule (blocklists and DNS posture),
 * with drift detection and alerts. Alerts are text as data (`text`, rendered in EN/FR); `summary` is the English
 * rendering for the CLI and logs.
 */

const TaskId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/)
const ListId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a catalogue list id such as spamhaus-zen')
const Selector = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/,
    'a DKIM selector (the s= value of a DKIM-Signature, e.g. selector1)'
  )
/** A target as typed, or its canonical value ("192.0.2.0/24", "example.com"). */
const TargetInput = z.string().trim().min(1).max(300)

export const WatchTargetType = z.enum(['ip4', 'ip6', 'range', 'domain'])
export type WatchTargetType = z.infer<typeof WatchTargetType>

export const WatchAlertKind = z.enum(['listed', 'delisted', 'record-changed', 'finding-new', 'dmarc-drop'])
export type WatchAlertKind = z.infer<typeof WatchAlertKind>

export const WatchTarget = z.object({
  id: z.number().int(),
  /** Canonical: an IP, an IPv4 range in CIDR form, or a lower-case A-label domain. */
  value: z.string(),
  type: WatchTargetType,
  /** DKIM selectors checked for a domain (besides the common ones the domain check tries). */
  selectors: z.array(z.string()),
  /** Catalogue lists; empty: the catalogue's default sweep. */
  lists: z.array(z.string()),
  /** Cases whose timeline receives this target's alerts. */
  caseIds: z.array(z.number().int()),
  createdAt: z.string(),
  lastRunAt: z.string().nullable(),
  /** Block lists listing the target (or an address of the range) after the last run. */
  listedOn: z.array(z.string()),
  /** Errors and critical findings of the DNS posture after the last run. */
  errors: z.number().int(),
  alerts: z.number().int()
})
export type WatchTarget = z.infer<typeof WatchTarget>

export const WatchAlert = z.object({
  id: z.number().int(),
  targetId: z.number().int(),
  target: z.string(),
  kind: WatchAlertKind,
  text: Text,
  /** English rendering of `text`. */
  summary: z.string(),
  /** The list id (listings), the record key ("spf", "dkim:s1", "mx"...), or the finding id. */
  subject: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  runId: z.number().int().nullable(),
  /** The case opened from this alert, if any. */
  caseId: z.number().int().nullable(),
  createdAt: z.string()
})
export type WatchAlert = z.infer<typeof WatchAlert>

/** What one run could not check: never "clean", never a delisting (coverage). */
export const WatchCoverage = z.object({
  target: z.string(),
  /** A list id, or a DNS mechanism ("spf", "dmarc", "ptr"...). */
  what: z.string(),
  reason: z.string()
})
export type WatchCoverage = z.infer<typeof WatchCoverage>

/** One point of a target's history chart. */
export const WatchRunPoint = z.object({
  id: z.number().int(),
  at: z.string(),
  /** (list, address) pairs listed by a block list. */
  listed: z.number().int(),
  clean: z.number().int(),
  /** Lists (or mechanisms) that could not be checked in this run. */
  unchecked: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  alerts: z.number().int(),
  /** DMARC pass rate (0–1) over the reports of the last 7 days, for domains with DMARC reports. */
  dmarcPass: z.number().nullable()
})
export type WatchRunPoint = z.infer<typeof WatchRunPoint>

export const WatchRunResult = z.object({
  runAt: z.string(),
  /** Targets checked. */
  checked: z.number().int(),
  alerts: z.array(WatchAlert),
  coverage: z.array(WatchCoverage)
})
export type WatchRunResult = z.infer<typeof WatchRunResult>

export const watchApi = {
  'watch.add': {
    input: z
      .object({
        targets: z.array(TargetInput).min(1).max(100),
        selectors: z.array(Selector).max(20).optional(),
        lists: z.array(ListId).max(200).optional(),
        /** Link the targets to this case: their alerts go to its timeline. */
        caseId: z.number().int().positive().optional()
      })
      .strict(),
    output: z.object({ added: z.array(WatchTarget), existing: z.array(z.string()) })
  },
  'watch.list': { input: z.object({}).strict(), output: z.array(WatchTarget) },
  'watch.remove': {
    input: z.object({ targets: z.array(TargetInput).min(1).max(100) }).strict(),
    output: z.object({ removed: z.array(z.string()), unknown: z.array(z.string()) })
  },
  'watch.run': {
    input: z
      .object({
        /** Only these targets; default: all. */
        targets: z.array(TargetInput).max(100).optional(),
        /** IP[:port] for this run only (CLI --resolver); default: the settings' resolver. */
        resolver: z.string().trim().max(200).optional(),
        taskId: TaskId.optional()
      })
      .strict(),
    output: WatchRunResult
  },
  'watch.cancel': {
    input: z.object({ taskId: TaskId }).strict(),
    output: z.object({ cancelled: z.boolean() })
  },
  'watch.history': {
    input: z.object({ target: TargetInput, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({ target: WatchTarget, points: z.array(WatchRunPoint) })
  },
  'watch.alerts': {
    input: z
      .object({ target: TargetInput.optional(), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
    output: z.array(WatchAlert)
  },
  /** Opens a case from an alert, with the check that raised it as the case's stored check. */
  'watch.openCase': {
    input: z.object({ alertId: z.number().int().positive() }).strict(),
    output: z.object({ caseId: z.number().int() })
  },
  'watch.link': {
    input: z.object({ target: TargetInput, caseId: z.number().int().positive() }).strict(),
    output: WatchTarget
  }
} as const satisfies Record<string, MethodSpec>
