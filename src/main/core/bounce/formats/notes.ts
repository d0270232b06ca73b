import { ADDR_RE, before, squash, type FormatFact, type FormatParser } from './types'

/**
 * Lotus Notes SMTP MTA (sisimai lib/Sisimai/Lhost/Notes.pm): under "------- Failure Reasons --------" the reason
 * text comes first, then the recipient address on its own line.
 */
const MESSAGES: [string, string][] = [
  ['User not listed in public Name & Address Book', 'userunknown'],
  ['ディレクトリのリストにありません', 'userunknown'],
  ['Message has exceeded maximum hop count', 'networkerror']
]

export const notes: FormatParser = {
  name: 'Notes',
  parse({ body, subject }) {
    if (!subject.startsWith('Undeliverable message')) return undefined
    const i = body.indexOf('------- Failure Reasons ')
    if (i < 0) return undefined
    const text = before(body.slice(i), /^------- Returned Message --------/m)
    const out: FormatFact[] = []
    let diag = ''
    for (const l of text.split('\n').slice(1)) {
      const m = new RegExp(`^<?(${ADDR_RE})>?`).exec(l.trim())
      if (m) {
        out.push({ recipient: m[1], diagnosticCode: squash(diag) })
        diag = ''
      } else if (l.trim() && !l.startsWith('-')) diag += ' ' + l
    }
    for (const f of out) {
      const hit = MESSAGES.find(([s]) => f.diagnosticCode.includes(s))
      if (hit) f.reason = hit[1]
    }
    return out
  }
}
