import { gunzipSync, inflateRawSync } from 'node:zlib'

/**
 * Report containers (RFC 7489 §7.2.1.1: "the aggregate data MUST be an XML file that SHOULD be subjected to GZIP
 * compression"; receivers also send .zip, and RFC 8460 §5.3 gzips TLS reports). Everything a report file can be
 * wrapped in is opened here, with hard caps: a 1 KB zip can declare 4 GB of output (a "zip bomb"), so sizes
 * written in headers are never trusted and every inflate runs with `maxOutputLength`.
 */

export interface UnpackLimits {
  /** Largest decompressed size of one member, in bytes. */
  maxEntryBytes: number
  /** Largest total decompressed size of one file. */
  maxTotalBytes: number
  /** Most members read from one archive. */
  maxEntries: number
}

export const DEFAULT_LIMITS: UnpackLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 200
}

/** A problem with one file, as data: a stable code, parameters for the i18n message, and English text. */
export class ReportError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    message?: string
  ) {
    super(message ?? code)
    this.name = 'ReportError'
  }
}

export interface UnpackedEntry {
  /** "outer.zip:inner.xml" for members of an archive. */
  name: string
  bytes: Uint8Array
}

export const isGzip = (b: Uint8Array) => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08
export const isZip = (b: Uint8Array) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04

function capped<T>(name: string, limit: number, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength|too large/i.test(err.message))
      throw new ReportError(
        'dmarc.tooLarge',
        { file: name, limitMb: Math.round(limit / 1048576) },
        `${name} decompresses to more than ${Math.round(limit / 1048576)} MB; refused (possible zip bomb).`
      )
    throw new ReportError(
      'dmarc.badCompression',
      { file: name, detail: err.message },
      `${name} is not a valid compressed file: ${err.message}`
    )
  }
}

/**
 * gzip (RFC 1952). Node's gunzip stops at the end of the last member and ignores trailing bytes that are not a
 * gzip header, which is how some gateways (Mimecast) send them; a stream cut short is an error ("unexpected end").
 */
export function gunzip(bytes: Uint8Array, name: string, limits: UnpackLimits = DEFAULT_LIMITS): Uint8Array {
  return capped(name, limits.maxEntryBytes, () => {
    try {
      return gunzipSync(bytes, { maxOutputLength: limits.maxEntryBytes })
    } catch (e) {
      // zlib reads bytes after the first member as a second member and fails on their "header". Inflating the
      // first member's deflate data alone (RFC 1952 §2.3 header skipped) keeps the report and drops the junk.
      if ((e as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw e
      return inflateRawSync(bytes.subarray(gzipHeaderLength(bytes)), {
        maxOutputLength: limits.maxEntryBytes
      })
    }
  })
}

/** Length of a gzip member header: 10 bytes plus the optional FEXTRA, FNAME, FCOMMENT and FHCRC fields. */
function gzipHeaderLength(b: Uint8Array): number {
  const flags = b[3]
  let p = 10
  if (flags & 4) p += 2 + u16(b, p)
  if (flags & 8) while (p < b.length && b[p++] !== 0);
  if (flags & 16) while (p < b.length && b[p++] !== 0);
  if (flags & 2) p += 2
  return p
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8)
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0

/**
 * The members of a .zip (PKWARE APPNOTE 6.3: end of central directory → central directory → local headers).
 * Only stored (0) and deflated (8) members exist in report mail; anything else is refused by name.
 */
export function unzip(
  bytes: Uint8Array,
  name: string,
  limits: UnpackLimits = DEFAULT_LIMITS
): UnpackedEntry[] {
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0)
    throw new ReportError('dmarc.badZip', { file: name }, `${name} is not a complete .zip file (truncated?).`)
  const count = u16(bytes, eocd + 10)
  let p = u32(bytes, eocd + 16)
  if (count > limits.maxEntries)
    throw new ReportError(
      'dmarc.tooManyEntries',
      { file: name, count, max: limits.maxEntries },
      `${name} holds ${count} files; at most ${limits.maxEntries} are read.`
    )
  const out: UnpackedEntry[] = []
  let total = 0
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== 0x02014b50)
      throw new ReportError('dmarc.badZip', { file: name }, `${name} has a damaged .zip directory.`)
    const method = u16(bytes, p + 10)
    const compSize = u32(bytes, p + 20)
    const nameLen = u16(bytes, p + 28)
    const extraLen = u16(bytes, p + 30)
    const commentLen = u16(bytes, p + 32)
    const local = u32(bytes, p + 42)
    const entryName = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen))
    p += 46 + nameLen + extraLen + commentLen
    if (entryName.endsWith('/')) continue
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50)
      throw new ReportError(
        'dmarc.badZip',
        { file: name },
        `${name} has a damaged .zip entry (${entryName}).`
      )
    const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28)
    const data = bytes.subarray(start, start + compSize)
    if (start + compSize > bytes.length)
      throw new ReportError(
        'dmarc.badZip',
        { file: name },
        `${name} is truncated (${entryName} is incomplete).`
      )
    const full = `${name}:${entryName}`
    const remaining = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total)
    let content: Uint8Array
    if (method === 0) {
      if (data.length > remaining)
        throw new ReportError('dmarc.tooLarge', { file: full, limitMb: Math.round(remaining / 1048576) })
      content = data
    } else if (method === 8) {
      content = capped(full, remaining, () =>
        inflateRawSync(data, { maxOutputLength: Math.max(1, remaining) })
      )
    } else
      throw new ReportError(
        'dmarc.zipMethod',
        { file: full, method },
        `${full} uses a .zip compression method (${method}) that report senders do not use.`
      )
    total += content.length
    out.push({ name: full, bytes: content })
  }
  return out
}
