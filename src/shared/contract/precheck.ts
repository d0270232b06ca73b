import { z } from 'zod'
import { Text } from '../text'
import { UploadFile } from './core'
import { ipProblem } from './domain'
import type { MethodSpec } from './spec'

/**
 * Pre-send check (issue 14): drop the message you are about to send and get a score out of 10 with what to
 * change. The IP is the one the user will send from (never a receiver's); link domains are the message's own.
 */

const TaskId = z.string().min(1).max(100)

/** `unknown` (could not check) and `skipped` are coverage, never a pass: they earn nothing in the score. */
export const PrecheckStatus = z.enum(['pass', 'warn', 'fail', 'unknown', 'skipped'])
export type PrecheckStatus = z.infer<typeof PrecheckStatus>

export const PrecheckCheckId = z.enum([
  'dkim',
  'spf',
  'dmarc',
  'alignment',
  'unsubscribe',
  'tls',
  'ptr',
  'complaints',
  'content',
  'links',
  'spamassassin'
])
export type PrecheckCheckId = z.infer<typeof PrecheckCheckId>

export const PrecheckCheck = z.object({
  id: PrecheckCheckId,
  status: PrecheckStatus,
  detail: Text,
  /** What to change; null when there is nothing to change. */
  fix: Text.nullable(),
  /** Sub-points: the content findings, the listed link domains, the DKIM signatures. */
  items: z.array(Text),
  /** Share of the score (points out of the sum of all weights, scaled to 10). */
  weight: z.number(),
  /** The operator pages or RFCs the check follows. */
  sources: z.array(z.string())
})
export type PrecheckCheck = z.infer<typeof PrecheckCheck>

export const SpamAssassinRule = z.object({
  name: z.string(),
  score: z.number(),
  /** SpamAssassin's own description, verbatim. */
  description: z.string()
})
export type SpamAssassinRule = z.infer<typeof SpamAssassinRule>

export const SpamAssassinResult = z.object({
  status: z.enum(['ran', 'skipped', 'error']),
  /** Why it was skipped or failed. */
  reason: Text.optional(),
  version: z.string().optional(),
  score: z.number().optional(),
  required: z.number().optional(),
  rules: z.array(SpamAssassinRule)
})
export type SpamAssassinResult = z.infer<typeof SpamAssassinResult>

export const PrecheckResult = z.object({
  file: z.string(),
  checkedAt: z.string(),
  /** The IP the user will send from, as given; null when not given. */
  ip: z.string().nullable(),
  resolver: z.string(),
  fromDomain: z.string().nullable(),
  /** The envelope sender SPF was checked for, and whether it was taken from From (no Return-Path in the file). */
  mailFrom: z.string().nullable(),
  mailFromAssumed: z.boolean(),
  linkDomains: z.array(z.string()),
  /** 0–10, one decimal. */
  score: z.number(),
  /** Weight of the checks that could be decided, out of the total weight. */
  coverage: z.object({ checked: z.number(), total: z.number() }),
  checks: z.array(PrecheckCheck),
  spamassassin: SpamAssassinResult
})
export type PrecheckResult = z.infer<typeof PrecheckResult>

const SendingIp = z
  .string()
  .max(100)
  .superRefine((v, ctx) => {
    const p = ipProblem(v)
    if (p) ctx.addIssue({ code: 'custom', message: p })
  })
  .transform((s) => s.trim().replace(/^\[|\]$/g, ''))

export const precheckApi = {
  'precheck.run': {
    input: z
      .object({
        file: UploadFile,
        /** The IP you will send from (SPF, PTR/FCrDNS). */
        ip: SendingIp.optional(),
        resolver: z.string().max(200).optional(),
        taskId: TaskId.optional()
      })
      .strict(),
    output: PrecheckResult
  },
  'precheck.cancel': {
    input: z.object({ taskId: TaskId }).strict(),
    output: z.object({ cancelled: z.boolean() })
  }
} as const satisfies Record<string, MethodSpec>
