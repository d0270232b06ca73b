import {
  mkdirSync,
  readFileSync,
  writeFileSync,
  copyFileSync,
  openSync,
  ftruncateSync,
  closeSync
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempBackend } from '../host/test-backend'
import type { IngestSummary, Suppression } from '../../shared/contract/hygiene'

const FIX = join(__dirname, '../core/bounce/fixtures')
const fixture = (name: string) => readFileSync(join(FIX, name))

/** A bounce for `to` with a given status/diagnostic, dated `date` (RFC 3464 layout). */
function dsn(to: string, status: string, diag: string, date: string, id: string): string {
  return [
    'From: MAILER-DAEMON@mx.sender.example',
    'To: news@sender.example',
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${date}`,
    `Message-ID: <${id}@mx.sender.example>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Delivery failed.',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.sender.example',
    '',
    `Final-Recipient: rfc822; ${to}`,
    `Action: ${status.startsWith('4') ? 'delayed' : 'failed'}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diag}`,
    '',
    '--b1--',
    ''
  ].join('\n')
}

const backends: { close(): void }[] = []
afterEach(() => {
  while (backends.length) backends.pop()!.close()
})
function cli() {
  const b = tempBackend('cli')
  backends.push(b)
  return b
}
async function ok<T>(p: Promise<{ ok: boolean; data?: unknown; error?: unknown }>): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.data as T
}

