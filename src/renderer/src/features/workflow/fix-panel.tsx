import type { CaseSummary } from '@shared/schemas/case'

/** The Fix step of a case. */
export function FixPanel(_props: { caseSummary: CaseSummary; onChanged: () => void }) {
  return null
}
