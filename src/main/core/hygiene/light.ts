import type { BounceRecipient } from '../../../shared/schemas/bounce'
import { parseBounce } from '../bounce/parse-bounce'
import { analyzeSmtpText, evidenceKind, originalEvidence } from '../diagnose/analyze-message'
import { verdictCause } from '../diagnose/verdict'
import { decodeBytes, normalizeNewlines, parseMessageSync, parseMsg, sniffInput, splitMbox } from '../mime'
import type { ParsedMessage } from '../mime'
import { classifyAnalysis, classifyInput, type ClassifiedMessage } from './classify'

/**
 * Sending health's classification of one message, without the parts of the diagnosis hygiene does not use.
 *
 * The full analysis (core/diagnose analyzeFile) reads everything a person looking at one rejection wants: the
 * Received chains of the bounce and of the returned original, recorded authentication, anti-spam verdicts, who is
 * who, the verdict's texts, evidence spans and next steps. Classification (classify.ts) reads only the bounce
 * parse (recipients, status, reason, permanence), the kind (ARF, auto-reply, challenge, delay) and, for some failed
 * recipients, the verdict's cause. This path calls the same functions for those and skips the rest:
 * - the MIME parse and the bounce parse are the engine's own (parseMessage, parseBounce);
 * - the verdict's cause comes from `verdictCause`, the same signals and ranking as `computeVerdict`, and is only
 *   computed when a recipient needs it (a hard bounce or a full mailbox never does);
 * - the returned original's header block is read (`originalEvidence`: its recorded authentication and anti-spam
 *   verdicts, as `analyzeOriginal` reads them) only for that cause or for an ARF report's campaign identifiers.
 * So the result is the full path's `classifyAnalysis(analysis)` by construction; light.test.ts compares both.
 * Pure and synchronous: the ingest runs it in worker threads (services/hygiene/classify-pool.ts).
 */

export type LightOutcome =
  { ok: true; c: ClassifiedMessage; date: string | null } | { ok: false; code: string; message: string }

/** The same recipients `verdictInputOf` gives a bounce's verdict: not the ones that were delivered. */
const rejected = (rs: BounceRecipient[]) =>
  rs.filter((r) => r.action !== 'delivered' && r.action !== 'relayed' && r.action !== 'expanded')

export function classifyParsed(msg: ParsedMessage): { c: ClassifiedMessage; date: string | null } {
  const date = msg.date ?? null
  const bounce = parseBounce(msg)
  const kind = evidenceKind(bounce, msg)
  // Not an automatic reply: no bounce block in the analysis, so classification says "other".
  if (kind === 'message' || kind === 'headers') return { c: { kind: 'other', events: [] }, date }
  type Original = ReturnType<typeof originalEvidence>
  let original: Original | undefined | null = null
  const originalOf = (): Original | undefined => {
    if (original === null) {
      original = undefined
      if (bounce.original?.raw.trim()) {
        try {
          original = originalEvidence(bounce.original.raw)
        } catch {
          // as analyzeParsed: a damaged returned message costs its own analysis, not the bounce's
        }
      }
    }
    return original
  }
  const isFeedback = kind === 'feedback' || bounce.kind === 'feedback'
  const o = isFeedback ? originalOf() : undefined
  const c = classifyInput({
    kind,
    bounce,
    cause: () => {
      const orig = originalOf()
      return verdictCause({
        recipients: kind === 'bounce' ? rejected(bounce.recipients) : [],
        auth: orig ? [{ prefix: 'original:', headers: orig.headers, ...orig.auth }] : [],
        antispam: orig ? [{ prefix: 'original:', report: orig.antispam }] : []
      })
    },
    originalMessageId: o?.messageId,
    listId: o?.headers.find((h) => h.name.toLowerCase() === 'list-id')?.value
  })
  return { c, date }
}

/**
 * One message's bytes → its classification, reading the input as `analyzeFile` does (sniff; .msg; an mbox's first
 * message; pasted SMTP text through the full path, which is short). Never throws.
 */
export async function classifyMessage(
  bytes: Uint8Array,
  name: string,
  maxBytes: number
): Promise<LightOutcome> {
  const sniff = sniffInput(bytes, name, maxBytes)
  if (sniff.kind === 'error') {
    const err = sniff.error ?? { code: 'NOT_A_MESSAGE', message: `${name} is not an email message.` }
    return { ok: false, code: err.code, message: err.message }
  }
  try {
    if (sniff.kind === 'smtp-text') {
      const a = await analyzeSmtpText(name, normalizeNewlines(decodeBytes(bytes).text).trim())
      return { ok: true, c: classifyAnalysis(a), date: a.summary.date }
    }
    let msg: ParsedMessage
    if (sniff.kind === 'mbox') {
      const first = splitMbox(bytes)[0]
      if (first === undefined)
        return { ok: false, code: 'NOT_A_MESSAGE', message: `${name} is an empty mailbox.` }
      msg = parseMessageSync(first, { source: 'mbox' })
    } else msg = sniff.kind === 'msg' ? parseMsg(bytes) : parseMessageSync(bytes)
    return { ok: true, ...classifyParsed(msg) }
  } catch (e) {
    return {
      ok: false,
      code: 'PARSE_ERROR',
      message: `${name} could not be analysed: ${(e as Error).message}`
    }
  }
}
