import type { EventType } from './classify'

/**
 * The suppression rules, explicit and editable (Settings → Sending health). Defaults follow the common ESP
 * practice (Amazon SES, Mailgun, SendGrid): a hard bounce suppresses at once, a complaint suppresses at once
 * (RFC 6449 §3.3: complainers must be removed), and soft bounces only when they repeat over time, so a full
 * mailbox or an outage of a few days does not lose a good address.
 *
 * Sender-side blocks are not a rule that can be switched on: they never reach this function (classify.ts).
 */
export interface SuppressionRules {
  hardSuppresses: boolean
  complaintSuppresses: boolean
  /** Soft bounces needed … */
  softCount: number
  /** … spread over at least this many days between the first and the last. */
  softDays: number
}

export const DEFAULT_RULES: SuppressionRules = {
  hardSuppresses: true,
  complaintSuppresses: true,
  softCount: 3,
  softDays: 7
}

export interface AddressEvent {
  type: EventType
  /** ISO date-time of the message (its Date header, else when it was read). */
  at: string
  reason: string
  status: string
  source: string
}

export type Category = 'hard' | 'soft' | 'complaint'

/** Why an address is (or is not) suppressed: an i18n code and its parameters (TEXT IS DATA). */
export interface Explanation {
  code: string
  params: Record<string, string | number>
}

export interface Decision {
  suppressed: boolean
  category?: Category
  reason?: string
  status?: string
  firstSeen?: string
  lastSeen?: string
  /** Hard + soft + complaint events considered (after a release). */
  count: number
  source?: string
  explanation: Explanation
}

const DAY = 86_400_000

/**
 * Applies the rules to one address's history. Events up to `releasedAt` are ignored: a released address starts
 * again from zero, and only new evidence suppresses it again.
 */
export function decide(events: AddressEvent[], rules: SuppressionRules, releasedAt?: string): Decision {
  const relevant = events
    .filter((e) => e.type === 'hard' || e.type === 'soft' || e.type === 'complaint')
    .filter((e) => !releasedAt || e.at > releasedAt)
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))
  const count = relevant.length
  if (count === 0) return { suppressed: false, count, explanation: { code: 'rule.none', params: {} } }
  const firstSeen = relevant[0].at
  const lastSeen = relevant[count - 1].at
  const base = { count, firstSeen, lastSeen }
  const pick = (type: EventType) => relevant.filter((e) => e.type === type)
  const hard = pick('hard')
  if (rules.hardSuppresses && hard.length) {
    const e = hard[0]
    return {
      ...base,
      suppressed: true,
      category: 'hard',
      reason: e.reason,
      status: e.status,
      source: e.source,
      explanation: { code: 'rule.hard', params: { reason: e.reason, status: e.status } }
    }
  }
  const complaints = pick('complaint')
  if (rules.complaintSuppresses && complaints.length) {
    const e = complaints[0]
    return {
      ...base,
      suppressed: true,
      category: 'complaint',
      reason: e.reason,
      status: e.status,
      source: e.source,
      explanation: { code: 'rule.complaint', params: {} }
    }
  }
  const soft = pick('soft')
  if (soft.length) {
    const spanDays = (Date.parse(soft[soft.length - 1].at) - Date.parse(soft[0].at)) / DAY
    const last = soft[soft.length - 1]
    const enough = soft.length >= rules.softCount && spanDays >= rules.softDays
    return {
      ...base,
      suppressed: enough,
      category: 'soft',
      reason: last.reason,
      status: last.status,
      source: last.source,
      explanation: {
        code: enough ? 'rule.soft' : 'rule.softPending',
        params: {
          count: soft.length,
          days: Math.floor(spanDays),
          needCount: rules.softCount,
          needDays: rules.softDays
        }
      }
    }
  }
  // Only hard/complaint events whose rule is switched off.
  return { ...base, suppressed: false, explanation: { code: 'rule.off', params: {} } }
}
