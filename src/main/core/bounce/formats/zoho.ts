import { ADDR_RE, before, squash, type FormatFact, type FormatParser } from './types'

/**
 * Zoho Mail (sisimai lib/Sisimai/Lhost/Zoho.pm): `rcpt Invalid Address, ERROR_CODE :550, ...` lines, or
 * `[Status: Error, Address: <rcpt>, ResponseCode 421, , Host not reachable.]` in the delay warning.
 */
const LINE = new RegExp(`^(${ADDR_RE})[ \\t]+(.+)$`)
const STATUS = new RegExp(`^\\[Status: .+<(${ADDR_RE})>,`)

export const zoho: FormatParser = {
  name: 'Zoho',
  parse({ body, header }) {
    if (header('x-zohomail') === undefined) return undefined
    const i = body.indexOf('This message was created automatically by mail delivery')
    if (i < 0) return undefined
    const text = before(body.slice(i), /^Received: ?from mail\.zoho\.com by mx\.zohomail\.com/m)
    const out: FormatFact[] = []
    for (const l of text.split('\n')) {
      const m = LINE.exec(l)
      const s = m ? undefined : STATUS.exec(l)
      if (m) out.push({ recipient: m[1], diagnosticCode: m[2] })
      else if (s) out.push({ recipient: s[1], diagnosticCode: l })
    }
    for (const f of out) {
      f.diagnosticCode = squash(f.diagnosticCode)
      // Zoho's retry notice: the remote host is unreachable and the message waits in the queue (Zoho.pm)
      if (f.diagnosticCode.includes('Host not reachable')) f.reason = 'expired'
    }
    return out
  }
}
