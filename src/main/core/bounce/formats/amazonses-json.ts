import { squash, type FormatFact, type FormatParser } from './types'

/**
 * Amazon SES notifications delivered by SNS as a JSON body (sisimai lib/Sisimai/Lhost/AmazonSES.pm; AWS "Amazon
 * SNS notification contents for Amazon SES"): notificationType Bounce / Complaint / Delivery with
 * bouncedRecipients[{emailAddress, action, status, diagnosticCode}], complainedRecipients, delivery.recipients.
 */
interface SesRecipient {
  emailAddress?: string
  action?: string
  status?: string
  diagnosticCode?: string
}
interface SesNotification {
  notificationType?: string
  eventType?: string
  bounce?: {
    bounceType?: string
    bounceSubType?: string
    bouncedRecipients?: SesRecipient[]
    reportingMTA?: string
  }
  complaint?: { complainedRecipients?: SesRecipient[]; complaintFeedbackType?: string }
  delivery?: { recipients?: string[]; smtpResponse?: string; reportingMTA?: string; remoteMtaIp?: string }
}

// bounceSubType values that state the reason outright (AWS SES docs, "Bounce types")
const SUBTYPE_REASON: Record<string, string> = {
  Suppressed: 'suppressed',
  OnAccountSuppressionList: 'suppressed',
  MailboxFull: 'mailboxfull',
  MessageTooLarge: 'mesgtoobig'
}

function parseWrapped(raw: string): unknown {
  // SNS e-mail wraps long lines; the continuation starts with one space
  for (const candidate of [raw.replace(/\n /g, ''), raw.replace(/\n/g, '')]) {
    try {
      return JSON.parse(candidate)
    } catch {
      /* try the next unwrapping */
    }
  }
  return undefined
}

function extractJson(body: string): SesNotification | undefined {
  // An SNS envelope ({"Type": "Notification", "Message": "<SES JSON as a string>"}) carries the notification
  // as an escaped string (AWS "Amazon SNS message and JSON formats")
  const outer = body.indexOf('{')
  if (outer >= 0 && /"Type"\s*:\s*"Notification"/.test(body)) {
    const env = parseWrapped(body.slice(outer, body.lastIndexOf('}') + 1)) as
      { Message?: unknown } | undefined
    if (env && typeof env.Message === 'string') {
      const inner = parseWrapped(env.Message) as SesNotification | undefined
      if (inner && typeof inner === 'object') return inner
    }
  }
  const start = body.indexOf('{"')
  if (start < 0) return undefined
  let end = body.lastIndexOf('}')
  const sep = body.indexOf('\n--\n', start)
  if (sep > 0) end = body.lastIndexOf('}', sep)
  const raw = body.slice(start, end + 1)
  // SNS e-mail wraps long lines; the continuation starts with one space
  for (const candidate of [raw.replace(/\n /g, ''), raw.replace(/\n/g, '')]) {
    try {
      return JSON.parse(candidate) as SesNotification
    } catch {
      /* try the next unwrapping */
    }
  }
  return undefined
}

export const amazonSesJson: FormatParser = {
  name: 'AmazonSES',
  parse({ body }) {
    if (!/\\?"(notificationType|eventType)\\?"/.test(body)) return undefined
    const j = extractJson(body)
    if (!j) return undefined
    const type = j.notificationType ?? j.eventType
    if (type === 'Bounce' && j.bounce) {
      const sub = SUBTYPE_REASON[j.bounce.bounceSubType ?? '']
      return (j.bounce.bouncedRecipients ?? []).map((r): FormatFact => ({
        recipient: r.emailAddress ?? '',
        diagnosticCode: squash((r.diagnosticCode ?? '').replace(/^smtp;\s*/i, '')),
        ...(r.status ? { status: r.status } : {}),
        ...(r.action ? { action: r.action } : {}),
        ...(sub ? { reason: sub } : {})
      }))
    }
    if (type === 'Complaint' && j.complaint) {
      return (j.complaint.complainedRecipients ?? []).map((r) => ({
        recipient: r.emailAddress ?? '',
        diagnosticCode: '',
        reason: 'feedback',
        feedbackType: j.complaint?.complaintFeedbackType ?? 'other'
      }))
    }
    if (type === 'Delivery' && j.delivery) {
      const resp = j.delivery.smtpResponse ?? ''
      return (j.delivery.recipients ?? []).map((r) => ({
        recipient: r,
        diagnosticCode: resp,
        action: 'delivered',
        reason: 'delivered'
      }))
    }
    return undefined
  }
}
