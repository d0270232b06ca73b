import { z } from 'zod'
import { UploadFile } from './core'
import { DomainName } from './domain'
import { DmarcFixInputs, DmarcSummary, IngestResult, Readiness } from '../schemas/dmarc'
import type { MethodSpec } from './spec'

/** DMARC reports (issue 13): ingest RUA/RUF/TLS reports, per-domain summary, readiness for a stricter policy. */

const TaskId = z.string().min(1).max(100)
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2025-01-31.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Not a calendar date.')

export const dmarcApi = {
  'dmarc.ingest': {
    input: z
      .object({
        files: z.array(UploadFile).max(1000).default([]),
        /** Files or folders, from the command line only. */
        paths: z.array(z.string().min(1).max(4096)).max(10000).optional(),
        taskId: TaskId.optional()
      })
      .strict(),
    output: IngestResult
  },
  'dmarc.cancel': {
    input: z.object({ taskId: TaskId }).strict(),
    output: z.object({ cancelled: z.boolean() })
  },
  'dmarc.domains': {
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        domain: z.string(),
        reports: z.number().int(),
        messages: z.number().int(),
        first: z.number().int().nullable(),
        last: z.number().int().nullable()
      })
    )
  },
  'dmarc.summary': {
    input: z
      .object({
        domain: DomainName,
        since: IsoDate.optional(),
        /** Resolve PTR names and the services' SPF includes live (default true). */
        live: z.boolean().default(true),
        resolver: z.string().max(200).optional()
      })
      .strict(),
    output: DmarcSummary
  },
  'dmarc.readiness': {
    input: z
      .object({
        domain: DomainName,
        target: z.enum(['quarantine', 'reject']).default('quarantine'),
        days: z.number().int().min(1).max(366).default(30),
        threshold: z.number().min(0.5).max(1).default(0.98),
        live: z.boolean().default(true),
        resolver: z.string().max(200).optional()
      })
      .strict(),
    output: Readiness
  },
  'dmarc.markSource': {
    input: z
      .object({
        domain: DomainName,
        /** "ip:192.0.2.1" or "service:google". */
        source: z.string().regex(/^(ip:[0-9a-fA-F:.]+|service:[a-z0-9-]+)$/),
        legitimate: z.boolean().nullable()
      })
      .strict(),
    output: z.object({ ok: z.boolean() })
  },
  'dmarc.fixInputs': {
    input: z.object({ domain: DomainName, days: z.number().int().min(1).max(366).default(30) }).strict(),
    output: DmarcFixInputs
  }
} as const satisfies Record<string, MethodSpec>
