/**
 * Byte → string helpers. Mail is bytes: headers may carry raw 8-bit text in an unknown charset (RFC 6532 allows
 * UTF-8, legacy MTAs wrote anything). We try UTF-8 first and fall back to latin1, which maps every byte to one
 * code point and therefore can never throw.
 */
const utf8Fatal = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('latin1')

export function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return true
  return false
}

/** Decode bytes as UTF-8 when valid, else latin1. `fellBack` tells whether latin1 was used. */
export function decodeBytes(bytes: Uint8Array): { text: string; fellBack: boolean } {
  if (!hasHighBytes(bytes)) return { text: latin1.decode(bytes), fellBack: false }
  try {
    return { text: utf8Fatal.decode(bytes), fellBack: false }
  } catch {
    return { text: latin1.decode(bytes), fellBack: true }
  }
}

export function toBytes(input: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input)
  if (input instanceof Uint8Array) return input
  return new Uint8Array(input)
}

/** Normalise CRLF and bare CR to LF (old Mac files use CR only). */
export function normalizeNewlines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n')
}
