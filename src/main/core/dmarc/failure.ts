import { headerValue, parseHeaderBlock } from '../mime'
import type { ParsedMessage } from '../mime'

/**
 * DMARC failure (ruf) reports: RFC 6591 authentication failure reports in the ARF format (RFC 5965), i.e. a
 * multipart/report with a message/feedback-report part whose Feedback-Type is "auth-failure". Some senders
 * (Exim's DMARC module, parsedmarc issue #332) send only a plain-text description; we read the reported domain
 * and source IP from its words, as parsedmarc does, rather than dropping the report.
 */
export interface FailureReport {
  kind: 'failure'
  feedbackType: string
  reporter: string
  reportedDomain: string
  sourceIp?: string
  arrivalDate?: string
  /** Seconds since the epoch of arrival (or of the report message), for the timeline. */
  date: number
  originalMailFrom?: string
  authFailure?: string
  deliveryResult?: string
  dkimDomain?: string
  authenticationResults?: string
  subject?: string
  /** A key for duplicates: the reporter plus the report's Message-ID (or arrival + IP). */
  reportId: string
}

const toEpoch = (d: string | undefined): number | undefined => {
  if (!d) return undefined
  const t = Date.parse(d)
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000)
}

function reporterOf(msg: ParsedMessage): string {
  const from = msg.from?.address ?? ''
  return from.includes('@') ? from.split('@')[1].toLowerCase() : from.toLowerCase() || 'unknown'
}

/** The failure report a message carries, or null when it is not one. */
export function parseFailureMessage(msg: ParsedMessage): FailureReport | null {
  const part = msg.attachments.find((a) => a.mimeType.toLowerCase() === 'message/feedback-report')
  let fields: Record<string, string> | null = null
  if (part?.content) {
    const text = new TextDecoder().decode(part.content).replace(/\r\n?/g, '\n')
    const headers = parseHeaderBlock(text.trim())
    fields = {}
    for (const h of headers) fields[h.name.toLowerCase()] = h.value.trim()
  }
  const reporter = reporterOf(msg)
  const msgDate = toEpoch(msg.date) ?? 0
  if (fields && fields['feedback-type']) {
    const type = fields['feedback-type'].toLowerCase()
    if (type !== 'auth-failure') return null
    const original = msg.attachments.find((a) => /^(message\/rfc822|text\/rfc822-headers)/i.test(a.mimeType))
    const originalHeaders = original?.content
      ? parseHeaderBlock(new TextDecoder().decode(original.content).replace(/\r\n?/g, '\n').split('\n\n')[0])
      : []
    const arrival = fields['arrival-date'] ?? fields['received-date']
    const domain =
      fields['reported-domain']?.toLowerCase() ??
      /header\.from=([\w.-]+)/i.exec(fields['authentication-results'] ?? '')?.[1]?.toLowerCase() ??
      ''
    const sourceIp = fields['source-ip']?.replace(/^\[|\]$/g, '')
    return {
      kind: 'failure',
      feedbackType: type,
      reporter,
      reportedDomain: domain,
      sourceIp,
      arrivalDate: arrival,
      date: toEpoch(arrival) ?? msgDate,
      originalMailFrom: fields['original-mail-from']?.replace(/^<|>$/g, '') || undefined,
      authFailure: fields['auth-failure'],
      deliveryResult: fields['delivery-result'],
      dkimDomain: fields['dkim-domain'],
      authenticationResults: fields['authentication-results'],
      subject: headerValue(originalHeaders, 'subject'),
      reportId: msg.messageId ?? `${reporter}/${arrival ?? msgDate}/${sourceIp ?? ''}`
    }
  }
  // Plain-text forensic reports (Exim): "Sender Domain: example.com", "Sender IP Address: 203.0.113.68".
  const text = msg.text
  const domain = /Sender Domain:\s*([\w.-]+)/i.exec(text)?.[1]
  const ip = /Sender IP Address:\s*([0-9a-f:.]+)/i.exec(text)?.[1]
  const looksLikeReport = /DMARC (Failure|Forensic) Report/i.test(msg.subject ?? '')
  if (!looksLikeReport || !domain) return null
  const received = /Received date:\s*(.+)/i.exec(text)?.[1]?.trim()
  return {
    kind: 'failure',
    feedbackType: 'auth-failure',
    reporter,
    reportedDomain: domain.toLowerCase(),
    sourceIp: ip,
    arrivalDate: received,
    date: toEpoch(received) ?? msgDate,
    authFailure: 'dmarc',
    subject: msg.subject,
    reportId: msg.messageId ?? `${reporter}/${received ?? msgDate}/${ip ?? ''}`
  }
}
