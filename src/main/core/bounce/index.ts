/**
 * Bounce (DSN / NDR) analysis.
 *
 * Public API
 * - `parseBounce(msg: ParsedMessage) → BounceResult` — detects a bounce and returns, per failed recipient,
 *   `{recipient, action, status (X.Y.Z), replyCode, diagnosticCode, remoteMta, reportingMta, command, reason,
 *   feedbackType?}` plus `format` (RFC3464, Postfix, Exim, Exchange2007, ARF ...) and `original` (raw text of the
 *   returned message and whether it is headers only). RFC 3464 / 3463 / 5321 / 5965 semantics. Never throws.
 * - `parseSmtpText(text) → BounceResult` — a pasted SMTP error line ("550 5.7.1 ... (S3150)") as one pseudo
 *   recipient with status / replyCode / reason.
 * - `analyzeBounceInput(bytes | string, fileName?) → Promise<BounceResult[]>` — sniff + parse + classify, one
 *   result per message (mbox gives several).
 * - `classifyReason(input) → reason`, `findStatus`, `findReplyCode`, `findCommand` — building blocks.
 * Zod schemas: src/shared/schemas/bounce.ts (`BounceRecipient`, `BounceResult`).
 */
import type { BounceResult } from '../../../shared/schemas/bounce'
import { parseInput } from '../mime'
import { parseBounce, parseSmtpText } from './parse-bounce'

export { parseBounce, parseSmtpText } from './parse-bounce'
export type { ParseBounceOptions } from './parse-bounce'
export { classifyReason, includedIn } from './classify-reason'
export type { ReasonInput } from './classify-reason'
export { findStatus, findReplyCode, findCommand, preferStatus } from './smtp-codes'
export { parseDeliveryStatus } from './dsn'

export async function analyzeBounceInput(
  input: Uint8Array | string,
  fileName?: string
): Promise<BounceResult[]> {
  const parsed = await parseInput(input, fileName)
  if (parsed.smtpText !== undefined) return [parseSmtpText(parsed.smtpText)]
  return parsed.messages.map((m) => parseBounce(m))
}
