import type { AntispamField, HeaderField } from '../../../shared/schemas/antispam'

/**
 * Small helpers shared by the vendor decoders. Header names compare case-insensitively (RFC 5322 §1.2.2);
 * the list is in message order, so the first hit is the one added last, by the receiving side's own filter.
 */
// Field names are ASCII (RFC 5322 §2.2), so lowercasing keeps their length: comparing lengths first spares
// lowercasing (a new string) every other field of the block, and each decoder looks up several names.
export function findHeaders(headers: readonly HeaderField[], name: string): HeaderField[] {
  const lower = name.toLowerCase()
  return headers.filter((h) => h.name.length === lower.length && h.name.toLowerCase() === lower)
}

export function firstHeader(headers: readonly HeaderField[], name: string): HeaderField | undefined {
  const lower = name.toLowerCase()
  return headers.find((h) => h.name.length === lower.length && h.name.toLowerCase() === lower)
}

export function headersWithPrefix(headers: readonly HeaderField[], prefix: string): HeaderField[] {
  const lower = prefix.toLowerCase()
  return headers.filter((h) => h.name.length >= lower.length && h.name.toLowerCase().startsWith(lower))
}

/** Collapses folding whitespace left by unfolding (RFC 5322 §2.2.3) so regexes see single spaces. */
export function squash(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

export function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number.parseFloat(value)
  return Number.isFinite(n) ? n : undefined
}

/**
 * Parses "KEY:VALUE;KEY:VALUE" (Microsoft) splitting on the first colon only, because values such as
 * CIP:2001:db8::1 contain colons themselves. Keys keep their original case.
 */
export function parseColonPairs(value: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = []
  for (const part of value.split(';')) {
    const item = part.trim()
    if (!item) continue
    const i = item.indexOf(':')
    if (i < 0) out.push({ key: item, value: '' })
    else out.push({ key: item.slice(0, i).trim(), value: item.slice(i + 1).trim() })
  }
  return out
}

/** Parses "key=value key2=value2" (Proofpoint, SpamAssassin status tail). Quoted values are unquoted. */
export function parseEqualsPairs(value: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = []
  const re = /([A-Za-z][\w.-]*)=("[^"]*"|[^\s;,]*)/g
  for (const m of value.matchAll(re)) out.push({ key: m[1], value: m[2].replace(/^"|"$/g, '') })
  return out
}

/**
 * The decoded fields of one vendor, in header order, and the headers they came from (each once): every decoder
 * builds the same two lists.
 */
export function fieldCollector() {
  const fields: AntispamField[] = []
  const used: string[] = []
  const add = (header: string, key: string, value: string, meaning: string, opaque = false): void => {
    fields.push({ header, key, value, meaning, opaque })
    if (!used.includes(header)) used.push(header)
  }
  return { fields, used, add }
}
