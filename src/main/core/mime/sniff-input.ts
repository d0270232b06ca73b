import type { SniffResult } from '../../../shared/schemas/mime'
import { findBlankLine, looksLikeHeaders } from './headers'
import { decodeBytes, normalizeNewlines } from './text-decode'

/**
 * Decide what a dropped file / pasted text is before parsing it, and refuse non-mail input with a message an
 * administrator understands. Only the first 64 KiB are inspected, so this is O(1) on large files.
 */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

interface Magic {
  type: string
  label: string
  bytes: number[]
  offset?: number
}

// Well-known file signatures (magic numbers) of things people drop by mistake.
const MAGICS: Magic[] = [
  { type: 'png', label: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'jpeg', label: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { type: 'gif', label: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'pdf', label: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'zip', label: 'a ZIP archive (or an Office document)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'zip', label: 'an empty ZIP archive', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'gzip', label: 'a gzip-compressed file', bytes: [0x1f, 0x8b] },
  { type: 'bzip2', label: 'a bzip2-compressed file', bytes: [0x42, 0x5a, 0x68] },
  { type: 'xz', label: 'an xz-compressed file', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { type: '7z', label: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'rar', label: 'a RAR archive', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { type: 'elf', label: 'a Linux executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: 'exe', label: 'a Windows executable', bytes: [0x4d, 0x5a] },
  { type: 'webp', label: 'a WebP image', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
  { type: 'tiff', label: 'a TIFF image', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'tiff', label: 'a TIFF image', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'sqlite', label: 'an SQLite database', bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20] },
  { type: 'mp4', label: 'a video file', bytes: [0x66, 0x74, 0x79, 0x70], offset: 4 }
]

function startsWith(bytes: Uint8Array, sig: number[], offset = 0): boolean {
  if (bytes.length < offset + sig.length) return false
  for (let i = 0; i < sig.length; i++) if (bytes[offset + i] !== sig[i]) return false
  return true
}

function fail(
  code: NonNullable<SniffResult['error']>['code'],
  message: string,
  detectedType?: string
): SniffResult {
  return { kind: 'error', error: { code, message }, ...(detectedType ? { detectedType } : {}) }
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`
}

// SMTP reply (RFC 5321 4.2) or enhanced status code (RFC 3463) somewhere in a short paste.
const SMTP_TEXT_RE = /(^|[\s:(])[245]\d\d[ -]|(^|\D)[245]\.\d{1,3}\.\d{1,3}(\D|$)/m

// A non-delivery report's body pasted without its headers and without any code (Gmail "Delivery incomplete",
// Postfix "timed out while sending RCPT TO", Exchange "couldn't be delivered"): an address and the words of a
// delivery failure.
const NDR_TEXT_RE =
  /^(?=[\s\S]*[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})(?=[\s\S]*(?:could ?n[o']?t be delivered|was ?n[o']?t delivered|delivery (?:has )?failed|delivery incomplete|undeliverable|non-?delivery|permanent(?:ly)? fail|temporary (?:problem|failure)|the mail system|mail delivery (?:system|subsystem)|returned to sender|unable to deliver|rejected your message|delivery to the following recipients?|(?:timed out|connection refused|host not found)))/i

/**
 * NUL and other control bytes (tab, line ends, form feed and ESC excepted) in `head`. It runs over every byte of
 * every message an ingest reads, so it reads four bytes at a time and only counts, byte by byte, in the rare words
 * that may hold one (text has none: line ends and tabs do not make a word count).
 */
export function countControls(head: Uint8Array): { nul: number; ctrl: number } {
  let nul = 0
  let ctrl = 0
  const count = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const b = head[i]
      if (b >= 0x20) continue
      if (b === 0) nul++
      else if (b < 0x09 || (b > 0x0d && b !== 0x1b)) ctrl++
    }
  }
  const n = head.length
  const start = Math.min(n, (4 - (head.byteOffset & 3)) & 3) // a Uint32Array view must be 4-byte aligned
  const words = (n - start) >> 2
  count(0, start)
  if (words > 0) {
    const w = new Uint32Array(head.buffer, head.byteOffset + start, words)
    for (let k = 0; k < words; k++) {
      const x = w[k]
      const low = x & 0x7f7f7f7f
      // "Determine if a word has a byte less than n / between m and n" (Bit Twiddling Hacks, S. E. Anderson):
      // bit 7 of some byte is set iff a byte is < 0x09, or > 0x0d and < 0x20. Exact for the word as a whole,
      // whatever the byte order; the bytes themselves are then counted exactly.
      const lt09 = (x - 0x09090909) & ~x
      const in0e1f = (0x9f9f9f9f - low) & ~x & (low + 0x72727272)
      if ((lt09 | in0e1f) & 0x80808080) count(start + 4 * k, start + 4 * k + 4)
    }
  }
  count(start + 4 * words, n)
  return { nul, ctrl }
}

const WSP_CHAR = /\s/

/**
 * Does an empty line lie in the whitespace `text` ends with (a header paste followed by nothing)? Such a line is
 * only followed by whitespace, so it can only be in that trailing run: read it from the end rather than testing
 * `/^[\s\S]*?\n[ \t]*\n\s*$/`, whose lazy scan tries every line end of up to 64 KiB of body.
 */
function blankLineAtEnd(text: string): boolean {
  let i = text.length
  while (i > 0 && WSP_CHAR.test(text[i - 1])) i--
  return /\n[ \t]*\n/.test(text.slice(i))
}

export function sniffInput(bytes: Uint8Array, fileName?: string, maxBytes = DEFAULT_MAX_BYTES): SniffResult {
  const name = (fileName ?? '').toLowerCase()
  if (bytes.length === 0)
    return fail('EMPTY_FILE', 'This file is empty: there is no email message to analyse.')
  if (bytes.length > maxBytes) {
    return fail(
      'TOO_LARGE',
      `This file is ${formatSize(bytes.length)}, above the ${formatSize(maxBytes)} limit. Save the message without its large attachments, or paste only its headers.`
    )
  }
  if (startsWith(bytes, OLE_MAGIC)) return { kind: 'msg' }
  if (name.endsWith('.msg')) {
    // An Outlook .msg is an OLE2 compound file (MS-CFB); anything else was renamed or is another format.
    const head = decodeBytes(bytes.subarray(0, 4096)).text
    if (!looksLikeHeaders(normalizeNewlines(head))) {
      return fail(
        'NOT_OLE',
        'This .msg file is not an Outlook message (it does not have the OLE compound-file signature). Export it again from Outlook, or save it as .eml.'
      )
    }
  }
  for (const m of MAGICS) {
    if (startsWith(bytes, m.bytes, m.offset ?? 0)) {
      return fail('NOT_A_MESSAGE', `This file is ${m.label}, not an email message.`, m.type)
    }
  }

  const head = bytes.length > 65536 ? bytes.subarray(0, 65536) : bytes // a Buffer's subarray is a new Buffer
  const { nul, ctrl } = countControls(head)
  // Mail is text (RFC 5322 2.1): NUL is forbidden and other control bytes are rare. 8BITMIME/BINARYMIME bodies
  // exist, so tolerate a little, but a file where >1% are NULs or >10% controls is not mail.
  if (nul / head.length > 0.01 || ctrl / head.length > 0.1) {
    return fail(
      'NOT_A_MESSAGE',
      'This file contains binary data, not an email message. Drop an .eml, .msg or mbox file, or paste the message headers.',
      'binary'
    )
  }

  const text = normalizeNewlines(decodeBytes(head).text)
    .replace(/^\uFEFF/, '')
    .replace(/^\s*\n/, '')
  if (/^From [^\n]*\n/.test(text) && looksLikeHeaders(text.slice(text.indexOf('\n') + 1))) {
    // Two or more "From " separators: an mbox mailbox (RFC 4155). One only: an .eml with an envelope line.
    const separators = text.match(/(^|\n)From [^\n]*\n[\x21-\x39\x3b-\x7e]+:/g)
    if ((separators?.length ?? 0) > 1 || name.endsWith('.mbox') || name.endsWith('.mbx'))
      return { kind: 'mbox' }
  }
  if (looksLikeHeaders(text)) {
    return { kind: findBlankLine(text) && !blankLineAtEnd(text) ? 'eml' : 'headers' }
  }
  if (SMTP_TEXT_RE.test(text) || NDR_TEXT_RE.test(text)) return { kind: 'smtp-text' }
  return fail(
    'NOT_A_MESSAGE',
    'No email headers or SMTP error were found in this input. Drop the full message (.eml/.msg), paste its headers, or paste the SMTP error line.',
    'text'
  )
}
