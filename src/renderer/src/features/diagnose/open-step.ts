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

export { useOpenStep } from '../cases/case-step-context'
