import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MessageSummary, type ParseWarning } from '../../../shared/schemas/mime'
import { parseInput, parseMessage, sniffInput, splitMbox, toMessageSummary } from './index'
import { findBlankLine, parseHeaderBlock, splitHeaderBody } from './headers'
import { findHeaderEnd, findHeaderEndByByte, parseMessageSync } from './parse-message'
import { countControls } from './sniff-input'

/** `bytes` as a view that starts `skip` bytes into a larger buffer: code reading words or Buffer views must cope. */
const viewAt = (bytes: number[], skip: number): Uint8Array => {
  const buf = new Uint8Array(bytes.length + skip + 8)
  buf.set(bytes, skip)
  return buf.subarray(skip, skip + bytes.length)
}

const fx = (n: string): Buffer => readFileSync(join(__dirname, 'fixtures', n))
const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('sniffInput', () => {
  it('rejects empty input', () => {
    expect(sniffInput(new Uint8Array(0)).error?.code).toBe('EMPTY_FILE')
  })
  it('names a PNG renamed to .eml', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])
    const r = sniffInput(png, 'photo.eml')
    expect(r.kind).toBe('error')
    expect(r.error?.code).toBe('NOT_A_MESSAGE')
    expect(r.error?.message).toBe('This file is a PNG image, not an email message.')
  })
  it('refuses a .msg that is not an OLE file', () => {
    expect(sniffInput(enc('just some text, not outlook'), 'mail.msg').error?.code).toBe('NOT_OLE')
  })
  it('recognises OLE .msg, mbox, eml, headers and smtp text', () => {
    expect(sniffInput(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])).kind).toBe(
      'msg'
    )
    expect(sniffInput(fx('three.mbox')).kind).toBe('mbox')
    expect(sniffInput(fx('truncated.eml')).kind).toBe('eml')
    expect(sniffInput(fx('headers-only-latin1.txt')).kind).toBe('headers')
    expect(
      sniffInput(enc("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)")).kind
    ).toBe('smtp-text')
  })
  it('enforces the size limit and flags binary data', () => {
    expect(sniffInput(new Uint8Array(2000).fill(65), 'a.eml', 1000).error?.code).toBe('TOO_LARGE')
    const bin = new Uint8Array(1000)
    bin[0] = 0x41
    expect(sniffInput(bin).error?.code).toBe('NOT_A_MESSAGE')
  })
})

describe('parseMessage', () => {
  it('keeps raw headers in order with duplicates, any line ending, latin1 fallback', async () => {
    const m = await parseMessage(fx('headers-only-latin1.txt'))
    expect(m.headersOnly).toBe(true)
    expect(m.headers.map((h) => h.name)).toEqual([
      'Received',
      'Received',
      'From',
      'Subject',
      'To',
      'Date',
      'Message-ID'
    ])
    expect(m.headers[0].value).toBe(
      'from a.example (a.example [192.0.2.1])\tby b.example with ESMTP; Mon, 3 Mar 2025 10:00:00 +0000'
    )
    expect(m.headers[3].value).toBe('café menu')
    expect(m.warnings.some((w) => w.code === 'HEADER_CHARSET')).toBe(true)
    expect(() => MessageSummary.parse(toMessageSummary(m))).not.toThrow()
  })
  it('handles CR-only line endings', async () => {
    const m = await parseMessage('From: a@b.example\rSubject: mac\r\rbody line\r')
    expect(m.subject).toBe('mac')
    expect(m.text).toContain('body line')
  })
  it('returns a partial result with a warning for truncated MIME', async () => {
    const m = await parseMessage(fx('truncated.eml'))
    expect(m.subject).toBe('cut short')
    expect(m.text).toContain('first part')
    expect(m.warnings.map((w) => w.code)).toContain('TRUNCATED')
  })
  it('parses 5,000 Received headers completely', async () => {
    const hdr = Array.from(
      { length: 5000 },
      (_, i) => `Received: from h${i}.example by h${i + 1}.example; Mon, 3 Mar 2025 10:00:00 +0000`
    ).join('\r\n')
    const m = await parseMessage(`${hdr}\r\nFrom: a@b.example\r\nSubject: many\r\n\r\nx\r\n`)
    expect(m.headers.filter((h) => h.name === 'Received')).toHaveLength(5000)
    expect(m.headers[4999].value).toContain('h4999.example')
  })
  it('does not keep a large attachment in memory twice', async () => {
    const b64 = Buffer.alloc(10 * 1024 * 1024, 7)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n')
    const raw = `From: a@b.example\r\nSubject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\nContent-Type: application/zip; name="bomb.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b--\r\n`
    const m = await parseMessage(raw)
    const att = m.attachments[0]
    expect(att.size).toBe(10 * 1024 * 1024)
    expect(att.hasContent).toBe(false)
    expect(att.content).toBeUndefined()
  })
})

describe('mbox', () => {
  it('splits three messages and unescapes >From', async () => {
    const parts = splitMbox(fx('three.mbox'))
    expect(parts).toHaveLength(3)
    expect(parts[0]).toContain('\nFrom the start')
    const r = await parseInput(fx('three.mbox'))
    expect(r.messages.map((m) => m.subject)).toEqual(['one', 'two', 'three'])
  })
})

