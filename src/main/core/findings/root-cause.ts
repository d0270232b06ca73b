/**
 * Root causes: the case's findings grouped by what has to change. A Spamhaus listing seen in seven bounces, in the
 * sweep and in the delisting tracker is one thing to delist; a missing DKIM key reported by the domain check, by
 * the receiver's Authentication-Results and by the content lint is one thing to fix. Steps count causes, not
 * findings, and a cause resolves when its condition is gone.
 *
 * Pure: it reads finding ids (stable, see shared/schemas/common.ts) and statuses only.
 */
import type { CaseCause, CaseFinding, CauseKind, FindingStep } from '../../../shared/schemas/workflow'
import type { Severity } from '../../../shared/schemas/common'

/**
 * Findings that say a check gave no usable answer. They are coverage (workflow-service builds one note per check
 * run from them), never a to-do and never a cause: "could not check" is neither clean nor listed.
 */
export function isCoverage(id: string): boolean {
  return (
    /^bl\.(refused|unreliable|error):/.test(id) ||
    id.includes('could-not-check') ||
    /^auth\.(dns-error|dns-not-configured|parse-error)$/.test(id)
  )
}

/** Verdict causes (shared/schemas/kb.ts RejectionCause) to the cause kind the sender acts on. */
const VERDICT_KIND: Record<string, CauseKind> = {
  // A receiver's composite decision (DMARC, Microsoft compauth) over SPF and DKIM: the alignment is the cause.
  authentication: 'dmarc',
  blocklist: 'listing',
  reputation: 'other',
  'relay-denied': 'relay',
  'reverse-dns': 'ptr',
  'content-spam': 'content',
  'recipient-policy': 'recipient',
  'recipient-unknown': 'recipient',
  mailbox: 'recipient',
  'rate-limit': 'rate',
  'tls-required': 'tls',
  'tls-unavailable': 'tls',
  other: 'other'
}

/** Anti-spam verdicts that name a mechanism rather than the content (core/antispam). */
const ANTISPAM_KIND: [RegExp, CauseKind][] = [
  [/no-ptr/, 'ptr'],
  [/compauth|dmarc/, 'dmarc'],
  [/spf/, 'spf'],
  [/dkim/, 'dkim'],
  [/blocked-sender|sbrs/, 'other']
]

const FAMILY_KIND: Record<string, CauseKind> = {
  spf: 'spf',
  dkim: 'dkim',
  dmarc: 'dmarc',
  ptr: 'ptr',
  helo: 'helo',
  mx: 'mx',
  'mta-sts': 'tls',
  'tls-rpt': 'tls',
  bimi: 'bimi',
  content: 'content'
}

export interface RootCause {
  id: string
  kind: CauseKind
  list?: string
  target?: string
}

/** The root cause a finding id is evidence of; null for coverage (see isCoverage). */
export function rootCauseOf(id: string): RootCause | null {
  if (isCoverage(id)) return null
  const listing = /^bl\.(listed|named):([^:]+):(.+)$/.exec(id)
  if (listing)
    return {
      id: `listing:${listing[2]}:${listing[3]}`,
      kind: 'listing',
      list: listing[2],
      target: listing[3]
    }
  if (id.startsWith('bl.')) return { id: 'listing', kind: 'listing' }
  const verdict = /^verdict\.(.+)$/.exec(id)
  if (verdict) {
    const kind = VERDICT_KIND[verdict[1]] ?? 'other'
    return { id: kind === 'other' ? `other:${verdict[1]}` : kind, kind }
  }
  if (id.startsWith('auth.')) {
    const m = /^auth\.(spf|dkim|dmarc|compauth|arc)/.exec(id)
    const kind: CauseKind = !m ? 'dmarc' : m[1] === 'compauth' ? 'dmarc' : (m[1] as CauseKind)
    return { id: kind, kind }
  }
  if (id.startsWith('content.')) {
    // The lint's alignment findings are the authentication causes seen from the message (RFC 7489 §3.1).
    const m = /^content\.(spf|dkim|dmarc)-/.exec(id)
    if (m) return { id: m[1], kind: m[1] as CauseKind }
    return { id: 'content', kind: 'content' }
  }
  if (id.startsWith('antispam.')) {
    const hit = ANTISPAM_KIND.find(([re]) => re.test(id))
    const kind = hit ? hit[1] : 'content'
    return { id: kind === 'other' ? `other:${id.slice(9)}` : kind, kind }
  }
  const family = id.split(/[.:]/)[0]
  const kind = FAMILY_KIND[family]
  return kind ? { id: kind, kind } : { id: `other:${family}`, kind: 'other' }
}

