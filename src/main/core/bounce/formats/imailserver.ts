import { ADDR_RE, before, squash, type FormatFact, type FormatParser } from './types'

/**
 * Ipswitch IMail Server (sisimai lib/Sisimai/Lhost/IMailServer.pm): `Unknown user: rcpt`,
 * `undeliverable to rcpt` then `Body of message generated response:` and the remote reply.
 */
const LABELLED = new RegExp(`^([^ ]+) (.+):[ \\t]*<?(${ADDR_RE})>?`)
const UNDELIVERABLE = new RegExp(`^undeliverable[ ]+to[ ]+<?(${ADDR_RE})>?`)

// IMailServer.pm $recommands / $refailures
const COMMANDS: [RegExp, string][] = [
  [/SMTP connection failed,|Unexpected connection response from server:/, 'CONN'],
  [/Unexpected response to EHLO\/HELO:/, 'EHLO'],
  [/Server response to MAIL FROM:/, 'MAIL'],
  [/Additional RCPT TO generated following response:/, 'RCPT'],
  [/DATA command generated response:/, 'DATA']
]
const FAILURES: [RegExp, string][] = [
  [/Unknown host/, 'hostunknown'],
  [/^(Unknown user|Invalid final delivery userid)/, 'userunknown'],
  [/^User mailbox exceeds allowed size/, 'mailboxfull'],
  [/^Requested action not taken: virus detected/, 'virusdetected'],
  [/^Delivery failed \d+ attempts/, 'expired']
]

export const imailserver: FormatParser = {
  name: 'IMailServer',
  parse({ body, subject, header }) {
    if (!/^Undeliverable Mail\s*$/.test(subject) && !(header('x-mailer') ?? '').startsWith('<SMTP32 v'))
      return undefined
    const text = before(body, /^Original message follows\./m)
    const out: (FormatFact & { extra: string })[] = []
    for (const raw of text.split('\n')) {
      const l = raw.trim()
      const u = UNDELIVERABLE.exec(l)
      const m = u ? undefined : LABELLED.exec(l)
      if (u) out.push({ recipient: u[1], diagnosticCode: '', extra: '' })
      else if (m) out.push({ recipient: m[3], diagnosticCode: `${m[1]} ${m[2]}`, extra: '' })
      else if (out.length > 0 && l) {
        const v = out[out.length - 1]
        if (l.includes('Body of message generated response:')) v.extra = l
        else if (v.extra) v.extra += ' ' + l
      }
    }
    return out.map(({ extra, ...f }) => {
      const diag = squash(extra ? `${extra} ${f.diagnosticCode}` : f.diagnosticCode)
      const command = COMMANDS.find(([re]) => re.test(diag))?.[1]
      const reason = FAILURES.find(([re]) => re.test(f.diagnosticCode))?.[1]
      return { ...f, diagnosticCode: diag, ...(command ? { command } : {}), ...(reason ? { reason } : {}) }
    })
  }
}
