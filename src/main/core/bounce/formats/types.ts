import type { ParsedMessage } from '../../mime/types'

/**
 * A format parser reads one MTA family's human-readable NDR layout (the text part of a bounce that carries no
 * RFC 3464 message/delivery-status). Each one is modelled on the matching sisimai Lhost module (recognition
 * and the text anchors); the code is ours.
 */
export interface FormatContext {
  msg: ParsedMessage
  /** Decoded text/plain body (or text from HTML), LF line ends. */
  body: string
  from: string
  subject: string
  header: (name: string) => string | undefined
}

export interface FormatFact {
  recipient: string
  diagnosticCode: string
  command?: string
  status?: string
  replyCode?: string
  action?: string
  remoteMta?: string
  /** A reason the layout itself states (e.g. a fixed message meaning "expired"). */
  reason?: string
  feedbackType?: string
}

export interface FormatParser {
  /** sisimai module name, reported as `format`. */
  name: string
  parse: (ctx: FormatContext) => FormatFact[] | undefined
}

export const ADDR_RE = '[A-Za-z0-9!#$%&\'*+/=?^_`{|}~."-]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+'

/** Lines of `text` up to the first line matching `stop` (the start of the returned message). */
export function before(text: string, stop: RegExp): string {
  const m = stop.exec(text)
  return m ? text.slice(0, m.index) : text
}

export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}

/** SMTP command from the phrases MTAs use to name the rejected step (RFC 5321 3.3 commands). */
export function commandOf(s: string): string | undefined {
  const m = /\b(RCPT TO|MAIL FROM|DATA|EHLO|HELO|STARTTLS)\b/i.exec(s)
  if (!m) return undefined
  const c = m[1].toUpperCase()
  return c.startsWith('RCPT') ? 'RCPT' : c.startsWith('MAIL') ? 'MAIL' : c
}
