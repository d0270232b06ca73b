import type { AttachmentMeta, HeaderField, MailAddress, ParseWarning } from '../../../shared/schemas/mime'

/** An attachment's metadata plus its bytes when they were kept (small parts, message/* parts). */
export interface ParsedAttachment extends AttachmentMeta {
  content?: Uint8Array
}

/**
 * A message turned into a uniform shape whatever the input (.eml, .msg, an mbox entry, pasted headers).
 * `headers` keeps every field in file order, top to bottom, duplicates included: the Received chain and
 * repeated Authentication-Results must stay in the order the MTAs wrote them (RFC 5322 3.6).
 */
export interface ParsedMessage {
  source: 'eml' | 'msg' | 'mbox' | 'headers'
  headersOnly: boolean
  headers: HeaderField[]
  /** The header block exactly as in the input (folding kept), without the separating blank line. */
  rawHeaders: string
  subject?: string
  from?: MailAddress
  to: MailAddress[]
  date?: string
  messageId?: string
  /** Decoded text/plain body (all inline text parts joined); empty when there is none. */
  text: string
  html?: string
  attachments: ParsedAttachment[]
  warnings: ParseWarning[]
}
