import { createContext, useContext } from 'react'

export type CaseStep = 'diagnose' | 'fix' | 'delist' | 'verify' | 'report' | 'timeline'

/** Lets any panel inside a case workspace move the admin to another step (e.g. a verdict's "Request delisting"). */
export const CaseStepContext = createContext<(step: CaseStep) => void>(() => undefined)

export function useOpenStep(): (step: CaseStep) => void {
  return useContext(CaseStepContext)
}
