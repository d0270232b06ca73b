import type { WatchAlertKind, WatchCoverage } from '../../../shared/contract/watch'
import type { Finding } from '../../../shared/schemas/common'
import type { DomainReport, PtrReport } from '../../../shared/schemas/domain'
import type { TargetReport } from '../../../shared/schemas/blocklist'
import {
  isCouldNotCheck,
  mechanismOf,
  mechanismStates,
  type Mechanism
} from '../../../shared/contract/domain'
import { text, type Text } from '../../../shared/text'

/**
 * Drift detection for the watchlist: what one run observed, compared with the snapshot the previous runs left.
 *
 * Rules ("could not check" is coverage, never clean):
 * - A listing is an A answer in 127/8 from a block list that passed its RFC 5782 §5 self-test. A delisting needs a
 *   clean answer (NXDOMAIN from a self-tested list) where the snapshot had a listing. A timeout, a refusal or a list
 *   that failed its self-test keeps the previous state (the listing is carried forward) and is reported as coverage.
 *   One clean answer is enough to report a delisting here, unlike the delisting tracker's two clean checks in a row
 *   (core/blocklist/delisting.ts): the tracker closes a request for good, while the watch only reports what DNS says
 *   now, and a list that flaps back raises a new listing alert at the next run.
 * - A record change compares two known values (a record's text, or its absence). The first run is the baseline and
 *   raises no record change; a record that could not be read keeps its previous value.
 * - A new error finding is an error or critical finding of the DNS posture that the snapshot did not hold. Findings
 *   of a mechanism that could not be checked are carried forward, so a resolver hiccup does not make them vanish and
 *   come back as "new". The first run reports the errors it finds: they are news to whoever added the target.
 * - DMARC pass rate (domains with DMARC aggregate reports): an alert when the pass rate of the last 7 days falls
 *   10 points or more below the 7 days before, each window with at least 20 messages; raised once per drop.
 */

export type ListingState = 'listed' | 'clean'

export interface SnapshotListing {
  list: string
  name: string
  address: string
  state: ListingState
  codes: string[]
}

export interface SnapshotFinding {
  severity: Finding['severity']
  title: Text | string
  mechanism: string
}

export interface Snapshot {
  v: 1
  /** Key `${list}|${address}`. */
  listings: Record<string, SnapshotListing>
  /** Record key ("spf", "dmarc", "dkim:s1", "mx", "ptr:192.0.2.1", ...) → its text, or null when absent. */
  records: Record<string, string | null>
  /** Error and critical findings by id. */
  findings: Record<string, SnapshotFinding>
  dmarc?: { rate: number | null; dropped: boolean }
}

export type Observed<T> = { known: true; value: T } | { known: false; reason: string }

export interface Observation {
  listings: Record<
    string,
    | (SnapshotListing & { known: true })
    | (Omit<SnapshotListing, 'state' | 'codes'> & { known: false; reason: string })
  >
  records: Record<string, Observed<string | null>>
  findings: Record<string, SnapshotFinding>
  /** Mechanisms that could not be checked: their findings are carried forward. */
  unchecked: Record<string, string>
  warnings: number
  dmarc?: { rate: number | null; previous: number | null; messages: number; previousMessages: number }
}

export interface AlertDraft {
  kind: WatchAlertKind
  subject: string
  before: string | null
  after: string | null
  text: Text
}

export interface Drift {
  next: Snapshot
  alerts: AlertDraft[]
  /** Everything that moved, alerts included, plus findings that disappeared (not an alert). */
  changes: { kind: WatchAlertKind | 'finding-gone'; subject: string }[]
  coverage: WatchCoverage[]
  counts: { listed: number; clean: number; unchecked: number; errors: number; warnings: number }
}

export function emptyObservation(): Observation {
  return { listings: {}, records: {}, findings: {}, unchecked: {}, warnings: 0 }
}

/** Block-list answers of a sweep; allow and info lists say nothing about a listing that hurts. */
export function observeSweep(
  obs: Observation,
  reports: TargetReport[],
  listNames: Record<string, string>,
  listKinds: Record<string, string>
): void {
  for (const r of reports) {
    for (const res of r.results) {
      if (listKinds[res.list] !== 'block') continue
      const key = `${res.list}|${r.target}`
      const base = { list: res.list, name: listNames[res.list] ?? res.list, address: r.target }
      if (res.status === 'listed' && res.polarity !== 'allow')
        obs.listings[key] = { ...base, known: true, state: 'listed', codes: res.codes }
      else if (res.status === 'clean') obs.listings[key] = { ...base, known: true, state: 'clean', codes: [] }
      else
        obs.listings[key] = {
          ...base,
          known: false,
          reason: res.reason ?? res.failure ?? res.status
        }
    }
  }
}

