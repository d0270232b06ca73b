import type { CaseSummary } from '@shared/schemas/case'

/** Progress across Diagnose → Fix → Delist → Verify → Report: what is done and what remains. */
export function StepsBar(_props: { caseSummary: CaseSummary; active: string; onSelect: (step: string) => void }) {
  return null
}
