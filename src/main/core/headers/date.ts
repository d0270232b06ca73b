/**
 * Tolerant RFC 5322 date-time parser for trace fields.
 *
 * Why not `Date.parse`: V8 accepts some RFC 5322 dates but silently misreads obsolete zones and two-digit years,
 * and rejects fractional seconds, which real MTAs emit ("10:00:00.123 +0000", MHA bug #63). We parse the grammar of
 * RFC 5322 §3.3 plus the obsolete forms of §4.3 and report which lenient rule we had to apply.
 */

export interface ParsedDate {
  date: Date
  /** Obsolete or non-standard syntax that was accepted (for an "obsolete-date" note). */
  notes: string[]
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11
}

/** RFC 5322 §4.3 obs-zone, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  // Common non-RFC abbreviations seen in trace fields; accepted with a note.
  CET: 60,
  CEST: 120,
  BST: 60,
  IST: 330,
  JST: 540,
  AEST: 600,
  AEDT: 660,
  MSK: 180,
  EET: 120,
  EEST: 180,
  WET: 0,
  WEST: 60,
  HST: -600,
  AKST: -540,
  AKDT: -480,
  NZST: 720,
  NZDT: 780,
  KST: 540,
  SGT: 480,
  HKT: 480
}
const RFC_ZONES = new Set(['UT', 'GMT', 'EST', 'EDT', 'CST', 'CDT', 'MST', 'MDT', 'PST', 'PDT'])

// [day-of-week ,] day month year hour:minute[:second[.fraction]] [zone] [(comment)]
const RFC5322_RE =
  /^\s*(?:([a-z]{3,9})\s*,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?\s*(?:([+-])(\d{2}):?(\d{2})|([a-z]{1,5}))?\s*(?:\((.*)\))?\s*$/i

// asctime(): "Tue Apr  2 10:00:00 2024" optionally followed by a zone, seen from some sendmail/cron relays.
const ASCTIME_RE =
  /^\s*(?:[a-z]{3}\s+)?([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s+(\d{4})\s*(?:([+-])(\d{2}):?(\d{2})|([a-z]{1,5}))?\s*$/i

// ISO 8601, which a few gateways (and some HTTP submission paths) write into Received.
const ISO_RE = /^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$/i

function zoneMinutes(
  sign?: string,
  hh?: string,
  mm?: string,
  name?: string,
  notes?: string[]
): number | null {
  if (sign && hh && mm) {
    const h = Number(hh)
    const m = Number(mm)
    if (h > 23 || m > 59) return null
    return (sign === '-' ? -1 : 1) * (h * 60 + m)
  }
  if (name) {
    const upper = name.toUpperCase()
    if (upper in ZONES) {
      if (!RFC_ZONES.has(upper)) notes?.push(`non-standard zone name ${upper}`)
      else notes?.push(`obsolete zone name ${upper}`)
      return ZONES[upper]
    }
    // RFC 5322 §4.3: military single-letter zones were defined wrongly in RFC 822 and "SHOULD all be considered
    // equivalent to -0000" unless more information is available.
    if (/^[a-ik-z]$/i.test(upper)) {
      notes?.push(`military zone ${upper} treated as -0000`)
      return 0
    }
    return null
  }
  notes?.push('no zone; assumed UTC')
  return 0
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  offsetMin: number
): Date | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0
  const t = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms) - offsetMin * 60_000
  const d = new Date(t)
  // Reject 31 Feb and friends: Date.UTC rolls them over silently.
  if (Number.isNaN(t) || new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return null
  return d
}

/** Parse an RFC 5322 date-time (with obsolete forms); null when it cannot be read. Never throws. */
export function parseMailDate(input: string): ParsedDate | null {
  if (typeof input !== 'string' || input.length > 200) return null
  const notes: string[] = []
  let m = RFC5322_RE.exec(input)
  if (m) {
    const month = MONTHS[m[3].slice(0, 3).toLowerCase()]
    if (month === undefined) return null
    let year = Number(m[4])
    if (m[4].length === 2) {
      // RFC 5322 §4.3: 00-49 → 2000-2049, 50-99 → 1950-1999.
      year += year < 50 ? 2000 : 1900
      notes.push('two-digit year')
    } else if (m[4].length === 3) {
      year += 1900
      notes.push('three-digit year')
    }
    if (m[8]) notes.push('fractional seconds')
    const off = zoneMinutes(m[9], m[10], m[11], m[12], notes)
    if (off === null) return null
    const d = build(year, month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7] ?? 0), m[8], off)
    return d ? { date: d, notes } : null
  }
  m = ASCTIME_RE.exec(input)
  if (m) {
    const month = MONTHS[m[1].toLowerCase()]
    if (month === undefined) return null
    notes.push('asctime format')
    const off = zoneMinutes(m[7], m[8], m[9], m[10], notes)
    if (off === null) return null
    const d = build(
      Number(m[6]),
      month,
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5] ?? 0),
      undefined,
      off
    )
    return d ? { date: d, notes } : null
  }
  if (ISO_RE.test(input)) {
    const t = Date.parse(input.trim().replace(' ', 'T'))
    if (!Number.isNaN(t)) return { date: new Date(t), notes: ['ISO 8601 format'] }
  }
  return null
}

/**
 * Find a date-time at the end of a trace field that lacks the `;` separator. Returns the index where the date
 * starts, or -1.
 */
export function findTrailingDate(text: string): number {
  // Anchored at the end, so the regex engine only scans the tail; capped to keep fuzz input cheap.
  const tail = text.length > 300 ? text.slice(-300) : text
  const offset = text.length - tail.length
  const re =
    /(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*,?\s*)?\d{1,2}[\s-]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s-]+\d{2,4}\s+\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.,]\d+)?)?(?:\s*(?:[+-]\d{2}:?\d{2}|[a-z]{1,5}))?(?:\s*\([^()]*\))?\s*$/i
  const m = re.exec(tail)
  return m ? offset + m.index : -1
}
