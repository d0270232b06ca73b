import { describe, expect, it } from 'vitest'
import { parseMessage } from '../../mime'
import { parseBounce } from '../parse-bounce'

const analyse = async (lines: string[]): Promise<ReturnType<typeof parseBounce>> =>
  parseBounce(await parseMessage(Buffer.from(lines.join('\n'))))

const head = (extra: string[] = []): string[] => [
  'Received: from lsean.ezweb.ne.jp by wsmtpr24.ezweb.ne.jp (EZweb Mail) with ESMTP id FFFF',
  'From: Mail Administrator <Postmaster@ezweb.ne.jp>',
  'Subject: Mail System Error - Returned Mail',
  'To: alice@sender.example',
  'Message-Id: <20110901083506.FFFFFFF1@lsean.ezweb.ne.jp>',
  ...extra
]

describe('EZweb notices (go-sisimai lhost/via-ezweb.go)', () => {
  it('reads the fixed sentence above a bare address as the reason (suspend)', async () => {
    const r = await analyse([
      ...head(),
      'Content-Type: text/plain',
      '',
      'The user(s) account is disabled.',
      '',
      '<bob@ezweb.ne.jp>',
      ''
    ])
    expect(r.format).toBe('EZweb')
    expect(r.recipients).toHaveLength(1)
    expect(r.recipients[0]).toMatchObject({ recipient: 'bob@ezweb.ne.jp', reason: 'suspend' })
  })
  it('X-SPASIGN: NG means the carrier filter refused the mail', async () => {
    const r = await analyse([
      ...head(['X-SPASIGN: NG']),
      'Content-Type: text/plain',
      '',
      '<bob@ezweb.ne.jp>',
      'Each of the following recipients was rejected by a remote mail server.',
      '---------------------------------------------------',
      'From: alice@sender.example',
      ''
    ])
    expect(r.recipients[0]).toMatchObject({ recipient: 'bob@ezweb.ne.jp', reason: 'filtered' })
  })
  it('states the reason for the recipient of an accompanying DSN', async () => {
    const r = await analyse([
      ...head(),
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="e1"',
      '',
      '--e1',
      'Content-Type: text/plain',
      '',
      'The user(s) account is disabled.',
      '',
      '<bob@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)',
      '',
      '--e1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; lsean.ezweb.ne.jp',
      '',
      'Final-Recipient: rfc822; bob@ezweb.ne.jp',
      'Action: failed',
      'Status: 5.0.0',
      '',
      '--e1--',
      ''
    ])
    expect(r.recipients[0]).toMatchObject({ recipient: 'bob@ezweb.ne.jp', reason: 'suspend' })
  })
  it('needs two EZweb signs: a lookalike subject alone is not enough', async () => {
    const r = await analyse([
      'From: postmaster@other.example',
      'Subject: Mail System Error - Returned Mail',
      'Content-Type: text/plain',
      '',
      'The user(s) account is disabled.',
      '<bob@other.example>',
      ''
    ])
    expect(r.format).not.toBe('EZweb')
  })
})
