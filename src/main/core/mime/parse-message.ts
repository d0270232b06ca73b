import { addressParser, decodeWords } from 'postal-mime'
import { parserWarning } from './warning'
import type { Address } from 'postal-mime'
import type { MailAddress, ParseWarning } from '../../../shared/schemas/mime'
import { headerValue, headerValues, parseHeaderBlock, splitHeaderBody } from './headers'
import { walkMime, type WalkResult } from './mime-walk'
import { decodeBytes, normalizeNewlines, toBytes } from './text-decode'
import type { ParsedAttachment, ParsedMessage } from './types'

/**
 * .eml / RFC 5322 parsing. The top header block is parsed here so the list is raw, ordered and complete, and the
 * MIME tree (RFC 2045-2049) by our own walker (mime-walk.ts): it decodes only text parts and the message/* parts
 * an analysis needs, which is several times faster than a general parser on bounces. postal-mime still provides
 * the RFC 5322 address parser and RFC 2047 encoded-word decoding. Nothing here throws: problems become `warnings`.
 */

/** Attachments up to this size keep their bytes; larger ones keep metadata only (a 50 MB PDF is not evidence). */
export const KEEP_CONTENT_MAX = 256 * 1024

// message/* and rfc822-headers parts are what a bounce analysis needs (RFC 3464 2.1, RFC 6522 / RFC 5965).
const ALWAYS_KEEP = /^(message\/|text\/rfc822-headers|text\/delivery-status)/i

export interface ParseOptions {
  source?: ParsedMessage['source']
  keepContentMax?: number
  /**
   * Header block and addresses only: the MIME tree is not walked (no text, html or attachments). For callers that
   * read nothing but headers (a bounce's returned original, issue 12's ingest), where the walk is wasted work.
   */
  skipBody?: boolean
  /** The header fields only: no subject decoding, no address parsing either (implies skipBody). */
  fieldsOnly?: boolean
}

