/**
 * Streaming mbox splitter (RFC 4155, mboxrd quoting): bytes in chunks, whole messages out, so an mbox of any size
 * is read with the memory of one message. A message starts at a "From " line at the start of the file or after a
 * blank line; body lines written as ">From " (any number of '>') lose one '>'. Pure: the caller reads the file.
 */
export interface MboxMessage {
  index: number
  bytes: Buffer
  /** The message grew past `maxBytes`: its bytes were dropped, only the count is kept. */
  tooLarge?: number
}

const FROM = Buffer.from('From ')

export class MboxSplitter {
  private partial: Buffer = Buffer.alloc(0)
  private lines: Buffer[] = []
  private size = 0
  private overflow = 0
  private started = false
  private prevBlank = true
  private index = 0
  /** Whether the file ended on a newline: an mbox cut mid-line was truncated (a copy that did not finish). */
  endedOnNewline = true

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): MboxMessage[] {
    const out: MboxMessage[] = []
    let data = this.partial.length ? Buffer.concat([this.partial, chunk]) : chunk
    let start = 0
    for (;;) {
      const nl = data.indexOf(10, start)
      if (nl < 0) break
      this.line(data.subarray(start, nl + 1), out)
      start = nl + 1
    }
    data = data.subarray(start)
    // Keep the unfinished line; copy so the big chunk it came from can be freed.
    this.partial = Buffer.from(data)
    if (this.partial.length > this.maxBytes) {
      // One enormous line (a base64 blob without newlines): count it, keep nothing.
      this.overflow += this.partial.length
      this.partial = Buffer.alloc(0)
    }
    return out
  }

  end(): MboxMessage[] {
    const out: MboxMessage[] = []
    this.endedOnNewline = this.partial.length === 0
    if (this.partial.length) this.line(this.partial, out)
    this.partial = Buffer.alloc(0)
    this.flush(out)
    return out
  }

  private line(line: Buffer, out: MboxMessage[]) {
    const isSep = this.prevBlank && line.subarray(0, 5).equals(FROM)
    const blank = line.length === 1 || (line.length === 2 && line[0] === 13)
    if (isSep) {
      this.flush(out)
      this.started = true
      this.prevBlank = false
      return
    }
    this.prevBlank = blank
    if (!this.started && blank) return
    this.started = true
    let l = line
    if (l[0] === 62 /* '>' */) {
      let i = 0
      while (l[i] === 62) i++
      if (l.subarray(i, i + 5).equals(FROM)) l = l.subarray(1)
    }
    if (this.overflow || this.size + l.length > this.maxBytes) {
      this.overflow += this.size + l.length
      this.size = 0
      this.lines = []
      return
    }
    this.lines.push(l)
    this.size += l.length
  }

  private flush(out: MboxMessage[]) {
    if (this.overflow) {
      out.push({ index: this.index++, bytes: Buffer.alloc(0), tooLarge: this.overflow })
    } else if (this.size > 0) {
      // The blank line before the next separator belongs to the mbox format, not to the message.
      let bytes = Buffer.concat(this.lines, this.size)
      if (
        bytes.length &&
        bytes[bytes.length - 1] === 10 &&
        bytes.length > 1 &&
        bytes[bytes.length - 2] === 10
      ) {
        bytes = bytes.subarray(0, bytes.length - 1)
      }
      if (bytes.toString('latin1').trim()) out.push({ index: this.index++, bytes })
    }
    this.lines = []
    this.size = 0
    this.overflow = 0
  }
}

/**
 * Whether a message looks cut short: a multipart whose closing boundary (RFC 2046 §5.1.1 "--boundary--") never
 * comes. Used on the last message of an mbox, the one a truncated copy damages.
 */
export function looksTruncated(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 16384).toString('latin1')
  const headerEnd = head.search(/\r?\n\r?\n/)
  const headers = headerEnd < 0 ? head : head.slice(0, headerEnd)
  if (headerEnd < 0) return true
  const m = /^content-type:[^\n]*(?:\n[ \t][^\n]*)*/im.exec(headers)
  if (!m || !/multipart\//i.test(m[0])) return false
  const b = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(m[0])
  if (!b) return false
  const boundary = b[1] ?? b[2]
  return !bytes.includes(Buffer.from(`--${boundary}--`))
}
