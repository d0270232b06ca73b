import PostalMime from 'postal-mime'
import type { Address, Email } from 'postal-mime'
import type { MailAddress, ParseWarning } from '../../../shared/schemas/mime'
import { headerValue, parseHeaderBlock, splitHeaderBody } from './headers'
import { decodeBytes, normalizeNewlines, toBytes } from './text-decode'
import type { ParsedAttachment, ParsedMessage } from './types'

/**
 * .eml / RFC 5322 parsing. postal-mime does the MIME tree (RFC 2045-2049) and charset work; we parse the top
 * header block ourselves so the list is raw, ordered and complete (postal-mime decodes values), and so a parser
 * failure still leaves headers for the analysis. Nothing here throws: problems become `warnings`.
 */

/** Attachments up to this size keep their bytes; larger ones keep metadata only (a 50 MB PDF is not evidence). */
export const KEEP_CONTENT_MAX = 256 * 1024

// message/* and rfc822-headers parts are what a bounce analysis needs (RFC 3464 2.1, RFC 6522 / RFC 5965).
const ALWAYS_KEEP = /^(message\/|text\/rfc822-headers|text\/delivery-status)/i

export interface ParseOptions {
  source?: ParsedMessage['source']
  keepContentMax?: number
}

function firstMailbox(a: Address | undefined): MailAddress | undefined {
  if (!a) return undefined
  if (a.address !== undefined) return { name: a.name ?? '', address: a.address }
  const g = a.group?.[0]
  return g ? { name: g.name ?? '', address: g.address } : undefined
}

function mailboxes(list: Address[] | undefined): MailAddress[] {
  const out: MailAddress[] = []
  for (const a of list ?? []) {
    if (a.address !== undefined) out.push({ name: a.name ?? '', address: a.address })
    else for (const g of a.group ?? []) out.push({ name: g.name ?? '', address: g.address })
  }
  return out
}

function contentBytes(c: ArrayBuffer | Uint8Array | string): Uint8Array {
  return typeof c === 'string' ? new TextEncoder().encode(c) : c instanceof Uint8Array ? c : new Uint8Array(c)
}

/** Cheap truncation check: a multipart whose boundary never closes (RFC 2046 5.1.1 close-delimiter). */
function truncatedMultipart(rawHeaders: string, body: string): boolean {
  const m = /boundary\s*=\s*"?([^";\s]+)"?/i.exec(rawHeaders)
  if (!m || !/content-type:\s*multipart\//i.test(rawHeaders)) return false
  return !body.includes(`--${m[1]}--`)
}

export async function parseMessage(
  input: Uint8Array | ArrayBuffer | string,
  opts: ParseOptions = {}
): Promise<ParsedMessage> {
  const warnings: ParseWarning[] = []
  const keepMax = opts.keepContentMax ?? KEEP_CONTENT_MAX
  let bytes = toBytes(input)

  // Header block: find the blank line on the bytes (cheap even for 50 MB), decode only that slice.
  const headEnd = findHeaderEnd(bytes)
  const headDecoded = decodeBytes(bytes.subarray(0, headEnd))
  if (headDecoded.fellBack) {
    warnings.push({
      code: 'HEADER_CHARSET',
      message: 'Some header bytes are not valid UTF-8; they were read as Latin-1.'
    })
  }
  const headText = normalizeNewlines(headDecoded.text)
  const split = splitHeaderBody(headEnd < bytes.length ? headText + '\n\n' : headText)
  const headers = parseHeaderBlock(split.rawHeaders, warnings)
  const bodyIsEmpty =
    headEnd >= bytes.length || /^\s*$/.test(decodeBytes(bytes.subarray(headEnd, headEnd + 64)).text)
  const headersOnly = bodyIsEmpty && bytes.length - headEnd < 64

  const msg: ParsedMessage = {
    source: opts.source ?? (headersOnly ? 'headers' : 'eml'),
    headersOnly,
    headers,
    rawHeaders: split.rawHeaders,
    subject: headerValue(headers, 'subject'),
    date: headerValue(headers, 'date'),
    messageId: headerValue(headers, 'message-id')?.trim(),
    to: [],
    text: '',
    attachments: [],
    warnings
  }
  if (headersOnly) return msg

  // postal-mime splits lines on LF only; files saved on classic Mac OS use bare CR.
  if (bytes.indexOf(0x0a) < 0 && bytes.indexOf(0x0d) >= 0) bytes = bytes.map((b) => (b === 0x0d ? 0x0a : b))

  let email: Email | undefined
  try {
    email = await PostalMime.parse(bytes, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' })
  } catch (err) {
    warnings.push({
      code: 'PARSER_FAILED',
      message: `The MIME structure could not be fully parsed (${(err as Error).message}); the raw body is used as text.`
    })
  }
  if (email) {
    msg.subject = email.subject ?? msg.subject
    msg.from = firstMailbox(email.from)
    msg.to = mailboxes(email.to)
    msg.date = msg.date ?? email.date
    msg.messageId = email.messageId ?? msg.messageId
    msg.text = email.text ?? ''
    if (email.html) msg.html = email.html
    msg.attachments = email.attachments.map((a): ParsedAttachment => {
      const c = contentBytes(a.content)
      const keep = c.length <= keepMax || ALWAYS_KEEP.test(a.mimeType)
      return {
        filename: a.filename,
        mimeType: a.mimeType.toLowerCase(),
        size: c.length,
        disposition: a.disposition,
        ...(a.contentId ? { contentId: a.contentId } : {}),
        hasContent: keep,
        ...(keep ? { content: c } : {})
      }
    })
  } else {
    msg.text = normalizeNewlines(decodeBytes(bytes.subarray(headEnd)).text)
  }

  const tail = decodeBytes(bytes.subarray(Math.max(headEnd, bytes.length - 4096))).text
  if (truncatedMultipart(split.rawHeaders, tail)) {
    warnings.push({
      code: 'TRUNCATED',
      message: 'The message looks truncated: a multipart section is never closed. Results may be partial.'
    })
  }
  return msg
}

/** Offset just after the header block's terminating blank line (LF, CRLF or CR line endings). */
export function findHeaderEnd(bytes: Uint8Array): number {
  const n = bytes.length
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0x0a && bytes[i] !== 0x0d) continue
    // at a line end: skip it, then see whether the next line is empty
    let j = i
    if (bytes[j] === 0x0d && bytes[j + 1] === 0x0a) j += 2
    else j += 1
    if (j >= n) return n
    if (bytes[j] === 0x0a) return j + 1
    if (bytes[j] === 0x0d) return bytes[j + 1] === 0x0a ? j + 2 : j + 1
    i = j - 1
  }
  return n
}
