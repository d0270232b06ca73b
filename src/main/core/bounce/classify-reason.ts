import { MIN_INDEXED_LENGTH, SubstringIndex } from '../match/substring-index'
import { REASON_PATTERNS, STATUS_REASON } from './reason-patterns'

/**
 * Bounce reason from status + reply code + diagnostic text. The order of checks and the per-reason gates
 * (e.g. "filtered" only after DATA, "userunknown" from 5.1.1 unless the text says full/relay/blocked) follow
 * sisimai's Reason.find design (go-sisimai reason/find.go, lib.go); the implementation is ours.
 */
export interface ReasonInput {
  status?: string
  replyCode?: string
  diagnosticCode?: string
  diagnosticType?: string
  action?: string
  command?: string
  /** A reason already decided by a format-specific parser. */
  reason?: string
}

/** go-sisimai reason GetRetried: reasons a later stage may still overrule. */
export const RETRY = new Set([
  'undefined',
  'onhold',
  'systemerror',
  'securityerror',
  'expired',
  'networkerror',
  'hostunknown',
  'userunknown'
])
const EXCEPT_DATA = new Set(['CONN', 'EHLO', 'HELO', 'MAIL', 'RCPT'])

function aligned(text: string, parts: readonly string[]): boolean {
  let p = 0
  for (const part of parts) {
    const i = text.indexOf(part, p)
    if (i < 0) return false
    p = i + part.length
  }
  return true
}

/**
 * All `index` and `isnot` substrings of REASON_PATTERNS (some 600), and the pieces of their `pairs`, in one
 * SubstringIndex: trying each with `text.includes` costs hundreds of scans of the same text per recipient, the index
 * finds them in one pass. A pair is only tried in order (`aligned`) when each of its pieces occurs somewhere; pieces
 * too short to index (a lone "@") are left to `aligned`.
 */
const PATTERNS = (() => {
  const byPattern = new Map<string, { id: number; index: string[]; isnot: string[] }>()
  const entry = (pattern: string) => {
    let e = byPattern.get(pattern)
    if (!e) byPattern.set(pattern, (e = { id: byPattern.size, index: [], isnot: [] }))
    return e
  }
  const pairs = new Map<string, { parts: readonly string[]; needs: number[] }[]>()
  for (const [reason, t] of Object.entries(REASON_PATTERNS)) {
    for (const s of t.index) entry(s).index.push(reason)
    for (const s of t.isnot ?? []) entry(s).isnot.push(reason)
    pairs.set(
      reason,
      (t.pairs ?? []).map((parts) => ({
        parts,
        needs: parts.filter((s) => s.length >= MIN_INDEXED_LENGTH).map((s) => entry(s).id)
      }))
    )
  }
  return { index: new SubstringIndex([...byPattern.keys()]), reasons: [...byPattern.values()], pairs }
})()

interface Hits {
  index: Set<string>
  isnot: Set<string>
  found: Uint8Array
}

/** Which reasons' `index` and `isnot` substrings occur in lowercased `text`, and which indexed strings do. */
function reasonHits(text: string): Hits {
  const index = new Set<string>()
  const isnot = new Set<string>()
  const found = PATTERNS.index.find(text)
  for (let i = 0; i < found.length; i++) {
    if (!found[i]) continue
    for (const r of PATTERNS.reasons[i].index) index.add(r)
    for (const r of PATTERNS.reasons[i].isnot) isnot.add(r)
  }
  return { index, isnot, found }
}

/**
 * The pattern tables of every reason against one lowercased text, as `includedIn` reads them; the single pass over
 * the text runs on the first question, so a classification that never asks costs nothing.
 */
class ReasonText {
  private hits?: Hits
  constructor(readonly text: string) {}

  includes(reason: string): boolean {
    if (!this.text) return false
    if (!REASON_PATTERNS[reason]) return false
    const hits = (this.hits ??= reasonHits(this.text))
    if (hits.isnot.has(reason)) return false
    if (hits.index.has(reason)) return true
    return (
      PATTERNS.pairs
        .get(reason)
        ?.some((p) => p.needs.every((id) => hits.found[id]) && aligned(this.text, p.parts)) ?? false
    )
  }
}

/** Does lowercased `text` match the pattern table of `reason`? */
export function includedIn(reason: string, text: string): boolean {
  return new ReasonText(text).includes(reason)
}

export function statusReason(status: string | undefined): string {
  return status ? (STATUS_REASON[status] ?? '') : ''
}

type Probe = (f: Required<Omit<ReasonInput, 'reason'>>, t: ReasonText, sr: string) => boolean

