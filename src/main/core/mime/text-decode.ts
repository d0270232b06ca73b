/**
 * Byte → string helpers. Mail is bytes: headers may carry raw 8-bit text in an unknown charset (RFC 6532 allows
 * UTF-8, legacy MTAs wrote anything). We try UTF-8 first and fall back to latin1, which maps every byte to one
 * code point and therefore can never throw.
 */
import { isAscii, isUtf8 } from 'node:buffer'

const utf8Fatal = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('latin1')

/**
 * Decode bytes as UTF-8 when valid, else latin1. `fellBack` tells whether latin1 was used.
 * This runs over every message an ingest reads, so the checks are node's vectorised `isAscii` / `isUtf8`. 7-bit
 * input (nearly all mail) is copied as latin1 by Buffer, the cheapest one-byte string node makes and the same text
 * as any ASCII-compatible decoder. Validity is checked first, so invalid UTF-8 costs no exception.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; fellBack: boolean } {
  if (isAscii(bytes)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    return { text, fellBack: false }
  }
  if (isUtf8(bytes)) {
    try {
      return { text: utf8Fatal.decode(bytes), fellBack: false }
    } catch {
      // isUtf8 and the decoder agree (both follow the WHATWG Encoding Standard); this only keeps the old contract
    }
  }
  return { text: latin1.decode(bytes), fellBack: true }
}

const utf8Encoder = new TextEncoder()

export function toBytes(input: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof input === 'string') return utf8Encoder.encode(input)
  if (input instanceof Uint8Array) return input
  return new Uint8Array(input)
}

/** Normalise CRLF and bare CR to LF (old Mac files use CR only). */
export function normalizeNewlines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n')
}
