/**
 * MIME input: turn dropped bytes or pasted text into `ParsedMessage`s.
 *
 * Public API
 * - `sniffInput(bytes, fileName?, maxBytes?) → SniffResult` — kind 'eml' | 'msg' | 'mbox' | 'headers' |
 *   'smtp-text' | 'error', with `{code, message}` (EMPTY_FILE, NOT_A_MESSAGE, TOO_LARGE, NOT_OLE) for non-mail.
 * - `parseMessage(bytes | string, opts?) → Promise<ParsedMessage>` — RFC 5322/MIME via postal-mime; ordered raw
 *   headers, summary fields, text/html, attachments (bytes kept only when small or message/*), `warnings[]`.
 *   Never throws.
 * - `parseMsg(bytes) → ParsedMessage` — Outlook .msg via @kenjiuno/msgreader (transport headers, body, files).
 * - `splitMbox(bytes | string) → string[]` — one raw message per mbox entry, ">From " unescaped.
 * - `parseInput(bytes, fileName?) → Promise<ParseInputResult>` — sniff + dispatch: messages[] (one per mbox
 *   entry) or the SMTP text / error.
 * - `toMessageSummary(msg) → MessageSummary` — the serialisable part (zod schema in src/shared/schemas/mime.ts).
 * - helpers: `headerValue`, `headerValues`, `parseHeaderBlock`.
 */
import type { MessageSummary, SniffResult } from '../../../shared/schemas/mime'
import { splitMbox } from './mbox'
import { parseMessage } from './parse-message'
import { parseMsg } from './parse-msg'
import { DEFAULT_MAX_BYTES, sniffInput } from './sniff-input'
import { decodeBytes, normalizeNewlines, toBytes } from './text-decode'
import type { ParsedMessage } from './types'

export { sniffInput, DEFAULT_MAX_BYTES } from './sniff-input'
export { parseMessage, parseMessageSync, KEEP_CONTENT_MAX } from './parse-message'
export type { ParseOptions } from './parse-message'
export { parseMsg } from './parse-msg'
export { splitMbox } from './mbox'
export { headerValue, headerValues, parseHeaderBlock, splitHeaderBody } from './headers'
export { decodeBytes, normalizeNewlines } from './text-decode'
export type { ParsedMessage, ParsedAttachment } from './types'

export interface ParseInputResult {
  sniff: SniffResult
  messages: ParsedMessage[]
  /** The pasted text when `sniff.kind === 'smtp-text'` (a bare SMTP error line or transcript). */
  smtpText?: string
}

export async function parseInput(
  input: Uint8Array | string,
  fileName?: string,
  maxBytes = DEFAULT_MAX_BYTES
): Promise<ParseInputResult> {
  const bytes = toBytes(input)
  const sniff = sniffInput(bytes, fileName, maxBytes)
  switch (sniff.kind) {
    case 'error':
      return { sniff, messages: [] }
    case 'smtp-text':
      return { sniff, messages: [], smtpText: normalizeNewlines(decodeBytes(bytes).text).trim() }
    case 'msg':
      return { sniff, messages: [parseMsg(bytes)] }
    case 'mbox': {
      const parts = splitMbox(bytes)
      const messages: ParsedMessage[] = []
      for (const p of parts) messages.push(await parseMessage(p, { source: 'mbox' }))
      return { sniff, messages }
    }
    default:
      return { sniff, messages: [await parseMessage(bytes)] }
  }
}

export function toMessageSummary(m: ParsedMessage): MessageSummary {
  return {
    source: m.source,
    headersOnly: m.headersOnly,
    headers: m.headers,
    ...(m.subject !== undefined ? { subject: m.subject } : {}),
    ...(m.from ? { from: m.from } : {}),
    to: m.to,
    ...(m.date !== undefined ? { date: m.date } : {}),
    ...(m.messageId !== undefined ? { messageId: m.messageId } : {}),
    attachments: m.attachments.map(({ content: _c, ...meta }) => meta),
    warnings: m.warnings
  }
}
