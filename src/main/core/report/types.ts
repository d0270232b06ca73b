import type { CaseSummary, EvidenceSummary, Note } from '../../../shared/schemas/case'
import type { Hop } from '../../../shared/schemas/message'
import type { Verdict } from '../../../shared/schemas/verdict'
import type {
  CaseCause,
  CaseFinding,
  CoverageNote,
  StepProgress,
  StoredFix,
  VerifyResult
} from '../../../shared/schemas/workflow'

/** Everything a report shows, gathered by the workflow service; the builders only format it. */
export interface ReportData {
  generatedAt: string
  version: string
  case: CaseSummary
  evidence: (EvidenceSummary & { from: string | null; verdict?: Verdict; hops: Hop[] })[]
  findings: CaseFinding[]
  /** The findings grouped by root cause (what the steps count) and the checks that gave no usable answer. */
  causes: CaseCause[]
  coverage: CoverageNote[]
  steps: StepProgress[]
  fixes: StoredFix[]
  scan: {
    checkedAt: string
    listed: { list: string; name: string; target: string; codes: string[]; meanings: string[] }[]
    couldNotCheck: string[]
  } | null
  delist: {
    list: string
    listName: string
    target: string
    status: string
    requestedAt?: string
    reference?: string
    removalUrl?: string
  }[]
  verify: VerifyResult | null
  notes: Note[]
  /** Catalogue names of the lists, by id (for listings known only from findings). */
  listNames?: Record<string, string>
  /** Who the blocklist operator should answer (operator variant). */
  contact?: string
}
