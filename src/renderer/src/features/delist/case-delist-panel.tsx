import type { CaseSummary } from '@shared/schemas/case'

/** The Delist step of a case: blocklist sweep of the case's targets and its delisting requests. */
export function CaseDelistPanel(_props: { caseSummary: CaseSummary; onChanged: () => void }) {
  return null
}
