import type { CaseCause, FindingStep } from '@shared/schemas/workflow'
import { useApi } from '../../api/query'

/** The case's root causes and coverage notes (findings.causes), shared by every step through one query. */
export function useCauses(caseId: number) {
  return useApi('findings.causes', { caseId })
}

/** A cause that is still something to do: open and actionable (info/ok causes are context). */
export const isOpen = (c: CaseCause): boolean => c.status === 'open' && c.actionable

const STEPS: FindingStep[] = ['diagnose', 'fix', 'delist']

/** Open causes per step, in step order, for "what is left and where". */
export function openByStep(causes: CaseCause[]): { step: FindingStep; count: number }[] {
  return STEPS.map((step) => ({
    step,
    count: causes.filter((c) => c.step === step && isOpen(c)).length
  })).filter((x) => x.count > 0)
}

const RANK = { critical: 4, error: 3, warning: 2, info: 1, ok: 0 } as const

/** Open first, then the most severe, then by title: the order every list of causes uses. */
export function sortCauses(causes: CaseCause[]): CaseCause[] {
  return [...causes].sort(
    (a, b) =>
      Number(isOpen(b)) - Number(isOpen(a)) ||
      RANK[b.severity] - RANK[a.severity] ||
      a.title.localeCompare(b.title)
  )
}
