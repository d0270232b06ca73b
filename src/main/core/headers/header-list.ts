import type { HeaderField } from './received'

/**
 * Split a raw header block (or a whole message) into an ordered, unfolded header list.
 *
 * RFC 5322 §2.2.3: a folded header continues on lines that start with WSP; unfolding removes the CRLF before it.
 * Stops at the first empty line (the header/body separator, RFC 5322 §2.1). Lines without a colon that are not
 * continuations (mbox "From " lines, garbage) are skipped rather than glued onto a neighbour.
 */
export function parseHeaderBlock(raw: string): HeaderField[] {
  const out: HeaderField[] = []
  const lines = raw.split(/\r?\n/)
  let cur: HeaderField | null = null
  for (const line of lines) {
    if (line === '') break
    if (/^[ \t]/.test(line)) {
      if (cur) cur.value += line
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0 || /\s/.test(line.slice(0, colon).trim()) || line.slice(0, colon).trim() === '') {
      cur = null
      continue
    }
    cur = { name: line.slice(0, colon).trim(), value: line.slice(colon + 1) }
    out.push(cur)
  }
  for (const h of out) h.value = h.value.replace(/\s+/g, ' ').trim()
  return out
}

/**
 * True when the raw text has no header/body separator, i.e. the user pasted headers only. DKIM body hashes cannot
 * be verified then (RFC 6376 §3.7: the body hash covers the body), so callers report `not_checked`.
 */
export function isHeadersOnly(raw: string | Buffer): boolean {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/^(?:\r?\n)+/, '').trimEnd()
  return !/\r?\n\r?\n/.test(text)
}
