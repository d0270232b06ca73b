import { z } from 'zod'
import { Analysis } from '../schemas/analysis'
import type { MethodSpec } from './spec'

const Id = z.number().int().positive()
/** IP[:port] of a resolver, e.g. "127.0.0.1:5353"; checked again by services/dns.ts. */
const Resolver = z.string().trim().min(1).max(100)

const Upload = z.object({
  name: z.string().min(1).max(500),
  base64: z.string().max(Math.ceil((1024 * 1024 * 1024 * 4) / 3)),
  size: z.number().int().nonnegative().optional()
})

export const MessageBodyOut = z.object({
  text: z.string(),
  /** Neutralised HTML (remote references rewritten, scripts removed); show only in a sandboxed iframe. */
  html: z.string().optional(),
  blockedRemote: z.number().int()
})
export type MessageBodyOut = z.infer<typeof MessageBodyOut>

/** The diagnose methods of the contract beyond the core ones (see api.ts). */
export const diagnoseApi = {
  /**
   * Re-verifies SPF/DKIM/DMARC/ARC/BIMI of stored evidence with today's DNS (for a bounce: of the returned
   * original), stores `auth.now` + `auth.comparison` and the refreshed verdict, and returns the analysis.
   * Emits `progress` with taskId "reverify:<id>".
   */
  'evidence.reverify': {
    input: z.object({ id: Id, resolver: Resolver.optional() }).strict(),
    output: Analysis
  },
  /** The body of stored evidence, parsed on demand (not kept in the analysis). */
  'evidence.body': { input: z.object({ id: Id }).strict(), output: MessageBodyOut },
  /** `message.analyze` plus an optional re-verification over DNS (the CLI's `analyze --resolver`). */
  'diagnose.analyze': {
    input: z.object({ file: Upload, resolver: Resolver.optional() }).strict(),
    output: z.object({ analyses: z.array(Analysis) })
  }
} as const satisfies Record<string, MethodSpec>
