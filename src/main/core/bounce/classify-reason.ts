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

/** Does lowercased `text` match the pattern table of `reason`? */
export function includedIn(reason: string, text: string): boolean {
  if (!text) return false
  const t = REASON_PATTERNS[reason]
  if (!t) return false
  if (t.isnot?.some((s) => text.includes(s))) return false
  if (t.index.some((s) => text.includes(s))) return true
  return t.pairs?.some((p) => aligned(text, p)) ?? false
}

export function statusReason(status: string | undefined): string {
  return status ? (STATUS_REASON[status] ?? '') : ''
}

type Probe = (f: Required<Omit<ReasonInput, 'reason'>>, text: string, sr: string) => boolean

// reason/why-*.go ProbesInto equivalents
const PROBES: Record<string, Probe> = {
  mailboxfull: (_f, t, sr) => sr === 'mailboxfull' || includedIn('mailboxfull', t),
  mesgtoobig: (f, t, sr) =>
    sr === 'mesgtoobig' || (sr !== 'exceedlimit' && f.status !== '5.2.3' && includedIn('mesgtoobig', t)),
  exceedlimit: (_f, t, sr) => sr === 'exceedlimit' || includedIn('exceedlimit', t),
  suspend: (f, t) => f.replyCode === '525' || includedIn('suspend', t),
  hasmoved: (_f, t) => includedIn('hasmoved', t),
  norelaying: (f, t) => !['CONN', 'EHLO', 'HELO'].includes(f.command) && includedIn('norelaying', t),
  authfailure: (_f, t, sr) => sr === 'authfailure' || includedIn('authfailure', t),
  userunknown: (f, t, sr) => {
    if (sr === 'userunknown') {
      for (const e of ['norelaying', 'blocked', 'mailboxfull', 'hasmoved', 'rejected', 'notaccept'])
        if (includedIn(e, t)) return false
      return true
    }
    return f.command === 'RCPT' && includedIn('userunknown', t)
  },
  filtered: (f, t, sr) => {
    if (sr === 'filtered') return includedIn('userunknown', t) || includedIn('filtered', t)
    if (EXCEPT_DATA.has(f.command)) return false
    return includedIn('filtered', t) || includedIn('userunknown', t)
  },
  requireptr: (_f, t, sr) => sr === 'requireptr' || includedIn('requireptr', t),
  notcompliantrfc: (_f, t) => includedIn('notcompliantrfc', t),
  badreputation: (_f, t) => includedIn('badreputation', t),
  contenterror: (f, t, sr) => {
    if (PROBES.spamdetected(f, t, sr)) return false
    return sr === 'contenterror' || includedIn('contenterror', t)
  },
  rejected: (f, t, sr) => {
    if (sr === 'rejected') return true
    const temp = sr || 'undefined'
    if (f.command === 'MAIL') return includedIn('rejected', t)
    if (f.command === 'DATA' && temp !== 'userunknown') return includedIn('rejected', t)
    if (['undefined', 'onhold', 'securityerror', 'systemerror'].includes(temp))
      return includedIn('rejected', t)
    return false
  },
  hostunknown: (_f, t, sr) =>
    sr === 'hostunknown' ? !includedIn('networkerror', t) : includedIn('hostunknown', t),
  spamdetected: (f, t, sr) => {
    if (!f.status) return false
    if (sr === 'spamdetected') return true
    if (EXCEPT_DATA.has(f.command)) return false
    return includedIn('spamdetected', t)
  },
  speeding: (_f, t) => includedIn('speeding', t),
  toomanyconn: (_f, t, sr) => sr === 'toomanyconn' || includedIn('toomanyconn', t),
  blocked: (_f, t, sr) => sr === 'blocked' || includedIn('blocked', t)
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
  const text = f.diagnosticCode.toLowerCase()
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
      const hit = ORDER_TEXT.find((e) => includedIn(e, text))
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
    if (!r) r = includedIn('vacation', text) ? 'vacation' : text ? 'onhold' : 'undefined'
    reason = r
  }
  return reason
}
