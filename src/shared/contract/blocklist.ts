import { z } from 'zod'
import {
  BlocklistEntry,
  DelistEvent,
  DelistRequest,
  DelistStatus,
  ListType,
  RemovalMethod,
  TargetReport
} from '../schemas/blocklist'
import { Finding } from '../schemas/common'
import type { MethodSpec } from './spec'

/**
 * The blocklist and delisting methods of the contract (see api.ts).
 *
 * `blocklist.*`: the catalogue, sweeps of IPs/domains (RFC 5782 DNSBL queries), and what a case offers to sweep.
 * `delist.*`: delisting requests tracked to the end (state machine in src/main/core/blocklist/delisting.ts).
 */
const Id = z.number().int().positive()
/** Delisting requests are addressed by their string id (DelistRequest.id, the row id as a string). */
const RequestId = z.string().regex(/^\d{1,15}$/, 'a delisting request id')
const TaskId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/)
const ListId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a catalogue list id such as spamhaus-zen')

export const CatalogueCounts = z.object({
  total: z.number().int(),
  active: z.number().int(),
  ip4: z.number().int(),
  ip6: z.number().int(),
  domain: z.number().int(),
  allow: z.number().int(),
  info: z.number().int(),
  defunct: z.number().int(),
  provider: z.number().int(),
  requiresKey: z.number().int()
})

export const CatalogueView = z.object({
  updated: z.string(),
  lists: z.array(BlocklistEntry),
  counts: CatalogueCounts,
  /** Which keyed zones the settings unlock (the keys themselves never leave the backend). */
  keys: z.object({ dqs: z.boolean(), abusix: z.boolean() })
})
export type CatalogueView = z.infer<typeof CatalogueView>

export const ScanResult = z.object({
  checkedAt: z.string(),
  /** "system" or the IP[:port] the queries went through. */
  resolver: z.string(),
  reports: z.array(TargetReport),
  /** Inputs that are neither an IP address nor a domain name. */
  invalid: z.array(z.object({ input: z.string(), reason: z.string() })),
  findings: z.array(Finding),
  /** The check_runs row when the scan belongs to a case. */
  runId: z.number().int().optional()
})
export type ScanResult = z.infer<typeof ScanResult>

export const TargetSource = z.enum(['edge', 'rejection', 'from', 'dkim', 'link'])
export type TargetSource = z.infer<typeof TargetSource>

export const CaseTarget = z.object({
  value: z.string(),
  type: ListType,
  /** Where the case shows it; one target may come from several places. */
  sources: z.array(TargetSource),
  /** Private/loopback addresses: public lists cannot say anything about them, so they are not pre-selected. */
  suggested: z.boolean(),
  detail: z.string().optional()
})
export type CaseTarget = z.infer<typeof CaseTarget>

export const CaseTargets = z.object({
  targets: z.array(CaseTarget),
  /** Catalogue lists (DNS lists and provider blocks) that the case's rejection texts name. */
  named: z.array(z.object({ list: z.string(), name: z.string(), match: z.string(), provider: z.boolean() }))
})
export type CaseTargets = z.infer<typeof CaseTargets>

export const DelistRequestView = DelistRequest.extend({
  caseId: z.number().int(),
  caseTitle: z.string(),
  /** How the removal was asked for (the list's removal method unless the admin said otherwise). */
  method: RemovalMethod.optional(),
  notes: z.string().optional(),
  /** Requested longer ago than the list's usual delay (whether or not a re-check has confirmed it since). */
  overdue: z.boolean()
})
export type DelistRequestView = z.infer<typeof DelistRequestView>

export const blocklistApi = {
  'blocklist.catalogue': { input: z.object({}).strict(), output: CatalogueView },
  'blocklist.scan': {
    input: z
      .object({
        targets: z.array(z.string().trim().min(1).max(300)).min(1).max(500),
        /** Catalogue ids; default: the catalogue's default sweep. */
        lists: z.array(ListId).max(200).optional(),
        caseId: Id.optional(),
        /** IP[:port] for this scan only (CLI --resolver); default: the settings' resolver. */
        resolver: z.string().trim().max(200).optional(),
        /** Client-chosen id for progress events and blocklist.cancel. */
        taskId: TaskId.optional()
      })
      .strict(),
    output: ScanResult
  },
  'blocklist.cancel': {
    input: z.object({ taskId: TaskId }).strict(),
    output: z.object({ cancelled: z.boolean() })
  },
  'blocklist.caseTargets': { input: z.object({ caseId: Id }).strict(), output: CaseTargets },
  /** The case's latest stored sweep, so results survive a reload. */
  'blocklist.lastScan': {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ scan: ScanResult.nullable() })
  },

  'delist.create': {
    input: z
      .object({
        caseId: Id,
        list: ListId,
        target: z.string().trim().min(1).max(300),
        method: RemovalMethod.optional(),
        reference: z.string().trim().max(500).optional(),
        notes: z.string().trim().max(10_000).optional(),
        /** The removal form was already filed: start at "requested" rather than "listed". */
        requested: z.boolean().optional()
      })
      .strict(),
    output: DelistRequestView
  },
  'delist.update': {
    input: z
      .object({
        id: RequestId,
        event: DelistEvent.optional(),
        /** Shorthand for the event that leads to this status (requested → request/retry, pending → acknowledge …). */
        status: DelistStatus.optional(),
        reference: z.string().trim().max(500).optional(),
        notes: z.string().trim().max(10_000).optional()
      })
      .strict()
      .refine((v) => !(v.event && v.status), { message: 'give either event or status, not both' }),
    output: DelistRequestView
  },
  'delist.list': {
    input: z.object({ caseId: Id.optional(), status: DelistStatus.optional() }).strict(),
    output: z.array(DelistRequestView)
  },
  'delist.checkNow': {
    input: z.object({ id: RequestId.optional() }).strict(),
    output: z.object({
      checked: z.number().int(),
      changed: z.number().int(),
      requests: z.array(DelistRequestView)
    })
  }
} as const satisfies Record<string, MethodSpec>
