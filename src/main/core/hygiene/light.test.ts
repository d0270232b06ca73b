import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeFile } from '../diagnose'
import { classifyAnalysis } from './classify'
import { classifyMessage } from './light'

/**
 * The ingest's light path must classify exactly as the full diagnosis does (issue 12): same kind, same events
 * (hard / soft / block, cause, code …), same date, same errors. Compared over every message fixture in the
 * repository and over bounces built to exercise each input of the verdict's cause.
 */
const ROOT = join(__dirname, '../../../..')
const DIRS = ['src/main/core/bounce/fixtures', 'src/main/core/mime/fixtures', 'e2e/data']

function files(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...files(p))
    else if (/\.(eml|mbox|txt|msg)$/.test(e.name)) out.push(p)
  }
  return out.sort()
}

const MAX = 50 * 1048576

async function both(bytes: Uint8Array, name: string) {
  const a = (await analyzeFile(bytes, name, {}))[0].analysis
  const full =
    a.kind === 'error'
      ? { ok: false, code: a.error?.code }
      : { ok: true, c: classifyAnalysis(a), date: a.summary.date }
  const l = await classifyMessage(bytes, name, MAX)
  return { full, light: l.ok ? l : { ok: false, code: l.code } }
}

/** A DSN whose returned original carries the given header fields (authentication, anti-spam). */
function dsn(opts: { status: string; diag: string; action?: string; original?: string[]; to?: string }) {
  return [
    'From: MAILER-DAEMON@mx.sender.example',
    'To: news@sender.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Mon, 3 Nov 2025 10:00:00 +0000',
    'Message-ID: <ndr-1@mx.sender.example>',
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
    `Final-Recipient: rfc822; ${opts.to ?? 'bob@receiver.example'}`,
    `Action: ${opts.action ?? 'failed'}`,
    `Status: ${opts.status}`,
    `Diagnostic-Code: smtp; ${opts.diag}`,
    '',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    ...(opts.original ?? []),
    'From: news@sender.example',
    `To: ${opts.to ?? 'bob@receiver.example'}`,
    'Subject: Our news',
    'Message-ID: <orig-1@sender.example>',
    '',
    '--b1--',
    ''
  ].join('\n')
}

const RECEIVED = [
  'Received: from mx.receiver.example (mx.receiver.example [198.51.100.7]) by mx2.receiver.example; Mon, 3 Nov 2025 10:00:01 +0000',
  'Received: from out.sender.example (out.sender.example [192.0.2.10]) by mx.receiver.example; Mon, 3 Nov 2025 10:00:00 +0000'
]

const BUILT: [string, string][] = [
  ['generic reason, nothing else', dsn({ status: '5.0.0', diag: '550 Message refused' })],
  [
    'generic reason, the receiver recorded dmarc=fail',
    dsn({
      status: '5.7.1',
      diag: '550 5.7.1 Message rejected',
      original: [
        ...RECEIVED.slice(0, 1),
        'Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=sender.example; dmarc=fail header.from=sender.example',
        ...RECEIVED.slice(1)
      ]
    })
  ],
  [
    'a dmarc=fail written above the edge by someone else',
    dsn({
      status: '5.0.0',
      diag: '550 refused',
      original: ['Authentication-Results: evil.example; dmarc=fail header.from=sender.example', ...RECEIVED]
    })
  ],
  [
    'anti-spam verdicts in the original',
    dsn({
      status: '5.7.1',
      diag: '550 5.7.1 rejected by policy',
      original: [...RECEIVED, 'X-Spam-Flag: YES', 'X-Spam-Status: Yes, score=12.3 required=5.0']
    })
  ],
  [
    'a blocklist named in the reply',
    dsn({ status: '5.7.1', diag: '554 5.7.1 blocked using zen.spamhaus.org' })
  ],
  ['a full mailbox', dsn({ status: '5.2.2', diag: '552 5.2.2 Mailbox full' })],
  ['a temporary refusal', dsn({ status: '4.7.0', diag: '421 4.7.0 Try again later', action: 'delayed' })],
  ['a delivered recipient', dsn({ status: '2.0.0', diag: '250 OK', action: 'delivered' })],
  ['an unknown user', dsn({ status: '5.1.1', diag: '550 5.1.1 No such user' })],
  ['no recipient address', dsn({ status: '5.1.1', diag: '550 5.1.1 No such user', to: 'not-an-address' })],
  [
    'pasted SMTP text',
    '550 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org'
  ],
  ['not a message', 'hello'],
  ['empty', '']
]

describe('light classification agrees with the full analysis', () => {
  const list = DIRS.flatMap((d) => files(join(ROOT, d)))

  it('has fixtures to compare', () => {
    expect(list.length).toBeGreaterThan(25)
  })

  it.each(list.map((f) => [f.slice(ROOT.length + 1), f]))('%s', async (_name, file) => {
    const { full, light } = await both(readFileSync(file), file)
    expect(light).toEqual(full)
  })

  it.each(BUILT)('%s', async (_name, text) => {
    const { full, light } = await both(new TextEncoder().encode(text), 'built.eml')
    expect(light).toEqual(full)
  })

  it('the built cases cover blocks, hard and soft bounces and delays', async () => {
    const types = new Set<string>()
    for (const [, text] of BUILT) {
      const l = await classifyMessage(new TextEncoder().encode(text), 'built.eml', MAX)
      if (l.ok) for (const e of l.c.events) types.add(`${e.type}:${e.cause}`)
    }
    expect([...types]).toEqual(
      expect.arrayContaining(['block:authentication', 'block:blocklist', 'hard:', 'soft:', 'delay:'])
    )
  })
})
