import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { soleReply } from './parse-bounce'

/** The scan soleReply replaced: every reply line, deduplicated, kept only when there is exactly one. */
function allReplies(pre: string): string | undefined {
  const replies = [
    ...new Set(
      [...pre.matchAll(/^[ \t#]*([45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3} )?[^\n]{3,200})$/gm)].map((m) =>
        m[1].trim()
      )
    )
  ]
  return replies.length === 1 ? replies[0] : undefined
}

const piece = fc.constantFrom(
  '\n',
  ' ',
  '\t',
  '#',
  '550 ',
  '421-',
  '5.7.1 ',
  '4.2.2 ',
  'User unknown',
  'mailbox full ',
  '> ',
  'x',
  '  '
)
const notice = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''))

describe('soleReply', () => {
  it('matches the full scan it replaced', () => {
    fc.assert(
      fc.property(notice, (pre) => soleReply(pre) === allReplies(pre)),
      {
        numRuns: 3000
      }
    )
  })

  it('keeps a reply stated twice and drops two different ones', () => {
    expect(soleReply('550 5.1.1 User unknown\ntext\n  550 5.1.1 User unknown  \n')).toBe(
      '550 5.1.1 User unknown'
    )
    expect(soleReply('550 5.1.1 User unknown\n452 4.2.2 Mailbox full\n')).toBeUndefined()
    expect(soleReply('no reply here')).toBeUndefined()
  })
})
