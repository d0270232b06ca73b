import { z } from 'zod'
import { Analysis } from '../schemas/analysis'
import { CaseStatus, CaseSummary, EvidenceSummary, Note } from '../schemas/case'
import { Settings } from '../settings'

/** Cases, evidence, notes, settings and the message analysis: the foundation's methods. */
export const Id = z.number().int().positive()
const MAX_UPLOAD_B64 = Math.ceil((1024 * 1024 * 1024 * 4) / 3) // 1 GiB of bytes as base64

export const UploadFile = z.object({
  name: z.string().min(1).max(500),
  /** Original bytes, base64: the same encoding over IPC and HTTP. */
  base64: z.string().max(MAX_UPLOAD_B64),
  /** Declared size, so an oversized file can be refused before decoding. */
  size: z.number().int().nonnegative().optional()
})
export type UploadFile = z.infer<typeof UploadFile>

export const FileError = z.object({ file: z.string(), code: z.string(), message: z.string() })
export type FileError = z.infer<typeof FileError>

export const CaseDetail = z.object({
  case: CaseSummary,
  evidence: z.array(EvidenceSummary),
  notes: z.array(Note)
})
export type CaseDetail = z.infer<typeof CaseDetail>

export const EvidenceDetail = EvidenceSummary.extend({ analysis: Analysis })
export type EvidenceDetail = z.infer<typeof EvidenceDetail>

export const AppInfo = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  dataDir: z.string(),
  dbFile: z.string(),
  platform: z.string()
})

export const coreApi = {
  'app.info': { input: z.object({}).strict(), output: AppInfo },

  'cases.list': {
    input: z.object({ query: z.string().max(500).optional(), status: CaseStatus.optional() }).strict(),
    output: z.array(CaseSummary)
  },
  'cases.create': {
    input: z
      .object({
        title: z.string().trim().min(1).max(300),
        /** A placeholder: rename the case after the first verdict unless the admin renames it first. */
        autoTitle: z.boolean().optional()
      })
      .strict(),
    output: CaseSummary
  },
  'cases.get': { input: z.object({ id: Id }).strict(), output: CaseDetail },
  'cases.update': {
    input: z
      .object({ id: Id, title: z.string().trim().min(1).max(300).optional(), status: CaseStatus.optional() })
      .strict(),
    output: CaseSummary
  },
  'cases.delete': { input: z.object({ id: Id }).strict(), output: z.object({ deleted: z.boolean() }) },

  'evidence.add': {
    input: z
      .object({
        caseId: Id,
        files: z.array(UploadFile).max(200).default([]),
        /** Pasted raw headers, a whole message, or a bare SMTP error line. */
        text: z
          .string()
          .max(20 * 1024 * 1024)
          .optional()
      })
      .strict(),
    output: z.object({ added: z.array(EvidenceSummary), errors: z.array(FileError) })
  },
  /** Re-runs the analysis of every piece of evidence of a case from its stored original bytes (after an upgrade). */
  'evidence.reanalyze': {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ updated: z.number().int(), failed: z.array(FileError) })
  },
  'evidence.get': { input: z.object({ id: Id }).strict(), output: EvidenceDetail },
  'evidence.delete': { input: z.object({ id: Id }).strict(), output: z.object({ deleted: z.boolean() }) },

  'message.analyze': {
    input: z.object({ file: UploadFile }).strict(),
    output: z.object({ analyses: z.array(Analysis) })
  },

  'notes.add': {
    input: z.object({ caseId: Id, body: z.string().trim().min(1).max(100_000) }).strict(),
    output: Note
  },
  'notes.update': {
    input: z.object({ id: Id, body: z.string().trim().min(1).max(100_000) }).strict(),
    output: Note
  },
  'notes.delete': { input: z.object({ id: Id }).strict(), output: z.object({ deleted: z.boolean() }) },

  'settings.get': { input: z.object({}).strict(), output: Settings },
  'settings.set': { input: Settings.partial().strict(), output: Settings },

  'db.backup': {
    input: z.object({ path: z.string().max(4096).optional() }).strict(),
    output: z.object({ path: z.string(), bytes: z.number().int() })
  },
  /** Replaces the cases with those of a backup (uploaded bytes, or a file path for the CLI). */
  'db.restore': {
    input: z
      .object({ file: UploadFile.optional(), path: z.string().max(4096).optional() })
      .strict()
      .refine((i) => !!i.file !== !!i.path, { message: 'Give either a file or a path.' }),
    output: z.object({ safetyBackup: z.string(), cases: z.number().int() })
  }
} as const