function firstMailbox(list: Address[]): MailAddress | undefined {
  const a = list[0]
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

function addresses(v: string | undefined): Address[] {
  if (!v) return []
  try {
    return addressParser(v)
  } catch {
    return []
  }
}

function safeDecodeWords(v: string): string {
  // Most subjects and file names hold no encoded word (RFC 2047 2: each starts with "=?"); decodeWords would run
  // its five regex passes to return them unchanged. (A NUL still goes through: postal-mime's join marker has one.)
  if (v.indexOf('=?') < 0 && v.indexOf('\0') < 0) return v
  try {
    return decodeWords(v)
  } catch {
    return v
  }
}

/** Plain-text view of an HTML-only message (block tags become line breaks, a few entities decoded). */
function htmlToText(html: string): string {
  return html
    .replace(/<(br|p|div|tr|li)\b[^>]*>/gi, '\n')
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

export async function parseMessage(
  input: Uint8Array | ArrayBuffer | string,
  opts: ParseOptions = {}
): Promise<ParsedMessage> {
  return parseMessageSync(input, opts)
}

/** parseMessage without the promise, for callers that parse many messages in a loop or a worker thread. */
export function parseMessageSync(
  input: Uint8Array | ArrayBuffer | string,
  opts: ParseOptions = {}
): ParsedMessage {
  const warnings: ParseWarning[] = []
  const keepMax = opts.keepContentMax ?? KEEP_CONTENT_MAX
  const head = typeof input === 'string' ? asciiHeadOf(input) : undefined
  let bytes = head ? undefined : toBytes(input)
  const { headEnd, headDecoded, headersOnly } = head ?? headOf(bytes as Uint8Array)
  if (headDecoded.fellBack) {
    warnings.push(parserWarning('HEADER_CHARSET', 'headerCharset'))
  }
  const headText = normalizeNewlines(headDecoded.text)
  // When a blank line was found, headText ends with it, so the split stops there at the latest.
  const split = splitHeaderBody(headText)
  const headers = parseHeaderBlock(split.rawHeaders, warnings)

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
  if (headersOnly || opts.fieldsOnly) return msg

  // Bare-CR files (classic Mac OS) and CRLF both become LF; the walker splits on LF only.
  const subject = headerValue(headers, 'subject')
  if (subject !== undefined) msg.subject = safeDecodeWords(subject)
  msg.from = firstMailbox(addresses(headerValue(headers, 'from')))
  const to: Address[] = []
  for (const v of headerValues(headers, 'to')) for (const a of addresses(v)) to.push(a)
  msg.to = mailboxes(to)
  if (opts.skipBody) return msg

  bytes ??= toBytes(input)
  let bin = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  if (bin.indexOf('\r') >= 0) bin = bin.replace(/\r\n?/g, '\n')
  let walked: WalkResult | undefined
  try {
    walked = walkMime(bin, { keepContentMax: keepMax, alwaysKeep: ALWAYS_KEEP })
  } catch (err) {
    warnings.push(parserWarning('PARSER_FAILED', 'mimeFailed', { error: (err as Error).message }))
  }
  if (walked) {
    if (walked.html.length > 0) msg.html = walked.html.join('\n')
    msg.text = walked.text.length > 0 ? walked.text.join('\n') : msg.html ? htmlToText(msg.html) : ''
    msg.attachments = walked.attachments.map((a): ParsedAttachment => {
      const keep = a.content !== undefined
      return {
        filename: a.filename ? safeDecodeWords(a.filename) : null,
        mimeType: a.mimeType,
        size: a.size,
        disposition: a.disposition,
        ...(a.contentId ? { contentId: a.contentId } : {}),
        hasContent: keep,
        ...(keep ? { content: a.content } : {})
      }
    })
  } else {
    msg.text = normalizeNewlines(decodeBytes(bytes.subarray(headEnd)).text)
  }

  if (walked?.truncated) {
    warnings.push(parserWarning('TRUNCATED', 'truncated'))
  }
  return msg
}

interface Head {
  /** Byte offset just after the header block (findHeaderEnd). */
  headEnd: number
  headDecoded: { text: string; fellBack: boolean }
  /** Nothing but whitespace after the header block. */
  headersOnly: boolean
}

/** Header block: find the blank line on the bytes (cheap even for 50 MB), decode only that slice. */
function headOf(bytes: Uint8Array): Head {
  const headEnd = findHeaderEnd(bytes)
  const headDecoded = decodeBytes(bytes.subarray(0, headEnd))
  // (the body is looked at only when it is short)
  const headersOnly =
    bytes.length - headEnd < 64 &&
    (headEnd >= bytes.length || /^\s*$/.test(decodeBytes(bytes.subarray(headEnd, headEnd + 64)).text))
  return { headEnd, headDecoded, headersOnly }
}

/**
 * `headOf(toBytes(s))` without encoding the whole string, when its header block has LF line ends and ASCII only
 * (a bounce's returned original, parsed for its header fields): bytes and characters then coincide up to the
 * block's end. Otherwise undefined, and the caller encodes. UTF-8 is never shorter than UTF-16, so a body of 64
 * characters or more is not "short" either way.
 */
function asciiHeadOf(s: string): Head | undefined {
  const lflf = s.indexOf('\n\n')
  const headEnd = lflf < 0 ? s.length : lflf + 2
  if (s.lastIndexOf('\r', headEnd - 1) >= 0 || NON_ASCII.test(s.slice(0, headEnd))) return undefined
  let headersOnly = false
  if (s.length - headEnd < 64) {
    const rest = s.slice(headEnd)
    if (!NON_ASCII.test(rest)) headersOnly = /^\s*$/.test(rest)
    else {
      const b = toBytes(rest)
      headersOnly = b.length < 64 && /^\s*$/.test(decodeBytes(b.subarray(0, 64)).text)
    }
  }
  return { headEnd, headDecoded: { text: s.slice(0, headEnd), fellBack: false }, headersOnly }
}
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/

/** Offset just after the header block's terminating blank line (LF, CRLF or CR line endings). */
export function findHeaderEnd(bytes: Uint8Array): number {
  const n = bytes.length
  // No CR before it: the block ends at the first LF LF, found by node's native search (a Buffer view, no copy)
  // rather than by a loop over every byte. Otherwise CRLF or bare CR line ends are read byte by byte below.
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, n)
  const lflf = buf.indexOf('\n\n')
  if (lflf < 0 ? buf.indexOf(0x0d) < 0 : buf.lastIndexOf(0x0d, lflf) < 0) return lflf < 0 ? n : lflf + 2
  return findHeaderEndByByte(bytes)
}

/** findHeaderEnd read byte by byte, for any mix of LF, CRLF and bare CR line ends (and the shortcut's reference). */
export function findHeaderEndByByte(bytes: Uint8Array): number {
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
