import { ADDR_RE, before, squash, type FormatFact, type FormatParser } from './types'

/**
 * TransWARE Active!hunter (sisimai lib/Sisimai/Lhost/Activehunter.pm): `>>> rcpt <rcpt>` under
 * "The following addresses had permanent fatal errors", the first reply line after it is the diagnostic.
 */
const RCPT = new RegExp(`^>{3}[ \\t]+.+<(${ADDR_RE})>$`)

export const activehunter: FormatParser = {
  name: 'Activehunter',
  parse({ body, header }) {
    if (header('x-ahmailid') === undefined) return undefined
    const i = body.indexOf('----- The following addresses had permanent fatal errors -----')
    if (i < 0) return undefined
    const out: FormatFact[] = []
    for (const l of before(body.slice(i), /^Content-Type: message\/rfc822/im).split('\n')) {
      const m = RCPT.exec(l.trim())
      if (m) out.push({ recipient: m[1], diagnosticCode: '' })
      else if (out.length > 0 && /^[0-9A-Za-z]/.test(l) && !out[out.length - 1].diagnosticCode)
        out[out.length - 1].diagnosticCode = squash(l)
    }
    return out
  }
}
