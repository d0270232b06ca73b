import { ADDR_RE, squash, type FormatParser } from './types'

/**
 * Verizon Wireless (vtext.com / vzwpix.com) SMS gateways, modelled on go-sisimai lhost/via-verizon.go: the
 * sender is `post_master@vtext.com` or `sysadmin@*.vzwpix.com`, the error runs from the "Error: " line to
 * "Message details:" / "Original Message:", and the recipient is the `RCPT TO:` (or `To:`) listed below.
 */

// lhost/via-verizon.go messagesof: the gateway's own wording for a number that is not a subscriber
const MESSAGES: [reason: string, needles: string[]][] = [
  ['userunknown', ['550 - Requested action not taken: no such user here', 'No valid recipients']]
]

export const verizon: FormatParser = {
  name: 'Verizon',
  parse({ body, from }) {
    if (!/post_master@vtext\.com|sysadmin@[^\s>]*\.vzwpix\.com/i.test(from)) return undefined
    const start = body.search(/^Error: /m)
    if (start < 0) return undefined
    const tail = body.slice(start)
    const stop = tail.search(/^(?:Original Message:|Message details:)/m)
    const diag = squash(stop < 0 ? tail : tail.slice(0, stop))
    const details = stop < 0 ? '' : tail.slice(stop)
    const rcpt = new RegExp(`^\\s*(?:RCPT TO|To):\\s*<?(${ADDR_RE})>?`, 'im').exec(details)?.[1]
    if (!rcpt) return undefined
    const reason = MESSAGES.find(([, n]) => n.some((s) => diag.includes(s)))?.[0]
    return [{ recipient: rcpt, diagnosticCode: diag, ...(reason ? { reason } : {}) }]
  }
}
