import MsgReader from '@kenjiuno/msgreader'
import { parserWarning } from './warning'
import type { FieldsData } from '@kenjiuno/msgreader'
import type { MailAddress, ParseWarning } from '../../../shared/schemas/mime'
import { headerValue, parseHeaderBlock } from './headers'
import { KEEP_CONTENT_MAX } from './parse-message'
import { normalizeNewlines } from './text-decode'
import type { ParsedAttachment, ParsedMessage } from './types'

/**
 * Outlook .msg (MS-OXMSG, an OLE2 compound file). The original Internet headers survive only in
 * PR_TRANSPORT_MESSAGE_HEADERS (0x007D); a message composed in Outlook and never sent has none, which we
 * report as a warning because header analysis is then impossible.
 */
/** `keepContentMax`: attachments up to this size keep their bytes (DMARC reports need their zipped report). */
export function parseMsg(bytes: Uint8Array, keepContentMax = KEEP_CONTENT_MAX): ParsedMessage {
  const warnings: ParseWarning[] = []
  const msg: ParsedMessage = {
    source: 'msg',
    headersOnly: false,
    headers: [],
    rawHeaders: '',
    to: [],
    text: '',
    attachments: [],
    warnings
  }
  let data: FieldsData
  let reader: MsgReader
  try {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    reader = new MsgReader(ab)
    data = reader.getFileData()
  } catch (err) {
    warnings.push(parserWarning('PARSER_FAILED', 'msgUnreadable', { error: (err as Error).message }))
    return msg
  }
  if ((data as { error?: string }).error) {
    warnings.push(
      parserWarning('PARSER_FAILED', 'msgUnreadable', { error: (data as { error?: string }).error ?? '' })
    )
    return msg
  }
  const raw = normalizeNewlines(data.headers ?? '').replace(/\n+$/, '')
  msg.rawHeaders = raw
  msg.headers = parseHeaderBlock(raw, warnings)
  if (!raw) {
    warnings.push(parserWarning('MSG_NO_TRANSPORT_HEADERS', 'msgNoHeaders'))
  }
  msg.subject = data.subject ?? headerValue(msg.headers, 'subject')
  msg.date = headerValue(msg.headers, 'date')
  msg.messageId = headerValue(msg.headers, 'message-id')?.trim()
  if (data.senderEmail) msg.from = { name: data.senderName ?? '', address: data.senderEmail }
  msg.to = (data.recipients ?? [])
    .filter((r) => r.email || r.smtpAddress)
    .map((r): MailAddress => ({ name: r.name ?? '', address: r.smtpAddress ?? r.email ?? '' }))
  msg.text = normalizeNewlines(data.body ?? '')
  if (data.bodyHtml) msg.html = data.bodyHtml

  for (const att of data.attachments ?? []) {
    try {
      const a = reader.getAttachment(att)
      const keep = a.content.length <= keepContentMax || /^message\//i.test(att.attachMimeTag ?? '')
      const item: ParsedAttachment = {
        filename: a.fileName || null,
        mimeType: (att.attachMimeTag ?? 'application/octet-stream').toLowerCase(),
        size: a.content.length,
        disposition: 'attachment',
        hasContent: keep,
        ...(keep ? { content: a.content } : {})
      }
      msg.attachments.push(item)
    } catch (err) {
      warnings.push(parserWarning('MSG_PARTIAL', 'attachmentUnreadable', { error: (err as Error).message }))
    }
  }
  return msg
}
