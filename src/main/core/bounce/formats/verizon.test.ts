import { describe, expect, it } from 'vitest'
import { parseMessage } from '../../mime'
import { parseBounce } from '../parse-bounce'

const raw = (from: string, error: string): string =>
  [
    `From: ${from}`,
    'To: alice@sender.example',
    'Subject: Re:hello',
    'Content-Type: text/plain',
    '',
    'Error: Invalid user address',
    'Error message below:',
    error,
    '',
    'Message details:',
    '  Subject: hello',
    '  MAIL FROM: alice@sender.example',
    '  RCPT TO: 5555550100@vtext.com',
    '  Size (in bytes): 222',
    ''
  ].join('\n')

describe('Verizon SMS gateway layout (go-sisimai lhost/via-verizon.go)', () => {
  it('reads "no such user here" as userunknown even with no SMTP command', async () => {
    const r = parseBounce(
      await parseMessage(raw('post_master@vtext.com', '550 - Requested action not taken: no such user here'))
    )
    expect(r.format).toBe('Verizon')
    expect(r.recipients[0]).toMatchObject({ recipient: '5555550100@vtext.com', reason: 'userunknown' })
  })
  it('leaves other errors to the generic tables', async () => {
    const r = parseBounce(await parseMessage(raw('post_master@vtext.com', '552 message size exceeds limit')))
    expect(r.recipients[0].reason).not.toBe('userunknown')
  })
  it('does not claim mail from other senders', async () => {
    const r = parseBounce(
      await parseMessage(
        raw('postmaster@other.example', '550 - Requested action not taken: no such user here')
      )
    )
    expect(r.format).not.toBe('Verizon')
  })
})