// reason/why-*.go ProbesInto equivalents
const PROBES: Record<string, Probe> = {
  mailboxfull: (_f, t, sr) => sr === 'mailboxfull' || t.includes('mailboxfull'),
  mesgtoobig: (f, t, sr) =>
    sr === 'mesgtoobig' || (sr !== 'exceedlimit' && f.status !== '5.2.3' && t.includes('mesgtoobig')),
  exceedlimit: (_f, t, sr) => sr === 'exceedlimit' || t.includes('exceedlimit'),
  suspend: (f, t) => f.replyCode === '525' || t.includes('suspend'),
  hasmoved: (_f, t) => t.includes('hasmoved'),
  norelaying: (f, t) => !['CONN', 'EHLO', 'HELO'].includes(f.command) && t.includes('norelaying'),
  authfailure: (_f, t, sr) => sr === 'authfailure' || t.includes('authfailure'),
  userunknown: (f, t, sr) => {
    if (sr === 'userunknown') {
      for (const e of ['norelaying', 'blocked', 'mailboxfull', 'hasmoved', 'rejected', 'notaccept'])
        if (t.includes(e)) return false
      return true
    }
    return f.command === 'RCPT' && t.includes('userunknown')
  },
  filtered: (f, t, sr) => {
    if (sr === 'filtered') return t.includes('userunknown') || t.includes('filtered')
    if (EXCEPT_DATA.has(f.command)) return false
    return t.includes('filtered') || t.includes('userunknown')
  },
  requireptr: (_f, t, sr) => sr === 'requireptr' || t.includes('requireptr'),
  notcompliantrfc: (_f, t) => t.includes('notcompliantrfc'),
  badreputation: (_f, t) => t.includes('badreputation'),
  contenterror: (f, t, sr) => {
    if (PROBES.spamdetected(f, t, sr)) return false
    return sr === 'contenterror' || t.includes('contenterror')
  },
  rejected: (f, t, sr) => {
    if (sr === 'rejected') return true
    const temp = sr || 'undefined'
    if (f.command === 'MAIL') return t.includes('rejected')
    if (f.command === 'DATA' && temp !== 'userunknown') return t.includes('rejected')
    if (['undefined', 'onhold', 'securityerror', 'systemerror'].includes(temp)) return t.includes('rejected')
    return false
  },
  hostunknown: (_f, t, sr) =>
    sr === 'hostunknown' ? !t.includes('networkerror') : t.includes('hostunknown'),
  spamdetected: (f, t, sr) => {
    if (!f.status) return false
    if (sr === 'spamdetected') return true
    if (EXCEPT_DATA.has(f.command)) return false
    return t.includes('spamdetected')
  },
  speeding: (_f, t) => t.includes('speeding'),
  toomanyconn: (_f, t, sr) => sr === 'toomanyconn' || t.includes('toomanyconn'),
  blocked: (_f, t, sr) => sr === 'blocked' || t.includes('blocked')
}

const ORDER_PROBE = [
  'mailboxfull',
  'mesgtoobig',
  'exceedlimit',
  'suspend',
  'hasmoved',
  'norelaying',
  'authfailure',
  'userunknown',
  'filtered',
  'requireptr',
  'notcompliantrfc',
  'badreputation',
  'contenterror',
  'rejected',
  'hostunknown',
  'spamdetected',
  'speeding',
  'toomanyconn',
  'blocked'
]
const ORDER_TEXT = [
  'mailboxfull',
  'authfailure',
  'badreputation',
  'speeding',
  'spamdetected',
  'virusdetected',
  'policyviolation',
  'norelaying',
  'systemerror',
  'networkerror',
  'suspend',
  'contenterror',
  'systemfull',
  'notaccept',
  'expired',
  'failedstarttls',
  'securityerror',
  'suppressed',
  'mailererror'
]

function isExplicit(r: string | undefined): boolean {
  return !!r && r !== 'undefined' && r !== 'onhold'
}

function syntaxError(reply: string): boolean {
  const n = Number(reply)
  return (n > 400 && n < 408) || (n > 500 && n < 508)
}

export function classifyReason(input: ReasonInput): string {
  if (input.reason && !RETRY.has(input.reason)) return input.reason
  const f = {
    status: input.status ?? '',
    replyCode: input.replyCode ?? '',
    diagnosticCode: input.diagnosticCode ?? '',
    diagnosticType: (input.diagnosticType ?? '').toUpperCase(),
    action: (input.action ?? '').toLowerCase(),
    command: (input.command ?? '').toUpperCase()
  }
  if (f.status.startsWith('2.')) return 'delivered'
  const text = new ReasonText(f.diagnosticCode.toLowerCase())
  const sr = statusReason(f.status)

  let reason = ''
  // Postfix labels its own SMTP-session errors "X-Postfix"; the text is still an SMTP reply transcript
  if (f.diagnosticType === 'SMTP' || f.diagnosticType === '' || f.diagnosticType === 'X-POSTFIX') {
    for (const e of ORDER_PROBE) {
      // every ProbesInto starts with "if fo.Reason == <this reason> return true" (go-sisimai reason/why-*.go):
      // a reason stated by the format parser wins at its own place in the order
      if (input.reason === e || PROBES[e](f, text, sr)) {
        reason = e
        break
      }
    }
    // why-notaccept / failedstarttls / syntaxerror probes rely on reply codes
  }
  if (!reason) {
    if (isExplicit(input.reason)) return input.reason as string
    let r = sr
    if (RETRY.has(r) || r === '' || f.diagnosticType !== 'SMTP') {
      const hit = ORDER_TEXT.find((e) => text.includes(e))
      if (hit) r = hit
      else if (!r) {
        const sub = f.status.slice(0, 3)
        if (sub === '5.6' || sub === '4.6') r = 'contenterror'
        else if (sub === '5.7' || sub === '4.7') r = 'securityerror'
        else if (f.diagnosticType.startsWith('X-UNIX')) r = 'mailererror'
        else if (syntaxError(f.replyCode)) r = 'syntaxerror'
        else if (f.action === 'delayed' || f.action === 'expired') r = 'expired'
        else if (f.command === 'EHLO' || f.command === 'HELO') r = 'blocked'
      }
    }
    if (r === 'undefined') r = ''
    if (!r && f.action === 'delayed') r = 'expired'
    if (!r && ['521', '556'].includes(f.replyCode)) r = 'notaccept'
    if (!r && ['523', '524', '538'].includes(f.replyCode)) r = 'failedstarttls'
    if (!r && input.reason) r = input.reason
    if (!r) r = text.includes('vacation') ? 'vacation' : text.text ? 'onhold' : 'undefined'
    reason = r
  }
  return reason
}
