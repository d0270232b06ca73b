import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeFile } from '../diagnose'

/**
 * Plain-text layouts without a DSN part, written after each MTA's documented wording (qmail-send, Domino,
 * GroupWise, Exchange 2003, Yahoo's old qmail-based NDR, Sendmail's transcript, SMTP32, Postfix's delay warning)
 * and automatic answers that are not bounces. What a mailing-list tool needs from each: every failed recipient,
 * permanent or temporary, and whether the address itself is bad.
 */
const dir = join(__dirname, 'fixtures', 'layouts')
async function analyse(name: string) {
  return (await analyzeFile(new Uint8Array(readFileSync(join(dir, name))), name))[0].analysis
}

type Row = [file: string, kind: string, recipients: [string, 'permanent' | 'temporary', boolean][]]
const ROWS: Row[] = [
  [
    'qmail.eml',
    'bounce',
    [
      ['bob@partner.example', 'permanent', true],
      ['carol@other.example', 'permanent', true]
    ]
  ],
  ['qmail-temp.eml', 'bounce', [['dan@slow.example', 'permanent', false]]],
  ['domino.eml', 'bounce', [['bob@partner.example', 'permanent', true]]],
  [
    'groupwise.eml',
    'bounce',
    [
      ['bob@partner.example', 'permanent', false],
      ['carol@partner.example', 'permanent', false]
    ]
  ],
  [
    'exchange2003.eml',
    'bounce',
    [
      ['bob@partner.example', 'permanent', true],
      // IMCEASMTP-carol+40partner+2Eexample@… is carol@partner.example; a 5.7.1 is a block, not a bad address
      ['carol@partner.example', 'permanent', false]
    ]
  ],
  ['yahoo-old.eml', 'bounce', [['bob@partner.example', 'permanent', true]]],
  ['transcript.eml', 'bounce', [['bob@partner.example', 'permanent', true]]],
  ['smtp32.eml', 'bounce', [['bob@partner.example', 'permanent', true]]],
  ['delayed.eml', 'bounce', [['bob@partner.example', 'temporary', false]]]
]

describe('plain-text layouts', () => {
  for (const [file, kind, want] of ROWS)
    it(`${file}: every failed recipient with its permanence`, async () => {
      const a = await analyse(file)
      expect(a.kind).toBe(kind)
      const got = (a.bounce?.recipients ?? []).map((r) => [r.recipient, r.permanence, r.hardBounce])
      expect(got).toEqual(want)
      for (const r of a.bounce!.recipients) {
        expect(r.status).toMatch(/^[45]\.\d+\.\d+$/)
        // a code we made up says so
        if (!/[45]\.\d+\.\d+/.test(r.diagnosticCode ?? '')) expect(r.statusInferred).toBe(true)
      }
    })

  it('a delay warning is a temporary notice, not a bounce to act on', async () => {
    const a = await analyse('delayed.eml')
    expect(a.bounce?.kind).toBe('delay')
    expect(a.bounce?.recipients[0].status).toMatch(/^4\./)
  })
})

describe('automatic answers that are not bounces', () => {
  for (const f of ['autoreply-fr.eml', 'autoreply-de.eml', 'autoreply-ja.eml'])
    it(`${f} is an auto-reply`, async () => {
      const a = await analyse(f)
      expect(a.kind).toBe('auto-reply')
      expect(a.verdict).toBeUndefined()
      expect(a.bounce?.recipients[0].permanence).toBeUndefined()
    })
  it('a challenge-response request is a challenge: nothing failed, nothing to suppress', async () => {
    const a = await analyse('challenge.eml')
    expect(a.kind).toBe('challenge')
    expect(a.bounce?.kind).toBe('challenge')
    expect(a.bounce?.recipients.every((r) => !r.permanence && !r.hardBounce)).toBe(true)
  })
})

describe('recipient lines in plain-text bodies', () => {
  const body = async (t: string) =>
    (await analyzeFile(new TextEncoder().encode(t), 'pasted.txt'))[0].analysis.bounce?.recipients.map(
      (r) => r.recipient
    )
  it('an address inside a wrapped remote reply is not a recipient', async () => {
    expect(
      await body(
        'The mail system\n\n<bob@partner.example>: host mx.partner.example[203.0.113.5] said: 550 5.1.1\n    <bounces+x1@shop.example>: unauthorized sender (in reply to RCPT TO command)\n'
      )
    ).toEqual(['bob@partner.example'])
  })
  it('reads "Unable to deliver message to: <rcpt>" and Outlook\'s "rcpt<mailto:rcpt>"', async () => {
    expect(
      await body('Unable to deliver message to: <bob@partner.example>\nServer said: 550 No such user here\n')
    ).toEqual(['bob@partner.example'])
    expect(
      await body(
        'mx.partner.example rejected your message to the following email addresses:\n\nbob@partner.example<mailto:bob@partner.example> A communication failure occurred during the delivery of this message.\n'
      )
    ).toEqual(['bob@partner.example'])
  })
})
