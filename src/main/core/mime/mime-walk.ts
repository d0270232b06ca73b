/**
 * A small, fast MIME walker (RFC 2045-2049) for the analysis path. It works on a "binary string" (one char per
 * byte, Buffer latin1) so that splitting on boundaries and header parsing never pay for charset decoding, and it
 * only decodes what the analysis reads:
 * - text/plain and text/html parts (not marked as attachments) → charset-decoded text,
 * - every other leaf → an attachment; its bytes are transfer-decoded only when they are kept (small parts and the
 *   message/* / text/rfc822-headers parts a bounce analysis needs, RFC 3464 2.1, RFC 6522, RFC 5965).
 * message/rfc822 parts are never descended into: for a bounce, the returned message is evidence, not body text
 * (the same choice as postal-mime's forceRfc822Attachments, which this replaces on the hot path).
 */

export interface WalkPart {
  mimeType: string
  filename: string | null
  disposition: string | null
  contentId?: string
  size: number
  content?: Uint8Array
}

export interface WalkResult {
  text: string[]
  html: string[]
  attachments: WalkPart[]
  /** A multipart whose close-delimiter is missing (RFC 2046 5.1.1). */
  truncated: boolean
}

export interface WalkOptions {
  keepContentMax: number
  alwaysKeep: RegExp
}

const MAX_DEPTH = 30

// The fields the walker reads (RFC 2045 5, 6; RFC 2183; RFC 2045 7). A part's other fields, above all the top
// block's Received and DKIM-Signature lines, are skipped without being unfolded or stored.
const MIME_FIELDS = new Set([
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id'
])

/** Header block of a part: unfolded `name → value` of the MIME fields (lower-case names; first one wins). */
function partHeaders(head: string): Map<string, string> {
  const out = new Map<string, string>()
  let name = ''
  let value = ''
  const flush = (): void => {
    if (name && !out.has(name)) out.set(name, value.trim())
  }
  let p = 0
  const n = head.length
  // The next colon at or after p, searched again only once p has passed it: a search per line would rescan the same
  // colon-free run for every line of it (a part with no blank line is all head: megabytes of base64).
  let nextColon = -1
  while (p < n) {
    let e = head.indexOf('\n', p)
    if (e < 0) e = n
    const c = head.charCodeAt(p)
    if (c === 0x20 || c === 0x09) {
      if (name) value += ' ' + head.slice(p, e).trim()
      p = e + 1
      continue
    }
    if (nextColon < p && nextColon !== n) {
      nextColon = head.indexOf(':', p)
      if (nextColon < 0) nextColon = n
    }
    const colon = nextColon
    const line = p
    p = e + 1
    if (colon <= line || colon >= e) continue
    flush()
    // Every MIME field starts with "Content-": a name starting with another printable ASCII character (Received,
    // DKIM-Signature, X-...) cannot be one even once trimmed, and is skipped without being sliced and lower-cased.
    if ((c | 0x20) !== 0x63 && c > 0x20 && c < 0x7f) {
      name = ''
      continue
    }
    name = head.slice(line, colon).trim().toLowerCase()
    if (MIME_FIELDS.has(name)) value = head.slice(colon + 1, e)
    else name = ''
  }
  flush()
  return out
}

/** `type/subtype; a=b; c="d"` → value + params (RFC 2045 5.1; RFC 2231 continuations joined naively). */
export function parseParams(v: string): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {}
  const semi = v.indexOf(';')
  const value = (semi < 0 ? v : v.slice(0, semi)).trim().toLowerCase()
  if (semi < 0) return { value, params }
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g
  const rest = v.slice(semi)
  let m: RegExpExecArray | null
  while ((m = re.exec(rest))) {
    let key = m[1].toLowerCase()
    const quoted = m[2]
    const val =
      quoted !== undefined ? (quoted.includes('\\') ? quoted.replace(/\\(.)/g, '$1') : quoted) : (m[3] ?? '')
    const star = key.indexOf('*') < 0 ? null : /^(.*?)\*(\d+)?\*?$/.exec(key)
    if (star) key = star[1]
    params[key] = star?.[2] && params[key] ? params[key] + val : (params[key] ?? val)
  }
  return { value, params }
}

/** The value of a hex digit's char code, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/**
 * Quoted-printable (RFC 2045 6.7): soft line breaks ("=", optional WSP, LF) are removed first, then "=XX" octets
 * decoded, as `replace(/=[ \t]*\n/g, '')` then `replace(/=([0-9A-Fa-f]{2})/g, …)` would. Each pass jumps from "="
 * to "=" with indexOf instead of running a regex with a callback: most bounces carry a QP text part.
 */
export function decodeQp(s: string): string {
  if (s.indexOf('=') < 0) return s
  let joined = ''
  let from = 0
  for (let i = s.indexOf('='); i >= 0;) {
    let j = i + 1
    while (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09) j++
    if (s.charCodeAt(j) === 0x0a) {
      joined += s.slice(from, i)
      from = j + 1
      i = s.indexOf('=', from)
    } else i = s.indexOf('=', i + 1)
  }
  joined = from === 0 ? s : joined + s.slice(from)
  let out = ''
  from = 0
  for (let i = joined.indexOf('='); i >= 0;) {
    const hi = hexValue(joined.charCodeAt(i + 1))
    const lo = hexValue(joined.charCodeAt(i + 2))
    if (hi >= 0 && lo >= 0) {
      out += joined.slice(from, i) + String.fromCharCode(hi * 16 + lo)
      from = i + 3
      i = joined.indexOf('=', from)
    } else i = joined.indexOf('=', i + 1)
  }
  return from === 0 ? joined : out + joined.slice(from)
}

