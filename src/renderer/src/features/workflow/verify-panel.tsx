import type { CaseSummary } from '@shared/schemas/case'

/** The Verify step of a case. */
export function VerifyPanel(_props: { caseSummary: CaseSummary; onChanged: () => void }) {
  return null
}