describe('fuzz', () => {
  it('never throws and stays under 1 s per input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.string({ maxLength: 2000 }).map((s) => enc(s)),
          fc
            .array(
              fc.constantFrom(
                'From: a@b.example\n',
                'Content-Type: multipart/mixed; boundary="q"\n',
                '\n',
                '--q\n',
                'Content-Type: message/rfc822\n',
                'Content-Transfer-Encoding: base64\n',
                '=?utf-8?b?w6k=?=\n',
                '\r',
                '\xff\xfe',
                'Received: x\n\ty\n'
              ),
              { maxLength: 60 }
            )
            .map((a) => enc(a.join('')))
        ),
        async (bytes) => {
          sniffInput(bytes)
          const m = await parseMessage(bytes)
          expect(Array.isArray(m.headers)).toBe(true)
        }
      ),
      // fast-check's per-run timeout instead of a wall-clock assertion (speed is measured in bench:analyze)
      { numRuns: 200, timeout: 1000 }
    )
  })
})

describe('countControls', () => {
  // The word-at-a-time scan must count exactly what a byte-by-byte scan counts, at any alignment.
  const naive = (b: Uint8Array): { nul: number; ctrl: number } => {
    let nul = 0
    let ctrl = 0
    for (const x of b) {
      if (x === 0) nul++
      else if (x < 0x09 || (x > 0x0d && x < 0x20 && x !== 0x1b)) ctrl++
    }
    return { nul, ctrl }
  }
  it('counts NULs and control bytes like a byte loop', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 0x21 }), fc.integer({ min: 0, max: 255 }))
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 64 }), fc.nat(7), (bytes, skip) => {
        const view = viewAt(bytes, skip)
        expect(countControls(view)).toEqual(naive(view))
      }),
      { numRuns: 2000 }
    )
  })
})

describe('header block scanning', () => {
  // parseHeaderBlock and findBlankLine read lines by hand; they must say what the regexes they replace say.
  const FIELD_RE = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/
  const reference = (raw: string): { fields: { name: string; value: string }[]; broken: number } => {
    const fields: { name: string; value: string }[] = []
    let broken = 0
    for (const line of raw.split('\n')) {
      if (line === '') continue
      if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1].value += line
      else {
        const m = FIELD_RE.exec(line)
        if (m) fields.push({ name: m[1], value: m[2].replace(/^[ \t]+/, '') })
        else broken++
      }
    }
    for (const f of fields) f.value = f.value.replace(/[ \t]+$/, '')
    return { fields, broken }
  }
  const chars = fc.constantFrom(...'ab:C- \t\n\r\u2028\u2029é\x00\x7f@'.split(''))
  const block = fc.array(chars, { maxLength: 80 }).map((a) => a.join(''))
  it('parseHeaderBlock matches FIELD_RE line by line', () => {
    fc.assert(
      fc.property(block, (raw) => {
        const warnings: ParseWarning[] = []
        const ref = reference(raw)
        expect(parseHeaderBlock(raw, warnings)).toEqual(ref.fields)
        expect(warnings.map((w) => w.text?.params?.count)).toEqual(ref.broken ? [ref.broken] : [])
      }),
      { numRuns: 3000 }
    )
  })
  it('findBlankLine finds what /\\n[ \\t]*\\n/ finds', () => {
    fc.assert(
      fc.property(block, fc.nat(10), (text, from) => {
        const m = /\n[ \t]*\n/.exec(text.slice(from))
        const want = m ? { index: from + m.index, end: from + m.index + m[0].length } : null
        expect(findBlankLine(text, from)).toEqual(want)
      }),
      { numRuns: 3000 }
    )
  })
})

describe('header block split', () => {
  // parseMessageSync splits the decoded block findHeaderEnd cut without appending a blank line: the block already
  // ends with the one findHeaderEnd stopped at, so the header fields are the same.
  it('finds the same header fields in the cut block as in the block plus a blank line', () => {
    const piece = fc.constantFrom('From a', 'X: 1', 'a', ' ', '\t', '\n', '\r', '\r\n', ':')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const bytes = new TextEncoder().encode(pieces.join('') + 'body')
        const headEnd = findHeaderEnd(bytes)
        fc.pre(headEnd < bytes.length)
        const head = new TextDecoder().decode(bytes.subarray(0, headEnd)).replace(/\r\n?/g, '\n')
        expect(splitHeaderBody(head).rawHeaders).toBe(splitHeaderBody(head + '\n\n').rawHeaders)
      }),
      { numRuns: 3000 }
    )
  })
})

describe('findHeaderEnd', () => {
  // The LF-only shortcut must agree with reading every byte.
  it('finds the end of the header block like a byte loop', () => {
    const byte = fc.constantFrom(0x0a, 0x0d, 0x20, 0x41, 0x3a)
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 40 }), fc.nat(3), (bytes, skip) => {
        const view = viewAt(bytes, skip)
        expect(findHeaderEnd(view)).toBe(findHeaderEndByByte(view))
      }),
      { numRuns: 5000 }
    )
  })
})

describe('parseMessageSync on a string', () => {
  // A string's ASCII header block is read without encoding the string: the result must be its UTF-8 bytes' parse.
  it('parses a string as its UTF-8 bytes', () => {
    const piece = fc.constantFrom(
      'From: a@b',
      'X: é',
      'To: c@d',
      ' ',
      '\n',
      '\r',
      '\r\n',
      '\n\n',
      'body',
      '\uFEFF',
      ':'
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 25 }),
        fc.constantFrom('fields', 'headers', 'full'),
        (pieces, mode) => {
          const s = pieces.join('')
          const opts = mode === 'fields' ? { fieldsOnly: true } : mode === 'headers' ? { skipBody: true } : {}
          const { warnings: a, ...fromString } = parseMessageSync(s, opts)
          const { warnings: b, ...fromBytes } = parseMessageSync(new TextEncoder().encode(s), opts)
          expect(fromString).toEqual(fromBytes)
          expect(a.map((w) => w.message)).toEqual(b.map((w) => w.message))
        }
      ),
      { numRuns: 3000 }
    )
  })
})
