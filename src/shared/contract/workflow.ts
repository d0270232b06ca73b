import { z } from 'zod'
import {
  CaseCause,
  CaseFinding,
  CoverageNote,
  FixPrefill,
  FixRequest,
  ReportFile,
  ReportFormat,
  ReportLanguage,
  ReportVariant,
  StoredFix,
  VerifyResult,
  WorkflowStatus
} from '../schemas/workflow'
import type { MethodSpec } from './spec'

/**
 * The workflow methods of the contract (see api.ts): the case's deduplicated findings and their steps, the fix
 * generators (stored in the case), Verify (re-run every check and compare) and the report export.
 */
const Id = z.number().int().positive()
const FindingId = z.string().min(1).max(500)

export const workflowApi = {
  /** Refreshes the case's findings from every source (evidence, domain checks, sweeps, verify), then lists them. */
  'findings.list': { input: z.object({ caseId: Id }).strict(), output: z.array(CaseFinding) },
  /**
   * The case's root causes (findings grouped: one per listing, SPF, DKIM, DMARC, PTR, HELO, relay, content,
   * recipient…) and its coverage notes (checks that gave no usable answer). The steps count these causes.
   */
  'findings.causes': {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ causes: z.array(CaseCause), coverage: z.array(CoverageNote) })
  },
  /** Accept a finding's root cause on purpose (e.g. "we keep ~all until the reports are clean"); the note is required. */
  'findings.accept': {
    input: z.object({ caseId: Id, findingId: FindingId, note: z.string().trim().min(1).max(5000) }).strict(),
    output: CaseFinding
  },
  'findings.reopen': { input: z.object({ caseId: Id, findingId: FindingId }).strict(), output: CaseFinding },
  'workflow.status': { input: z.object({ caseId: Id }).strict(), output: WorkflowStatus },
  /** Re-runs the domain check, the blocklist sweep and the message re-verification; stores a 'verify' run. */
  'workflow.verify': {
    input: z
      .object({
        caseId: Id,
        taskId: z.string().min(1).max(100).optional(),
        /** IP[:port] for this run only (CLI `case check --resolver`); default: the settings' resolver. */
        resolver: z.string().trim().max(200).optional()
      })
      .strict(),
    output: VerifyResult
  },
  'workflow.lastVerify': { input: z.object({ caseId: Id }).strict(), output: VerifyResult.nullable() },

  'fix.prefill': { input: z.object({ caseId: Id }).strict(), output: FixPrefill },
  /** Runs one generator and stores its public output in the case. A DKIM private key is returned, never stored. */
  'fix.generate': {
    input: z.intersection(z.object({ caseId: Id }), FixRequest),
    output: z.object({ fix: StoredFix, privateKeyPem: z.string().optional() })
  },
  'fix.list': { input: z.object({ caseId: Id }).strict(), output: z.array(StoredFix) },
  'fix.delete': { input: z.object({ id: Id }).strict(), output: z.object({ deleted: z.boolean() }) },

  'report.export': {
    input: z
      .object({
        caseId: Id,
        format: ReportFormat,
        variant: ReportVariant.default('full'),
        /** Default: the settings' language (system → English in the backend). */
        language: ReportLanguage.optional(),
        /** Who the blocklist operator should answer (operator variant). */
        contact: z.string().trim().max(500).optional(),
        /** An on-screen preview: not recorded in the timeline, does not count as the Report step's export. */
        preview: z.boolean().optional()
      })
      .strict(),
    output: ReportFile
  }
} as const satisfies Record<string, MethodSpec>