describe('hygiene ingest from folders', () => {
  it('classifies a Maildir, suppresses hard bounces and complaints, never a sender-side block', async () => {
    const b = cli()
    const md = join(b.dataDir, 'Maildir')
    for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(md, d), { recursive: true })
    copyFileSync(join(FIX, 'postfix-userunknown.eml'), join(md, 'cur', '1:2,S'))
    copyFileSync(join(FIX, 'arf-abuse.eml'), join(md, 'cur', '2:2,S'))
    copyFileSync(join(FIX, 'o365-authfailure.eml'), join(md, 'new', '3'))
    copyFileSync(join(FIX, 'exim-blocked.eml'), join(md, 'new', '4'))
    writeFileSync(join(md, 'dovecot-uidlist'), '3 V1 N5\n') // metadata, not a message
    writeFileSync(join(md, 'tmp', 'partial'), 'half a deliv') // in-progress delivery: never read
    const s = await ok<IngestSummary>(b.dispatch('hygiene.ingestPaths', { paths: [md] }))
    expect(s.messages).toBe(4)
    expect(s.bounces).toBe(3)
    expect(s.complaints).toBe(1)
    expect(s.errors).toEqual([])
    expect(s.senderBlocks).toBeGreaterThanOrEqual(2)
    const { rows } = await ok<{ rows: Suppression[] }>(b.dispatch('hygiene.suppressions', {}))
    const cats = Object.fromEntries(rows.map((r) => [r.email, r.category]))
    expect(Object.values(cats).sort()).toEqual(['complaint', 'hard'])
    // The blocked recipients (authentication, blocklist) are sending problems, not suppressions.
    const stats = await ok<{ clusters: { cause: string; recipients: number }[] }>(
      b.dispatch('hygiene.stats', {})
    )
    expect(stats.clusters.length).toBeGreaterThanOrEqual(2)
    expect(stats.clusters.map((c) => c.cause)).toEqual(expect.arrayContaining(['authentication']))
    // Re-reading adds nothing.
    const again = await ok<IngestSummary>(b.dispatch('hygiene.ingestPaths', { paths: [md] }))
    expect(again.messages).toBe(0)
    expect(again.duplicates).toBe(4)
  })

  it('applies the soft rule: 3 soft bounces over at least 7 days, not 3 in one day', async () => {
    const b = cli()
    const dir = join(b.dataDir, 'soft')
    mkdirSync(dir)
    const full = '552 5.2.2 <x> Mailbox full, quota exceeded'
    writeFileSync(
      join(dir, 'a1.eml'),
      dsn('spread@rcpt.example', '5.2.2', full, 'Mon, 3 Nov 2025 10:00:00 +0000', 'a1')
    )
    writeFileSync(
      join(dir, 'a2.eml'),
      dsn('spread@rcpt.example', '5.2.2', full, 'Thu, 6 Nov 2025 10:00:00 +0000', 'a2')
    )
    writeFileSync(
      join(dir, 'a3.eml'),
      dsn('spread@rcpt.example', '5.2.2', full, 'Tue, 11 Nov 2025 10:00:00 +0000', 'a3')
    )
    for (const i of [1, 2, 3]) {
      writeFileSync(
        join(dir, `b${i}.eml`),
        dsn('burst@rcpt.example', '5.2.2', full, `Mon, 3 Nov 2025 1${i}:00:00 +0000`, `b${i}`)
      )
    }
    await ok(b.dispatch('hygiene.ingestPaths', { paths: [dir] }))
    const { rows } = await ok<{ rows: Suppression[] }>(b.dispatch('hygiene.suppressions', {}))
    expect(rows.map((r) => [r.email, r.category, r.count])).toEqual([['spread@rcpt.example', 'soft', 3]])
    // Rules are editable: 3 over 0 days now suppresses the burst too.
    await ok(b.dispatch('hygiene.setRules', { softDays: 0 }))
    const after = await ok<{ rows: Suppression[] }>(b.dispatch('hygiene.suppressions', {}))
    expect(after.rows.map((r) => r.email).sort()).toEqual(['burst@rcpt.example', 'spread@rcpt.example'])
  })

  it('puts a non-mail file, a 200 MB message and a truncated mbox in errors[] with the file name and goes on', async () => {
    const b = cli()
    const dir = join(b.dataDir, 'bad')
    mkdirSync(dir)
    writeFileSync(
      join(dir, 'picture.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
    )
    // A sparse 200 MB file: refused from its size, never read.
    const fd = openSync(join(dir, 'huge.eml'), 'w')
    ftruncateSync(fd, 200 * 1024 * 1024)
    closeSync(fd)
    const good = dsn(
      'gone@rcpt.example',
      '5.1.1',
      '550 5.1.1 <gone@rcpt.example>: user unknown',
      'Mon, 3 Nov 2025 10:00:00 +0000',
      'm1'
    )
    const second = dsn(
      'gone2@rcpt.example',
      '5.1.1',
      '550 5.1.1 user unknown',
      'Mon, 3 Nov 2025 11:00:00 +0000',
      'm2'
    )
    const mbox = `From MAILER-DAEMON Mon Nov  3 10:00:00 2025\n${good}\nFrom MAILER-DAEMON Mon Nov  3 11:00:00 2025\n${second}`
    writeFileSync(join(dir, 'cut.mbox'), mbox.slice(0, mbox.length - 40))
    copyFileSync(join(FIX, 'qmail-userunknown.eml'), join(dir, 'z-good.eml'))
    const s = await ok<IngestSummary>(b.dispatch('hygiene.ingestPaths', { paths: [dir] }))
    const byCode = Object.fromEntries(s.errors.map((e) => [e.code, e.file]))
    expect(byCode.NOT_A_MESSAGE).toMatch(/picture\.png$/)
    expect(byCode.TOO_LARGE).toMatch(/huge\.eml$/)
    expect(byCode.TRUNCATED).toBe('cut.mbox#2')
    // The first message of the mbox and the file after the bad ones still came in.
    expect(s.messages).toBe(2)
    expect(s.errors.every((e) => e.message.includes(e.file))).toBe(true)
  })

  it('exports the CSV with the documented header and only suppressed rows; release takes a note', async () => {
    const b = cli()
    const dir = join(b.dataDir, 'x')
    mkdirSync(dir)
    writeFileSync(
      join(dir, '1.eml'),
      dsn('a@rcpt.example', '5.1.1', '550 5.1.1 user unknown', 'Mon, 3 Nov 2025 10:00:00 +0000', 'e1')
    )
    writeFileSync(
      join(dir, '2.eml'),
      dsn('=cmd@rcpt.example', '5.1.1', '550 5.1.1 user unknown', 'Mon, 3 Nov 2025 10:00:00 +0000', 'e2')
    )
    writeFileSync(
      join(dir, '3.eml'),
      dsn(
        'b@outlook.test',
        '5.7.1',
        '550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus',
        'Mon, 3 Nov 2025 10:00:00 +0000',
        'e3'
      )
    )
    await ok(b.dispatch('hygiene.ingestPaths', { paths: [dir] }))
    const out = join(b.dataDir, 'supp.csv')
    await ok(b.dispatch('hygiene.export', { format: 'csv', path: out }))
    const lines = readFileSync(out, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('email,category,reason,status,first_seen,last_seen,count,source')
    expect(lines).toHaveLength(3)
    expect(lines.some((l) => l.startsWith("'=cmd@rcpt.example,hard,userunknown,5.1.1,"))).toBe(true)
    expect(lines.join('\n')).not.toContain('b@outlook.test')
    await ok(b.dispatch('hygiene.release', { email: 'a@rcpt.example', note: 'customer fixed the mailbox' }))
    const json = await ok<{ content: string }>(b.dispatch('hygiene.export', { format: 'json' }))
    expect(JSON.parse(json.content).map((r: { email: string }) => r.email)).toEqual(['=cmd@rcpt.example'])
    const released = await ok<{ rows: Suppression[] }>(
      b.dispatch('hygiene.suppressions', { state: 'released' })
    )
    expect(released.rows[0].releaseNote).toBe('customer fixed the mailbox')
  })

  it('refuses file paths over HTTP/IPC, and opens a case from a cluster with its bounces as evidence', async () => {
    const web = tempBackend('web')
    backends.push(web)
    const r = await web.dispatch('hygiene.ingestPaths', { paths: ['/etc'] })
    expect(r.ok).toBe(false)
    const up = await ok<IngestSummary>(
      web.dispatch('hygiene.ingestFiles', {
        label: 'bounces',
        files: [{ name: 'o365.eml', base64: fixture('o365-authfailure.eml').toString('base64') }]
      })
    )
    expect(up.bounces).toBe(1)
    const stats = await ok<{ clusters: { key: string }[] }>(web.dispatch('hygiene.stats', {}))
    const opened = await ok<{ caseId: number; evidence: number }>(
      web.dispatch('hygiene.openCase', { key: stats.clusters[0].key })
    )
    expect(opened.evidence).toBe(1)
    const c = await ok<{ evidence: unknown[] }>(web.dispatch('cases.get', { id: opened.caseId }))
    expect(c.evidence).toHaveLength(1)
  })
})