const SERIOUS = new Set(['error', 'critical'])

function observeFindings(obs: Observation, findings: Finding[]): void {
  for (const f of findings) {
    if (isCouldNotCheck(f)) continue
    if (f.severity === 'warning') obs.warnings++
    if (!SERIOUS.has(f.severity)) continue
    obs.findings[f.id] = { severity: f.severity, title: f.titleText ?? f.title, mechanism: mechanismOf(f) }
  }
}

/** PTR names of single IPs (the FCrDNS findings come with them). */
export function observePtr(obs: Observation, reports: PtrReport[], findings: Finding[]): void {
  for (const p of reports) {
    if (p.state === 'could_not_check') {
      obs.records[`ptr:${p.ip}`] = { known: false, reason: 'reverse DNS did not answer' }
      obs.unchecked.ptr = 'reverse DNS did not answer'
    } else
      obs.records[`ptr:${p.ip}`] = {
        known: true,
        value: p.names.length ? [...p.names].sort().join(' ') : null
      }
  }
  observeFindings(obs, findings)
}

/** The records of a domain's posture and its findings. */
export function observeDomain(obs: Observation, r: DomainReport, selectors: string[]): void {
  const states = mechanismStates(r)
  const cnc = (m: Mechanism) => states[m] === 'could_not_check'
  const put = (key: string, mech: Mechanism | boolean, value: string | null | undefined) => {
    const unknown = typeof mech === 'boolean' ? mech : cnc(mech)
    obs.records[key] = unknown
      ? { known: false, reason: 'DNS did not answer' }
      : { known: true, value: value ?? null }
  }
  put('spf', 'spf', r.spf.records.length ? [...r.spf.records].sort().join(' | ') : null)
  put('dmarc', 'dmarc', r.dmarc.record ?? null)
  for (const sel of selectors) {
    const d = r.dkim.find((x) => x.selector === sel)
    if (d)
      put(`dkim:${sel}`, d.state === 'could_not_check', d.record ?? (d.cname ? `CNAME ${d.cname}` : null))
  }
  put(
    'mx',
    'mx',
    r.mx.length
      ? r.mx
          .map((m) => `${m.priority} ${m.exchange}`)
          .sort()
          .join(', ')
      : null
  )
  put('mta-sts', 'mta-sts', r.mtaSts.record ?? null)
  if (r.mtaSts.record && !r.mtaSts.fetchError)
    put('mta-sts-policy', false, r.mtaSts.policy?.raw.replace(/\r\n/g, '\n').trim() ?? null)
  put('tls-rpt', 'tls-rpt', r.tlsRpt.record ?? null)
  put('bimi', 'bimi', r.bimi.record ?? null)
  for (const [m, s] of Object.entries(states))
    if (s === 'could_not_check') obs.unchecked[m] = 'DNS did not answer'
  observeFindings(obs, r.findings)
}

/** Messages and DMARC passes per day (YYYY-MM-DD) → the two 7-day windows ending at `today` (exclusive end). */
export function observeDmarc(
  obs: Observation,
  timeline: { day: string; messages: number; dmarcPass: number }[],
  now: Date
): void {
  const dayMs = 86_400_000
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + dayMs
  const sum = (from: number, to: number) =>
    timeline
      .filter((t) => {
        const d = Date.parse(`${t.day}T00:00:00Z`)
        return d >= from && d < to
      })
      .reduce((a, t) => ({ m: a.m + t.messages, p: a.p + t.dmarcPass }), { m: 0, p: 0 })
  const last = sum(end - 7 * dayMs, end)
  const prev = sum(end - 14 * dayMs, end - 7 * dayMs)
  obs.dmarc = {
    rate: last.m ? last.p / last.m : null,
    previous: prev.m ? prev.p / prev.m : null,
    messages: last.m,
    previousMessages: prev.m
  }
}

const MIN_DMARC_MESSAGES = 20
const DMARC_DROP = 0.1

const recordLabel = (key: string): Text => {
  const [kind, arg] = key.split(/:(.*)/s, 2)
  return text(`watch:record.${kind}`, arg ? { arg } : undefined)
}

const pct = (x: number) => Math.round(x * 1000) / 10

