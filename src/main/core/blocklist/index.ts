export {
  activeLists,
  catalogueCounts,
  defaultLists,
  externalLinkOrigins,
  getList,
  isAllowedExternalLink,
  listsForType,
  loadCatalogue,
  parseCatalogue,
  type CatalogueCounts
} from './catalogue'
export { classifyAnswer, codeMeanings, errorMeaning, type Classification } from './codes'
export {
  addReference,
  applyRecheck,
  canTransition,
  CLEAN_CHECKS_REQUIRED,
  createDelistRequest,
  InvalidTransitionError,
  isOverdue,
  recheckOutcome,
  transition,
  type CreateDelistOptions,
  type RecheckOutcome
} from './delisting'
export { removalText, sweepFindings } from './findings'
export { matchRejectionText, type RejectionMatch } from './rejection-text'
export { createPooledClient, type PooledClient } from './resolver-pool'
export {
  clearSelfTestCache,
  healthKey,
  selfTest,
  zoneFor,
  type HealthReport,
  type HealthStatus,
  type ListHealth,
  type SelfTestOptions,
  type SweepKeys
} from './self-test'
export { sweep, type SweepOptions, type SweepProgress, type SweepResult } from './sweep'
export { normaliseDomain, parseTarget, reverseIp4, reverseIp6, TargetError, type Target } from './targets'
export { runQueue } from './work-queue'
