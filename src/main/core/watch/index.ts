export { parseWatchTarget, WatchTargetError, MAX_RANGE_PREFIX, type WatchTargetSpec } from './targets'
export {
  diff,
  emptyObservation,
  observeDmarc,
  observeDomain,
  observePtr,
  observeSweep,
  type AlertDraft,
  type Drift,
  type Observation,
  type Snapshot
} from './drift'
export {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  isBackingOff,
  nextBackoff,
  type BackoffEntry,
  type ListOutcome
} from './backoff'