/** Compares one run's observation with the snapshot and returns the next snapshot, the alerts and the coverage. */
export function diff(target: string, prev: Snapshot | null, obs: Observation): Drift {
  const first = prev === null
  const before: Snapshot = prev ?? { v: 1, listings: {}, records: {}, findings: {} }
  const next: Snapshot = { v: 1, listings: {}, records: {}, findings: {} }
  const alerts: AlertDraft[] = []
  const changes: Drift['changes'] = []
  const coverage = new Map<string, WatchCoverage & { n: number }>()
  const cover = (what: string, reason: string) => {
    const k = `${what}|${reason}`
    const c = coverage.get(k)
    if (c) c.n++
    else coverage.set(k, { target, what, reason, n: 1 })
  }
  let clean = 0

  // Listings
  for (const [key, o] of Object.entries(obs.listings)) {
    const was = before.listings[key]
    if (!o.known) {
      cover(o.list, o.reason)
      if (was) next.listings[key] = was
      continue
    }
    next.listings[key] = { list: o.list, name: o.name, address: o.address, state: o.state, codes: o.codes }
    if (o.state === 'clean') clean++
    if (o.state === 'listed' && was?.state !== 'listed') {
      alerts.push({
        kind: 'listed',
        subject: o.list,
        before: was?.state ?? null,
        after: o.codes.join(', '),
        text: text('watch:alert.listed', { address: o.address, list: o.name, codes: o.codes.join(', ') })
      })
    } else if (o.state === 'clean' && was?.state === 'listed') {
      alerts.push({
        kind: 'delisted',
        subject: o.list,
        before: was.codes.join(', '),
        after: null,
        text: text('watch:alert.delisted', { address: o.address, list: o.name })
      })
    }
  }
  // A list no longer queried (removed from the target's lists) drops out of the snapshot silently.

  // Records
  for (const [key, o] of Object.entries(obs.records)) {
    const had = Object.prototype.hasOwnProperty.call(before.records, key)
    if (!o.known) {
      cover(key, o.reason)
      if (had) next.records[key] = before.records[key]
      continue
    }
    next.records[key] = o.value
    if (first || !had) continue
    const old = before.records[key]
    if (old === o.value) continue
    const code =
      old === null
        ? 'watch:alert.recordAdded'
        : o.value === null
          ? 'watch:alert.recordRemoved'
          : 'watch:alert.recordChanged'
    alerts.push({
      kind: 'record-changed',
      subject: key,
      before: old,
      after: o.value,
      text: text(code, { target, record: recordLabel(key), before: old, after: o.value })
    })
  }
  for (const [key, v] of Object.entries(before.records))
    if (!(key in next.records) && !(key in obs.records)) next.records[key] = v

  // Findings
  for (const [id, f] of Object.entries(obs.findings)) {
    next.findings[id] = f
    if (!before.findings[id]) {
      alerts.push({
        kind: 'finding-new',
        subject: id,
        before: null,
        after: f.severity,
        text: text('watch:alert.findingNew', {
          target,
          title: typeof f.title === 'string' ? f.title : f.title
        })
      })
    }
  }
  for (const [id, f] of Object.entries(before.findings)) {
    if (next.findings[id]) continue
    if (obs.unchecked[f.mechanism]) next.findings[id] = f
    else changes.push({ kind: 'finding-gone', subject: id })
  }
  for (const [m, reason] of Object.entries(obs.unchecked))
    if (!coverage.has(`${m}|${reason}`)) cover(m, reason)

  // DMARC pass rate
  if (obs.dmarc) {
    const d = obs.dmarc
    const dropped =
      d.rate !== null &&
      d.previous !== null &&
      d.messages >= MIN_DMARC_MESSAGES &&
      d.previousMessages >= MIN_DMARC_MESSAGES &&
      d.previous - d.rate >= DMARC_DROP
    next.dmarc = { rate: d.rate, dropped }
    if (dropped && !before.dmarc?.dropped)
      alerts.push({
        kind: 'dmarc-drop',
        subject: 'dmarc-pass',
        before: String(pct(d.previous!)),
        after: String(pct(d.rate!)),
        text: text('watch:alert.dmarcDrop', { target, before: pct(d.previous!), after: pct(d.rate!) })
      })
  } else if (before.dmarc) next.dmarc = before.dmarc

  for (const a of alerts) changes.push({ kind: a.kind, subject: a.subject })
  const cov = [...coverage.values()].map(({ n, ...c }) =>
    n > 1 ? { ...c, reason: `${c.reason} (${n} addresses)` } : c
  )
  return {
    next,
    alerts,
    changes,
    coverage: cov,
    counts: {
      listed: Object.values(next.listings).filter((l) => l.state === 'listed').length,
      clean,
      unchecked: new Set(cov.map((c) => c.what)).size,
      errors: Object.keys(next.findings).length,
      warnings: obs.warnings
    }
  }
}
