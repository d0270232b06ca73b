import { headerValues } from '../../mime/headers'
import { squash, type FormatFact, type FormatParser } from './types'

/**
 * au by KDDI / EZweb (ezweb.ne.jp, au.com) "Mail System Error - Returned Mail" notices, modelled on go-sisimai
 * lhost/via-ezweb.go: recognised when at least two of sender, subject, Received stamp and Message-ID point at
 * EZweb; the text names each recipient as `<addr>` or `Recipient: <addr>`, with the carrier's fixed sentences
 * ("The user(s) account is disabled.") stating the reason. `X-SPASIGN: NG` marks mail its spam filter refused.
 */

// lhost/via-ezweb.go messagesof
const MESSAGES: [reason: string, needles: string[]][] = [
  ['expired', ['Your message was not delivered within ']],
  ['mailboxfull', ['The user(s) account is temporarily over quota']],
  ['onhold', ['Each of the following recipients was rejected by a remote mail server']],
  // unpaid or suspended subscriber lines (sisimai cites http://www.naruhodo-au.kddi.com/qa3429203.html)
  ['suspend', ['The user(s) account is disabled.', 'The user(s) account is temporarily limited.']]
]
const START = /^(The user\(s\) |Your message |Each of the following|<)/
const RCPT = /<([^<>\s]+@[^<>\s]+)>/

export const ezweb: FormatParser = {
  name: 'EZweb',
  parse({ msg, body, from, subject, header }) {
    let votes = 0
    if (/Postmaster@(ezweb\.ne\.jp|au\.com)/i.test(from)) votes++
    if (subject.trim() === 'Mail System Error - Returned Mail') votes++
    if (/\.(ezweb\.ne\.jp|au\.com)>/.test(header('message-id') ?? '')) votes++
    // the Received fields last, and only when their vote can still make two: nearly every message has none of these
    if (
      votes === 1 &&
      headerValues(msg.headers, 'received').some((r) =>
        /ezweb\.ne\.jp \(EZweb Mail\) with|\.au\.com \(/.test(r)
      )
    )
      votes++
    if (votes < 2) return undefined

    const text = body.split(/^-{50}/m)[0]
    type Draft = FormatFact & { lines: string[] }
    const facts: Draft[] = [{ recipient: '', diagnosticCode: '', lines: [] }]
    let reading = false
    for (const line of text.split('\n')) {
      if (!reading && START.test(line)) reading = true
      if (!reading || !line.trim() || /[^\t\n\r\x20-\x7e]/.test(line)) continue
      let cur = facts[facts.length - 1]
      const m = RCPT.exec(line)
      if (m && (line.startsWith('<') || line.indexOf('Recipient: <') > 1)) {
        // lines before the first address belong to it (the fixed sentence comes first)
        if (cur.recipient) facts.push((cur = { recipient: '', diagnosticCode: '', lines: [] }))
        cur.recipient = m[1]
      } else if (line.includes(' >>> ')) {
        cur.command = /RCPT|MAIL|DATA|HELO|EHLO/i.exec(line)?.[0].toUpperCase()
      }
      cur.lines.push(line)
    }
    const spam = (header('x-spasign') ?? '').trim() === 'NG'
    return facts
      .filter((f) => f.recipient)
      .map(({ lines, ...f }) => {
        const diag = squash(lines.join(' '))
        let reason = spam ? 'filtered' : MESSAGES.find(([, n]) => n.some((s) => diag.includes(s)))?.[0]
        // via-ezweb.go: an error that only quotes an address outside au is an unknown user
        if (!reason && !/@(ezweb\.ne\.jp|au\.com)$/i.test(f.recipient) && diag.startsWith('<'))
          reason = 'userunknown'
        return { ...f, diagnosticCode: diag, ...(reason ? { reason } : {}) }
      })
  }
}
