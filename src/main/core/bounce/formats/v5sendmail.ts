import { ADDR_RE, before, squash, type FormatFact, type FormatParser } from './types'

/**
 * Sendmail 5 / non-MIME Sendmail NDRs (sisimai lib/Sisimai/Lhost/V5sendmail.pm): no delivery-status part, a
 * transcript where `>>> CMD` / `<<< reply` lines precede the `NNN <rcpt>... text` line of the recipient they
 * belong to (RFC 5321 4.2 replies).
 */
const RCPT = new RegExp(`^\\d{3}[ \\t]+<(${ADDR_RE})>\\.{3}[ \\t]*(.+)$`)

export const v5sendmail: FormatParser = {
  name: 'V5sendmail',
  parse({ body, subject }) {
    if (!/^Returned mail: [A-Z]/.test(subject)) return undefined
    const start = body.indexOf('----- Transcript of session follows -----')
    if (start < 0 || !/^[ ]+----- (Unsent message follows|No message was collected) -----/m.test(body))
      return undefined
    const text = before(
      body.slice(start),
      /^[ ]+----- (Unsent message follows|No message was collected) -----/m
    )
    const out: FormatFact[] = []
    const commands: string[] = []
    const replies: string[] = []
    for (const l of text.split('\n').slice(1)) {
      const m = RCPT.exec(l)
      if (m) {
        const reply = replies[out.length]
        out.push({ recipient: m[1], diagnosticCode: reply ? `${m[2]}: ${reply}` : m[2] })
        continue
      }
      const c = /^>>>[ \t]*([A-Z]{4})/.exec(l)
      if (c) commands[out.length] = c[1]
      const r = /^<<<[ ]+(.+)$/.exec(l)
      if (r) replies[out.length] = r[1]
    }
    out.forEach((f, i) => {
      f.diagnosticCode = squash(f.diagnosticCode)
      if (commands[i]) f.command = commands[i]
    })
    return out
  }
}