/** Transfer-decode (RFC 2045 6) a body held as a binary string; returns a binary string. */
function transferDecode(body: string, cte: string): string {
  if (cte === 'base64') return Buffer.from(body, 'base64').toString('latin1')
  if (cte === 'quoted-printable') return decodeQp(body)
  return body
}

type Decoder = InstanceType<typeof TextDecoder>
const decoders = new Map<string, Decoder | null>()
function decoderFor(charset: string): Decoder | null {
  let d = decoders.get(charset)
  if (d === undefined) {
    try {
      d = new TextDecoder(charset)
    } catch {
      d = null
    }
    decoders.set(charset, d)
  }
  return d
}
const utf8Fatal = new TextDecoder('utf-8', { fatal: true })

/** Binary string → text in `charset`. Pure 7-bit text without ESC (ISO-2022-*) needs no decoding at all. */
export function charsetDecode(bin: string, charset: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff\x1b]/.test(bin)) return bin
  const bytes = Buffer.from(bin, 'latin1')
  const cs = charset.toLowerCase()
  if (cs === '' || cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii') {
    try {
      return utf8Fatal.decode(bytes)
    } catch {
      return bin // mislabelled 8-bit text: latin1 keeps every byte visible
    }
  }
  const d = decoderFor(cs)
  if (!d) return bin
  try {
    return d.decode(bytes)
  } catch {
    return bin
  }
}

function base64Size(body: string): number {
  let n = 0
  let pad = 0
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i)
    if (c === 0x3d) pad++
    else if (c > 0x20) n++
  }
  return Math.max(0, Math.floor(((n + pad) * 3) / 4) - pad)
}

/** Split `head\n\nbody` (LF-normalised). A part without a blank line is all headers. */
function splitPart(s: string): { head: string; body: string } {
  if (s.charCodeAt(0) === 0x0a) return { head: '', body: s.slice(1) }
  const i = s.indexOf('\n\n')
  if (i < 0) return { head: s, body: '' }
  return { head: s.slice(0, i), body: s.slice(i + 2) }
}

/** Body parts of a multipart body (RFC 2046 5.1.1): between "--boundary" lines, up to "--boundary--". */
function splitMultipart(body: string, boundary: string): { parts: string[]; closed: boolean } {
  const delim = '--' + boundary
  const parts: string[] = []
  let start = -1
  let p = 0
  let closed = false
  for (;;) {
    const i = body.indexOf(delim, p)
    if (i < 0) break
    p = i + delim.length
    if (i > 0 && body.charCodeAt(i - 1) !== 0x0a) continue // not at a line start
    const isClose = body.charCodeAt(p) === 0x2d && body.charCodeAt(p + 1) === 0x2d
    if (start >= 0) parts.push(body.slice(start, i > 0 ? i - 1 : i))
    if (isClose) {
      closed = true
      start = -1
      break
    }
    const eol = body.indexOf('\n', p)
    start = eol < 0 ? body.length : eol + 1
  }
  if (start >= 0) parts.push(body.slice(start))
  return { parts, closed }
}

/** Binary string → its bytes, written straight into an array of their own (no pooled Buffer, no second copy). */
function latin1Bytes(bin: string): Uint8Array {
  const out = new Uint8Array(bin.length)
  Buffer.from(out.buffer).write(bin, 'latin1')
  return out
}

function walk(s: string, out: WalkResult, opts: WalkOptions, depth: number, defaultType: string): void {
  const { head, body } = splitPart(s)
  const h = partHeaders(head)
  const ct = parseParams(h.get('content-type') ?? defaultType)
  let type = ct.value || defaultType
  if (!type.includes('/')) type = 'text/plain'
  const cte = (h.get('content-transfer-encoding') ?? '').trim().toLowerCase()
  const disp = h.has('content-disposition') ? parseParams(h.get('content-disposition') ?? '') : undefined

  if (type.startsWith('multipart/') && depth < MAX_DEPTH) {
    const boundary = ct.params.boundary
    if (boundary) {
      const { parts, closed } = splitMultipart(body, boundary)
      if (!closed) out.truncated = true
      const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain'
      for (const p of parts) walk(p, out, opts, depth + 1, childDefault)
      return
    }
    type = 'text/plain'
  }

  const isAttachment = disp?.value === 'attachment'
  if (!isAttachment && (type === 'text/plain' || type === 'text/html')) {
    const t = charsetDecode(transferDecode(body, cte), ct.params.charset ?? '')
    ;(type === 'text/plain' ? out.text : out.html).push(t)
    return
  }
  const filename = disp?.params.filename ?? ct.params.name ?? null
  const part: WalkPart = {
    mimeType: type,
    filename,
    disposition: disp?.value ?? null,
    size: cte === 'base64' ? base64Size(body) : body.length
  }
  const cid = h.get('content-id')
  if (cid) part.contentId = cid
  if (part.size <= opts.keepContentMax || opts.alwaysKeep.test(type)) {
    part.content = latin1Bytes(transferDecode(body, cte))
    part.size = part.content.length
  }
  out.attachments.push(part)
}

/** Walk a whole message given as an LF-normalised binary string. */
export function walkMime(bin: string, opts: WalkOptions): WalkResult {
  const out: WalkResult = { text: [], html: [], attachments: [], truncated: false }
  walk(bin, out, opts, 0, 'text/plain')
  return out
}
