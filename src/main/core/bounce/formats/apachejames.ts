import { ADDR_RE, squash, type FormatParser } from './types'

/**
 * Apache James (sisimai lib/Sisimai/Lhost/ApacheJames.pm): "Error message below:" then the remote reply, and
 * "Message details:" listing `RCPT TO: rcpt`.
 */
export const apachejames: FormatParser = {
  name: 'ApacheJames',
  parse({ body }) {
    const e = body.indexOf('Error message below:')
    const d = body.indexOf('Message details:', e)
    if (e < 0 || d < 0) return undefined
    const rcpts = [...body.slice(d).matchAll(new RegExp(`^\\s*RCPT TO:\\s*<?(${ADDR_RE})>?`, 'gm'))]
    const diag = squash(body.slice(e + 'Error message below:'.length, d))
    return rcpts.map((m) => ({ recipient: m[1], diagnosticCode: diag }))
  }
}
