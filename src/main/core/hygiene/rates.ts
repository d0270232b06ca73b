import type { Explanation } from './rules'

/**
 * Bounce and complaint rates against the published bulk-sender thresholds.
 *
 * - Gmail, "Email sender guidelines" (https://support.google.com/a/answer/81126) and Postmaster Tools
 *   (https://support.google.com/mail/answer/14668346): keep the user-reported spam rate below 0.3%, and aim
 *   below 0.1%.
 * - Yahoo, "Sender Best Practices" (https://senders.yahooinc.com/best-practices/): keep the spam complaint
 *   rate below 0.3%.
 * - Bounce rate: neither publishes a figure; Amazon SES reviews an account at 5% and may pause it at 10%
 *   (https://docs.aws.amazon.com/ses/latest/dg/reputationdashboard-metrics.html), the common ESP yardstick.
 *
 * A complaint rate computed from ARF reports undercounts Gmail (which sends no per-message ARF), so the Gmail
 * figure in Postmaster Tools remains the reference for gmail.com.
 */
export const THRESHOLDS = {
  complaintMax: 0.003,
  complaintAim: 0.001,
  bounceReview: 0.05,
  bounceMax: 0.1
} as const

export interface DayDomainCounts {
  day: string
  domain: string
  hard: number
  soft: number
  complaints: number
  blocks: number
  delays: number
}

export interface Volume {
  date: string
  /** '' = all domains. */
  domain: string
  sent: number
}

export type Level = 'ok' | 'watch' | 'over'

export interface RateRow {
  key: string
  hard: number
  soft: number
  complaints: number
  blocks: number
  delays: number
  sent: number | null
  bounceRate: number | null
  complaintRate: number | null
  level: Level | null
}

function level(bounceRate: number | null, complaintRate: number | null): Level | null {
  if (bounceRate === null && complaintRate === null) return null
  if ((complaintRate ?? 0) >= THRESHOLDS.complaintMax || (bounceRate ?? 0) >= THRESHOLDS.bounceMax)
    return 'over'
  if ((complaintRate ?? 0) >= THRESHOLDS.complaintAim || (bounceRate ?? 0) >= THRESHOLDS.bounceReview)
    return 'watch'
  return 'ok'
}

function row(key: string, c: Omit<DayDomainCounts, 'day' | 'domain'>, sent: number | null): RateRow {
  // Bounces here are failed deliveries of any kind (hard, soft and blocks): what an ESP's bounce rate counts.
  const bounced = c.hard + c.soft + c.blocks
  const bounceRate = sent ? bounced / sent : null
  const complaintRate = sent ? c.complaints / sent : null
  return { key, ...c, sent, bounceRate, complaintRate, level: level(bounceRate, complaintRate) }
}

const zero = () => ({ hard: 0, soft: 0, complaints: 0, blocks: 0, delays: 0 })

function add(into: ReturnType<typeof zero>, c: DayDomainCounts) {
  into.hard += c.hard
  into.soft += c.soft
  into.complaints += c.complaints
  into.blocks += c.blocks
  into.delays += c.delays
}

export interface Rates {
  days: RateRow[]
  domains: RateRow[]
  alerts: Explanation[]
}

/** Per day (all domains) and per receiving domain (all days), with rates where the sent volume is known. */
export function computeRates(counts: DayDomainCounts[], volumes: Volume[]): Rates {
  const byDay = new Map<string, ReturnType<typeof zero>>()
  const byDomain = new Map<string, ReturnType<typeof zero>>()
  for (const c of counts) {
    if (!byDay.has(c.day)) byDay.set(c.day, zero())
    if (!byDomain.has(c.domain)) byDomain.set(c.domain, zero())
    add(byDay.get(c.day)!, c)
    add(byDomain.get(c.domain)!, c)
  }
  const sentDay = new Map<string, number>()
  const sentDomain = new Map<string, number>()
  for (const v of volumes) {
    if (v.domain === '') sentDay.set(v.date, (sentDay.get(v.date) ?? 0) + v.sent)
    else sentDomain.set(v.domain, (sentDomain.get(v.domain) ?? 0) + v.sent)
  }
  // A day typed only per domain still has a total.
  if (sentDay.size === 0) {
    for (const v of volumes) sentDay.set(v.date, (sentDay.get(v.date) ?? 0) + v.sent)
  }
  for (const d of sentDay.keys()) if (!byDay.has(d)) byDay.set(d, zero())
  const days = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([d, c]) => row(d, c, sentDay.get(d) ?? null))
  const domains = [...byDomain.entries()]
    .map(([d, c]) => row(d, c, sentDomain.get(d) ?? null))
    .sort((a, b) => b.hard + b.soft + b.blocks + b.complaints - (a.hard + a.soft + a.blocks + a.complaints))
  const alerts: Explanation[] = []
  for (const r of [...days, ...domains]) {
    if (r.complaintRate !== null && r.complaintRate >= THRESHOLDS.complaintMax) {
      alerts.push({ code: 'alert.complaintOver', params: { key: r.key, rate: pct(r.complaintRate) } })
    } else if (r.complaintRate !== null && r.complaintRate >= THRESHOLDS.complaintAim) {
      alerts.push({ code: 'alert.complaintWatch', params: { key: r.key, rate: pct(r.complaintRate) } })
    }
    if (r.bounceRate !== null && r.bounceRate >= THRESHOLDS.bounceReview) {
      alerts.push({
        code: r.bounceRate >= THRESHOLDS.bounceMax ? 'alert.bounceOver' : 'alert.bounceWatch',
        params: { key: r.key, rate: pct(r.bounceRate) }
      })
    }
  }
  return { days, domains, alerts }
}

export const pct = (x: number) => `${(x * 100).toFixed(2)}%`

/**
 * The sent-volume CSV: `date,sent[,domain]`, an optional header line, ISO dates (YYYY-MM-DD). Returns the rows and
 * one error per bad line (with its number), so a typo does not throw the whole file away.
 */
export function parseVolumeCsv(text: string): { rows: Volume[]; errors: Explanation[] } {
  const rows: Volume[] = []
  const errors: Explanation[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim()
    if (!t || t.startsWith('#')) return
    const [date, sent, domain = ''] = t.split(/[,;\t]/).map((s) => s.trim().replace(/^"|"$/g, ''))
    if (i === 0 && !/^\d/.test(date)) return // header
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d+$/.test(sent ?? '')) {
      errors.push({ code: 'volume.badLine', params: { line: i + 1, text: t.slice(0, 80) } })
      return
    }
    rows.push({ date, sent: Number(sent), domain: domain.toLowerCase() })
  })
  return { rows, errors }
}
