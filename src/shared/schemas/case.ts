import { z } from 'zod'
import { Text } from '../text'

export const CaseStatus = z.enum(['open', 'resolved', 'archived'])
export type CaseStatus = z.infer<typeof CaseStatus>

export const CaseSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  status: CaseStatus,
  sendingDomain: z.string().nullable(),
  sendingIps: z.array(z.string()),
  evidenceCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The title is a placeholder the app will replace with the first verdict's title. */
  autoTitle: z.boolean().default(false),
  /** FTS snippet when the list was filtered by a search query. */
  match: z.string().optional()
})
export type CaseSummary = z.infer<typeof CaseSummary>

export const Note = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  kind: z.enum(['note', 'event']),
  body: z.string(),
  /** An event as text as data ({code, params}, rendered in the reader's language); `body` is its English text. */
  text: Text.optional(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type Note = z.infer<typeof Note>

export const EvidenceSummary = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  name: z.string(),
  kind: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  subject: z.string().nullable(),
  createdAt: z.string()
})
export type EvidenceSummary = z.infer<typeof EvidenceSummary>
