import { ADDR_RE, squash, type FormatFact, type FormatParser } from './types'

/** "Mail Deliver System" NDRs (sisimai lib/Sisimai/Lhost/X1.pm): `rcpt [User unknown]` lines. */
const LINE = new RegExp(`^(${ADDR_RE})[ \\t]+\\[(.+)\\]\\s*$`)

export const x1: FormatParser = {
  name: 'X1',
  parse({ body, subject, from }) {
    if (!subject.startsWith('Returned Mail: ') || !/^"?Mail Deliver System"?/.test(from)) return undefined
    const out: FormatFact[] = []
    for (const l of body.split('\n')) {
      const m = LINE.exec(l.trim())
      if (m) out.push({ recipient: m[1], diagnosticCode: squash(m[2]) })
    }
    return out
  }
}
