import type { HeaderField, ParseWarning } from '../../../shared/schemas/mime'
import { parserWarning } from './warning'

/**
 * Header block parsing (RFC 5322 2.2): `name: value` lines, continuation lines start with WSP and are unfolded
 * by removing the CRLF only (2.2.3). Field names are printable US-ASCII except ':' (2.2). We are lenient on
 * input: lines that are neither a field nor a continuation are reported as warnings and skipped, because pasted
 * headers often carry junk such as a leading mbox "From " line or a tool's banner.
 */
const FIELD_RE = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/

export interface SplitMessage {
  rawHeaders: string
  body: string
  /** True when no blank line separates headers from a body. */
  noBody: boolean
}

/** Split LF-normalised text at the first empty line. */
export function splitHeaderBody(text: string): SplitMessage {
  let start = 0
  // mbox envelope line ("From sender date") is not a header field (RFC 4155).
  if (text.startsWith('From ')) start = text.indexOf('\n') + 1 || text.length
  const blank = findBlankLine(text, start)
  if (!blank) return { rawHeaders: text.slice(start).replace(/\n+$/, ''), body: '', noBody: true }
  return { rawHeaders: text.slice(start, blank.index), body: text.slice(blank.end), noBody: false }
}

/**
 * The first empty or all-WSP line at or after `from`, as `/\n[ \t]*\n/` finds it: `index` of its leading LF and
 * `end` after its own. Jumps from LF to LF (indexOf) instead of running the regex over every character.
 */
export function findBlankLine(text: string, from = 0): { index: number; end: number } | null {
  for (let i = text.indexOf('\n', from); i >= 0;) {
    let j = i + 1
    while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09) j++
    if (text.charCodeAt(j) === 0x0a) return { index: i, end: j + 1 }
    i = text.indexOf('\n', j)
  }
  return null
}

/** Strip spaces and tabs (WSP, RFC 5234) from a field value's end; a loop, not an anchored regex. */
function trimEndWsp(s: string): string {
  let j = s.length
  while (j > 0 && (s.charCodeAt(j - 1) === 0x20 || s.charCodeAt(j - 1) === 0x09)) j--
  return j === s.length ? s : s.slice(0, j)
}

/** A field-name character: printable US-ASCII except ':' (RFC 5322 2.2), FIELD_RE's `[\x21-\x39\x3b-\x7e]`. */
const isNameChar = (c: number): boolean => c >= 0x21 && c <= 0x7e && c !== 0x3a

/**
 * The header fields of `raw`, which FIELD_RE describes line by line. Read with indexOf and character tests rather
 * than a split and a capturing regex per line: this runs for every bounce and every returned original an ingest
 * reads.
 */
export function parseHeaderBlock(raw: string, warnings?: ParseWarning[]): HeaderField[] {
  const out: HeaderField[] = []
  // FIELD_RE's `(.*)$` refuses a value holding a line terminator (CR, U+2028, U+2029; LF ends the line): only
  // such a block needs the value checked.
  const terminators = raw.includes('\r') || raw.includes('\u2028') || raw.includes('\u2029')
  let broken = 0
  for (let p = 0, n = raw.length; p < n;) {
    let e = raw.indexOf('\n', p)
    if (e < 0) e = n
    const line = p
    p = e + 1
    if (e === line) continue
    const c = raw.charCodeAt(line)
    if ((c === 0x20 || c === 0x09) && out.length > 0) {
      out[out.length - 1].value += raw.slice(line, e)
      continue
    }
    let nameEnd = line
    while (nameEnd < e && isNameChar(raw.charCodeAt(nameEnd))) nameEnd++
    let colon = nameEnd
    while (colon < e && (raw.charCodeAt(colon) === 0x20 || raw.charCodeAt(colon) === 0x09)) colon++
    let v = colon + 1 // the value, without the WSP that follows the colon
    while (v < e && (raw.charCodeAt(v) === 0x20 || raw.charCodeAt(v) === 0x09)) v++
    const value = nameEnd > line && raw.charCodeAt(colon) === 0x3a ? raw.slice(v, e) : undefined
    if (value !== undefined && !(terminators && /[\r\u2028\u2029]/.test(value))) {
      out.push({ name: raw.slice(line, nameEnd), value })
    } else {
      broken++
    }
  }
  for (const h of out) h.value = trimEndWsp(h.value)
  if (broken > 0 && warnings) {
    warnings.push(parserWarning('BROKEN_HEADER_LINE', 'brokenHeaderLines', { count: broken }))
  }
  return out
}

/** Last-wins lookup is wrong for trace fields; this returns the first (topmost) occurrence. */
export function headerValue(headers: HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const h of headers) if (sameName(h.name, lower)) return h.value
  return undefined
}

export function headerValues(headers: HeaderField[], name: string): string[] {
  const lower = name.toLowerCase()
  const out: string[] = []
  for (const h of headers) if (sameName(h.name, lower)) out.push(h.value)
  return out
}

/** Field names are case-insensitive (RFC 5322 1.2.2). Lengths first: most names differ and need no lower-casing. */
function sameName(name: string, lower: string): boolean {
  return name.length === lower.length && name.toLowerCase() === lower
}

/** Does the text start like a header block? Used by sniffing and the headers-only paste path. */
// Fields a real message or header paste starts with (RFC 5322 §3.6, RFC 5321 §4.4 trace fields, MIME, and the
// X- extensions MTAs prepend). One line that merely contains a colon ("[https://…]", "Note: …") is not a header.
const KNOWN_FIELD =
  /^(?:received(?:-spf)?|return-path|content-[a-z-]+|feedback-type|arrival-date|delivery-date|envelope-from|disposition-notification-to|from|to|cc|subject|date|message-id|mime-version|content-type|content-transfer-encoding|delivered-to|reply-to|sender|in-reply-to|references|authentication-results|arc-[a-z-]+|dkim-signature|x-[a-z0-9-]+|list-[a-z-]+|precedence|auto-submitted|thread-[a-z]+|importance|envelope-to|original-recipient|final-recipient|reporting-mta|action|status|diagnostic-code|user-agent|organization|errors-to|comments|keywords|resent-[a-z-]+)\s*:/i

export function looksLikeHeaders(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split('\n', 6)
  let fields = 0
  let known = 0
  for (const l of lines) {
    if (l.startsWith('From ')) continue
    if (FIELD_RE.test(l)) {
      fields++
      if (KNOWN_FIELD.test(l)) known++
    } else if (/^[ \t]/.test(l)) continue
    else break
  }
  return fields >= 1 && known >= 1 && FIELD_RE.test(lines.find((l) => !l.startsWith('From ')) ?? '')
}
