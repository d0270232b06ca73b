import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Analysis } from '../../../shared/schemas/analysis'
import { analyzeFile } from './index'

const ROOT = join(__dirname, '../../../..')
const read = (p: string) => new Uint8Array(readFileSync(join(ROOT, p)))
const S3150 = read('e2e/data/diag-ms365-s3150.eml')
const SPAMHAUS = read('e2e/data/postfix-bounce-spamhaus.eml')
const enc = (s: string) => new TextEncoder().encode(s)

async function one(bytes: Uint8Array, name = 'x.eml') {
  const items = await analyzeFile(bytes, name)
  for (const it of items) Analysis.parse(it.analysis) // every output crosses IPC/HTTP: it must validate
  return items
}

describe('diagnose pipeline on bounces', () => {
  it('Microsoft NDR S3150: bounce, recipient row, original analysed, sender identity from the original', async () => {
    const [{ analysis: a }] = await one(S3150, 'ndr.eml')
    expect(a.kind).toBe('bounce')
    expect(a.bounce!.recipients).toEqual([
      expect.objectContaining({
        recipient: 'jane.doe@hotmail.com',
        status: '5.7.1',
        replyCode: '550',
        reason: 'blocked'
      })
    ])
    expect(a.bounce!.recipients[0].diagnosticCode).toContain('S3150')
    // The NDR came from outlook.com; the sender whose reputation matters is shop.example at 203.0.113.9.
    expect(a.sendingDomain).toBe('shop.example')
    expect(a.sendingIp).toBe('203.0.113.9')
    expect(a.original!.summary.subject).toBe('Your order #48213 has shipped')
    expect(a.original!.hops.length).toBeGreaterThanOrEqual(2)
    expect(a.original!.auth.recorded.dmarc?.result).toBe('fail')
    expect(a.original!.auth.recorded.compauth?.result).toBe('fail')
    expect(a.original!.antispam.vendors.map((v) => v.vendor)).toContain('microsoft')
    expect(a.verdict!.cause).toBe('blocklist')
    expect(a.verdict!.delistUrl).toMatch(/^https:\/\/olcsupport\.office\.com/)
    expect(a.verdict!.listedOn).toContainEqual(
      expect.objectContaining({ list: 'microsoft', target: '203.0.113.9' })
    )
    expect(a.verdict!.secondary.map((s) => s.cause)).toContain('authentication')
    // Findings are deduplicated by id.
    const ids = a.findings.map((f) => f.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining(['verdict.blocklist', 'auth.dmarc-fail']))
    // No bodies in the stored analysis.
    expect(JSON.stringify(a)).not.toContain('should arrive on Thursday')
  })

  it('Postfix bounce naming Spamhaus: blocklist with the listed IP from the reply', async () => {
    const [{ analysis: a }] = await one(SPAMHAUS, 'bounce.eml')
    expect(a.kind).toBe('bounce')
    expect(a.sendingIp).toBe('203.0.113.25')
    expect(a.sendingDomain).toBe('example.org')
    expect(a.verdict).toMatchObject({ cause: 'blocklist', ip: '203.0.113.25' })
    expect(a.hops).toHaveLength(2) // the bounce's own hops are kept for the timeline
  })

  it('pasted SMTP line → smtp-text with a verdict', async () => {
    const [{ analysis: a }] = await one(
      enc('550 5.7.1 <bob@example.net>: Relay access denied'),
      'pasted text'
    )
    expect(a.kind).toBe('smtp-text')
    expect(a.bounce!.recipients[0]).toMatchObject({ replyCode: '550', status: '5.7.1', reason: 'norelaying' })
    expect(a.verdict!.cause).toBe('relay-denied')
  })
})

/** A real ZIP (PKWARE APPNOTE 4.3) whose single entry inflates to `size` bytes of zeros. */
function zipBomb(size: number): Buffer {
  const data = Buffer.alloc(size)
  const comp = deflateRawSync(data, { level: 9 })
  const name = Buffer.from('zeros.bin')
  const crc = crc32(data)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(8, 8)
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(comp.length, 18)
  local.writeUInt32LE(size, 22)
  local.writeUInt16LE(name.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(comp.length, 20)
  central.writeUInt32LE(size, 24)
  central.writeUInt16LE(name.length, 28)
  const cdOffset = local.length + name.length + comp.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + name.length, 12)
  end.writeUInt32LE(cdOffset, 16)
  return Buffer.concat([local, name, comp, central, name, end])
}

