/**
 * Per-list backoff for scheduled sweeps. A list that refuses our resolver (Spamhaus's 127.255.255.254/255 "public
 * resolver" and "excessive queries" codes, URIBL/SURBL's 127.0.0.1, a REFUSED rcode: the list's query policy, see
 * the catalogue's errorCodes) is not asked again at every run: hammering it only prolongs the refusal. It is skipped
 * for 12 h, then 24 h, 48 h … up to 7 days, and reported as coverage meanwhile; one real answer resets it.
 * Timeouts and SERVFAIL are not a policy and are simply retried at the next run.
 */
export interface BackoffEntry {
  level: number
  until: string
  reason: string
}

export const BACKOFF_BASE_MS = 6 * 3600_000
export const BACKOFF_MAX_MS = 7 * 24 * 3600_000

export type ListOutcome = { kind: 'answered' } | { kind: 'refused'; reason: string } | { kind: 'other' }

/** The next backoff entry of a list after one run (undefined: no backoff). */
export function nextBackoff(
  prev: BackoffEntry | undefined,
  outcome: ListOutcome,
  now: Date
): BackoffEntry | undefined {
  if (outcome.kind === 'answered') return undefined
  if (outcome.kind === 'other') return prev
  const level = (prev?.level ?? 0) + 1
  const ms = Math.min(BACKOFF_BASE_MS * 2 ** level, BACKOFF_MAX_MS)
  return { level, until: new Date(now.getTime() + ms).toISOString(), reason: outcome.reason }
}

export function isBackingOff(entry: BackoffEntry | undefined, now: Date): boolean {
  return !!entry && Date.parse(entry.until) > now.getTime()
}
