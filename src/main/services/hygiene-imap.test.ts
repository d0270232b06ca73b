import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend } from '../host/startable-backend'
import { tempBackend } from '../host/test-backend'
import { startDovecot, type Dovecot } from '../../../test/support/dovecot'
import type { IngestSummary } from '../../shared/contract/hygiene'

/** Real Dovecot (Debian dovecot-imapd) on 127.0.0.1, TLS from a test CA: see test/support/dovecot.ts. */
const FIX = join(__dirname, '../core/bounce/fixtures')
const FILES = [
  'postfix-userunknown.eml',
  'gmail-mailboxfull.eml',
  'o365-authfailure.eml',
  'arf-abuse.eml',
  'exim-blocked.eml',
  'qmail-userunknown.eml',
  'rfc3464-two-recipients.eml',
  'layouts/delayed.eml'
]

type Res = { ok: boolean; data?: unknown; error?: { code: string; message: string } }
let dv: Dovecot
beforeAll(async () => {
  dv = await startDovecot()
  FILES.slice(0, 5).forEach((f, i) => dv.addMessage(`${1000 + i}.M1P1.test:2,`, readFileSync(join(FIX, f))))
}, 60_000)
afterAll(async () => {
  await (dv as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]()
})

const src = (over: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port: dv.imapsPort,
  user: dv.user,
  mailbox: 'INBOX',
  tls: 'tls',
  caPem: dv.caPem,
  ...over
})

describe('hygiene ingest over IMAP (Dovecot)', () => {
  const b = tempBackend('cli')
  afterAll(() => b.close())
  const imap = async (over: Record<string, unknown> = {}, secret = dv.password) =>
    (await b.dispatch('hygiene.ingestImap', { source: src(over), secret })) as Res

  it('reads incrementally by UIDVALIDITY + UID: a re-run brings only the new messages', async () => {
    const first = await imap()
    expect(first.error).toBeUndefined()
    expect((first.data as IngestSummary).messages).toBe(5)
    FILES.slice(5).forEach((f, i) => dv.addMessage(`${2000 + i}.M2P2.test:2,`, readFileSync(join(FIX, f))))
    const second = (await imap()).data as IngestSummary
    expect(second.messages).toBe(3)
    expect(second.duplicates).toBe(0)
    const third = (await imap()).data as IngestSummary
    expect([third.messages, third.duplicates]).toEqual([0, 0])
  })

  it('works over STARTTLS too (port 143 style)', async () => {
    const r = await imap({ port: dv.imapPort, tls: 'starttls' })
    expect(r.ok).toBe(true)
    // A different source label (other port): read from UID 1, every message already known.
    expect((r.data as IngestSummary).duplicates).toBe(8)
  })

  it('reads everything again after a UIDVALIDITY change, without adding duplicates', async () => {
    dv.setUidValidity(4242)
    const s = (await imap()).data as IngestSummary
    expect(s.notices.map((n) => n.code)).toContain('notice.uidvalidity')
    expect([s.messages, s.duplicates]).toEqual([0, 8])
  })

  it('a folder copy of the same mailbox adds no duplicates (CRLF over IMAP, LF on disk)', async () => {
    const r = (await b.dispatch('hygiene.ingestPaths', { paths: [dv.maildir] })) as Res
    const s = r.data as IngestSummary
    expect([s.messages, s.duplicates, s.errors.length]).toEqual([0, 8, 0])
  })

  it('a wrong password is a clear AUTH_FAILED error naming the user', async () => {
    const r = await imap({}, 'wrong password')
    expect(r.ok).toBe(false)
    expect(r.error!.code).toBe('AUTH_FAILED')
    expect(r.error!.message).toContain(dv.user)
  })
})

describe('hygiene ingest over IMAP when the server stops mid-fetch', () => {
  it('keeps what was read, reports the lost connection, and the next run resumes with nothing lost', async () => {
    const d2 = await startDovecot()
    // Big messages (≈400 KB each) so the server is still sending when it is stopped.
    const base = readFileSync(join(FIX, 'postfix-userunknown.eml'), 'utf8')
    const pad = `\n${'x'.repeat(76)}`.repeat(5200)
    for (let i = 0; i < 30; i++) {
      const msg =
        base
          .replace(/Message-ID: <[^>]+>/i, `Message-ID: <big-${i}@sender.example>`)
          .replace(/\n\n/, `\nX-Pad: ${i}\n\n`) + pad
      d2.addMessage(`${3000 + i}.M3P3.test:2,`, msg)
    }
    let calls = 0
    const { classifyMessage } = await import('../core/hygiene/light')
    const b = startBackend({
      host: 'cli',
      hygieneClassify: async (bytes, name, maxBytes) => {
        if (++calls === 4) await d2.stop()
        return classifyMessage(bytes, name, maxBytes)
      }
    })
    try {
      const source = {
        host: '127.0.0.1',
        port: d2.imapsPort,
        user: d2.user,
        mailbox: 'INBOX',
        tls: 'tls',
        caPem: d2.caPem
      }
      const r1 = (await b.dispatch('hygiene.ingestImap', { source, secret: d2.password })) as Res
      const s1 = r1.data as IngestSummary
      expect(s1.errors.map((e) => e.code)).toContain('IMAP_CONNECTION')
      expect(s1.messages).toBeGreaterThanOrEqual(4)
      expect(s1.messages).toBeLessThan(30)
      await d2.start()
      const r2 = (await b.dispatch('hygiene.ingestImap', { source, secret: d2.password })) as Res
      const s2 = r2.data as IngestSummary
      expect(s2.errors).toEqual([])
      expect(s1.messages + s2.messages).toBe(30)
      const stats = (await b.dispatch('hygiene.stats', {})) as Res
      expect((stats.data as { messages: Record<string, number> }).messages.bounce).toBe(30)
    } finally {
      b.close()
      await (d2 as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]()
    }
  }, 120_000)
})
