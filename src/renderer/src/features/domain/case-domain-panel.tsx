import type { CaseSummary } from '@shared/schemas/case'

/** Domain health for the case's sending domain and IPs (shown in the Diagnose step). */
export function CaseDomainPanel(_props: { caseSummary: CaseSummary }) {
  return null
}