function withAttachment(name: string, type: string, content: Buffer): Uint8Array {
  const b64 = content.toString('base64').replace(/.{76}/g, '$&\r\n')
  return enc(
    [
      'From: alice@shop.example',
      'To: bob@rcpt.example',
      'Subject: attachment',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--B',
      `Content-Type: ${type}; name="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--B--',
      ''
    ].join('\r\n')
  )
}

describe('bad input (issue 3): per-file error or partial analysis, never a crash', () => {
  it('truncated MIME gives a partial analysis', async () => {
    const [{ analysis: a }] = await one(read('src/main/core/mime/fixtures/truncated.eml'))
    expect(a.kind).toBe('message')
    expect(a.summary.subject).toBe('cut short')
  })

  it('8-bit (Latin-1) header bytes are read, not fatal', async () => {
    const bytes = Buffer.concat([
      Buffer.from('From: Ren'),
      Buffer.from([0xe9]),
      Buffer.from(' <rene@shop.example>\r\nTo: a@b.example\r\nSubject: R'),
      Buffer.from([0xe9, 0x73, 0x75, 0x6d, 0xe9]),
      Buffer.from('\r\n\r\nbody\r\n')
    ])
    const [{ analysis: a }] = await one(new Uint8Array(bytes))
    expect(a.kind).toBe('message')
    expect(a.summary.subject).toMatch(/^R.sum.$/)
  })

  it('5,000 Received headers', async () => {
    const lines: string[] = []
    for (let i = 0; i < 5000; i++)
      lines.push(
        `Received: from h${i}.relay.example (h${i}.relay.example [198.51.100.${i % 250}]) by h${i + 1}.relay.example with ESMTP id X${i}; Tue, 4 Mar 2025 10:${String(Math.floor(i / 100) % 60).padStart(2, '0')}:00 +0000`
      )
    const [{ analysis: a }] = await one(
      enc(
        `${lines.reverse().join('\r\n')}\r\nFrom: a@shop.example\r\nTo: b@rcpt.example\r\nSubject: loop\r\n\r\nx\r\n`
      )
    )
    expect(a.hops.length).toBeGreaterThan(100)
  }, 20_000)

  it('a 30 MB attachment (41 MB as base64) is analysed without keeping it', async () => {
    const [{ analysis: a }] = await one(
      withAttachment('big.bin', 'application/octet-stream', Buffer.alloc(30 * 1024 * 1024, 7))
    )
    expect(a.kind).toBe('message')
    expect(JSON.stringify(a).length).toBeLessThan(100_000)
  }, 60_000)

  it('a 50 MB attachment makes the file exceed the default 50 MB limit: TOO_LARGE naming the limit', async () => {
    const items = await analyzeFile(
      withAttachment('big.bin', 'application/octet-stream', Buffer.alloc(50 * 1024 * 1024, 7)),
      'big.eml'
    )
    expect(items[0].analysis).toMatchObject({ kind: 'error', error: { code: 'TOO_LARGE' } })
    expect(items[0].analysis.error!.message).toMatch(/50/)
  }, 60_000)

  it('a file over the size limit is refused with TOO_LARGE', async () => {
    const items = await analyzeFile(new Uint8Array(3 * 1024 * 1024).fill(65), 'huge.eml', {
      settings: { maxFileMb: 2 } as never
    })
    expect(items[0].analysis).toMatchObject({ kind: 'error', error: { code: 'TOO_LARGE' } })
  })

  it('a zip bomb attachment is never inflated', async () => {
    const bomb = zipBomb(64 * 1024 * 1024)
    expect(bomb.length).toBeLessThan(200_000)
    const [{ analysis: a }] = await one(withAttachment('invoice.zip', 'application/zip', bomb))
    expect(a.kind).toBe('message')
  }, 20_000)

  it('a .msg that is not an OLE file is a per-file error', async () => {
    const [{ analysis: a }] = await one(enc('this is not an outlook file at all'), 'mail.msg')
    expect(a.kind).toBe('error')
    expect(a.error!.code).toBe('NOT_OLE')
  })

  it('a bounce whose returned message is garbage still gives the bounce analysis', async () => {
    const broken = new TextDecoder()
      .decode(S3150)
      .replace(
        /Content-Type: message\/rfc822\n\n[\s\S]*$/,
        'Content-Type: message/rfc822\n\n\u0000\u0001\u0002 ::::: \n--a3bd1c5e-6cf4-4d4b-9b3e-1f2c0f1e8a77--\n'
      )
    const [{ analysis: a }] = await one(enc(broken))
    expect(a.kind).toBe('bounce')
    expect(a.verdict!.cause).toBe('blocklist')
  })
})

describe('fuzz: no exception escapes the pipeline', () => {
  const seeds = [new TextDecoder().decode(S3150), new TextDecoder().decode(SPAMHAUS)]
  // fast-check's per-run `timeout` fails a run that takes longer than 1 s: the budget, without timing asserts.
  it('mutated bounces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 200 }),
        async (seed, a, b, insert) => {
          const i = a % seed.length
          const j = Math.min(seed.length, i + (b % 400))
          const items = await analyzeFile(enc(seed.slice(0, i) + insert + seed.slice(j)), 'fuzz.eml')
          for (const it of items) Analysis.parse(it.analysis)
        }
      ),
      { numRuns: 150, timeout: 1000 }
    )
  }, 120_000)

  it('arbitrary bytes and SMTP-looking text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.string({ maxLength: 500 }).map((s) => enc(`550 5.7.1 ${s}`)),
          fc
            .string({ maxLength: 500 })
            .map((s) =>
              enc(`From: a@b.example\r\nReceived: ${s}\r\nAuthentication-Results: ${s}\r\n\r\n${s}`)
            )
        ),
        async (bytes) => {
          const items = await analyzeFile(bytes, 'fuzz.bin')
          for (const it of items) Analysis.parse(it.analysis)
        }
      ),
      { numRuns: 200, timeout: 1000 }
    )
  }, 120_000)
})