const RANK: Record<Severity, number> = { critical: 4, error: 3, warning: 2, info: 1, ok: 0 }

/**
 * Which member names the cause: a check's own finding ("Listed on Spamhaus ZEN", "No DKIM key at s1") reads
 * better than the receiver's symptom, then the most severe, then the first seen.
 */
function leadOf(members: CaseFinding[]): CaseFinding {
  const score = (f: CaseFinding) =>
    (f.id.startsWith('verdict.') ? 0 : 10) + RANK[f.severity] + (f.status === 'open' ? 5 : 0)
  return [...members].sort((a, b) => score(b) - score(a) || a.firstSeen.localeCompare(b.firstSeen))[0]
}

/**
 * Groups findings into causes. A bare blocklist verdict ("the IP is on a Spamhaus list") joins the listing the
 * sweep or the bounce names when there is exactly one; with several it stays its own cause until they are gone.
 */
export function groupCauses(findings: CaseFinding[]): CaseCause[] {
  const groups = new Map<string, { rc: RootCause; members: CaseFinding[] }>()
  for (const f of findings) {
    const rc = rootCauseOf(f.id)
    if (!rc) continue
    const g = groups.get(rc.id)
    if (g) g.members.push(f)
    else groups.set(rc.id, { rc, members: [f] })
  }
  const listings = [...groups.values()].filter((g) => g.rc.kind === 'listing' && g.rc.target)
  const bare = groups.get('listing')
  if (bare && listings.length === 1) {
    listings[0].members.push(...bare.members)
    groups.delete('listing')
  }
  const out: CaseCause[] = []
  for (const { rc, members } of groups.values()) {
    const lead = leadOf(members)
    // Context (info, ok: "DMARC record found") never holds a cause open; the findings to act on decide.
    const acting = members.some((m) => m.actionable) ? members.filter((m) => m.actionable) : members
    const status = acting.some((m) => m.status === 'open')
      ? 'open'
      : acting.some((m) => m.status === 'accepted')
        ? 'accepted'
        : 'resolved'
    const step: FindingStep =
      rc.kind === 'listing' ? 'delist' : members.some((m) => m.step === 'fix') ? 'fix' : lead.step
    const severity = members.reduce<Severity>((s, m) => (RANK[m.severity] > RANK[s] ? m.severity : s), 'ok')
    const resolved = acting.map((m) => m.resolvedAt).filter((x): x is string => !!x)
    out.push({
      id: rc.id,
      kind: rc.kind,
      ...(rc.list ? { list: rc.list } : {}),
      ...(rc.target ? { target: rc.target } : {}),
      step,
      status,
      severity,
      actionable: members.some((m) => m.actionable),
      lead: lead.id,
      title: lead.title,
      ...(lead.titleText ? { titleText: lead.titleText } : {}),
      findings: members,
      note: acting.find((m) => m.status === status && m.note)?.note ?? null,
      firstSeen: members.reduce((a, m) => (m.firstSeen < a ? m.firstSeen : a), members[0].firstSeen),
      lastSeen: members.reduce((a, m) => (m.lastSeen > a ? m.lastSeen : a), members[0].lastSeen),
      resolvedAt: status === 'resolved' && resolved.length ? resolved.sort().at(-1)! : null
    })
  }
  const order = (c: CaseCause) => (c.status === 'open' ? 0 : 1) * 10 + (4 - RANK[c.severity])
  return out.sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id))
}
