import type { CaseSummary } from '@shared/schemas/case'

/** The Report step of a case. */
export function ReportPanel(_props: { caseSummary: CaseSummary; onChanged: () => void }) {
  return null
}
