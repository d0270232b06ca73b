import type { RemedyId } from '@shared/schemas/verdict'

/** Which case step (tab) carries each in-app remedy; the others are advice or external links. */
export const REMEDY_STEP: Partial<Record<RemedyId, 'fix' | 'delist'>> = {
  delist: 'delist',
  'spf-builder': 'fix',
  'dmarc-planner': 'fix',
  'dkim-keygen': 'fix',
  'relay-fix': 'fix',
  'rdns-request': 'fix',
  'content-lint': 'fix'
}

/**
 * Opens a step of the case workspace. The workspace owns the tab state and exposes no callback to this feature, so
 * this activates the step's tab the way a click would (the tabs carry data-testid="tab-<step>").
 */
export function openStep(step: 'fix' | 'delist'): void {
  document.querySelector<HTMLElement>(`[data-testid="tab-${step}"]`)?.click()
}
