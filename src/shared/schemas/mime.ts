import { z } from 'zod'
import { Text } from '../text'

/**
 * Serialisable parts of a parsed mail message (see src/main/core/mime). Kept free of node/DOM types so the
 * renderer and the web host can validate what the backend sends. Attachment bytes never cross this boundary:
 * only their metadata does.
 */

/** What a dropped/pasted input looks like before parsing. */
export const InputKind = z.enum(['eml', 'msg', 'mbox', 'headers', 'smtp-text', 'error'])
export type InputKind = z.infer<typeof InputKind>

export const SniffErrorCode = z.enum(['EMPTY_FILE', 'NOT_A_MESSAGE', 'TOO_LARGE', 'NOT_OLE', 'BINARY_FILE'])
export type SniffErrorCode = z.infer<typeof SniffErrorCode>

export const SniffError = z.object({ code: SniffErrorCode, message: z.string() })
export type SniffError = z.infer<typeof SniffError>

export const SniffResult = z.object({
  kind: InputKind,
  error: SniffError.optional(),
  /** Detected binary format when the input is not mail (png, pdf, zip ...). */
  detectedType: z.string().optional()
})
export type SniffResult = z.infer<typeof SniffResult>

/** One header field as it appears in the file: raw value with folding removed (RFC 5322 2.2.3), not decoded. */
export const HeaderField = z.object({ name: z.string(), value: z.string() })
export type HeaderField = z.infer<typeof HeaderField>

export const ParseWarning = z.object({
  code: z.enum([
    'PARSER_FAILED',
    'TRUNCATED',
    'BROKEN_HEADER_LINE',
    'HEADER_CHARSET',
    'NO_BODY',
    'MSG_NO_TRANSPORT_HEADERS',
    'MSG_PARTIAL',
    'ATTACHMENT_CONTENT_DROPPED'
  ]),
  /** English; `text` is the same as a Text for the reader's language (namespace "parser"). */
  message: z.string(),
  text: Text.optional()
})
export type ParseWarning = z.infer<typeof ParseWarning>

export const MailAddress = z.object({ name: z.string(), address: z.string() })
export type MailAddress = z.infer<typeof MailAddress>

export const AttachmentMeta = z.object({
  filename: z.string().nullable(),
  mimeType: z.string(),
  size: z.number().int().nonnegative(),
  disposition: z.string().nullable(),
  contentId: z.string().optional(),
  /** True when the bytes were kept in memory (small parts and message/* parts needed for bounce analysis). */
  hasContent: z.boolean()
})
export type AttachmentMeta = z.infer<typeof AttachmentMeta>

export const MessageSummary = z.object({
  source: z.enum(['eml', 'msg', 'mbox', 'headers']),
  headersOnly: z.boolean(),
  headers: z.array(HeaderField),
  subject: z.string().optional(),
  from: MailAddress.optional(),
  to: z.array(MailAddress),
  date: z.string().optional(),
  messageId: z.string().optional(),
  attachments: z.array(AttachmentMeta),
  warnings: z.array(ParseWarning)
})
export type MessageSummary = z.infer<typeof MessageSummary>
