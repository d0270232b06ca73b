import { z } from 'zod'
import ipaddr from 'ipaddr.js'
import type { CheckState, Finding } from '../schemas/common'
import { DomainReport } from '../schemas/domain'
import type { MethodSpec } from './spec'

/**
 * Domain health (issue 4): SPF, DKIM, DMARC, MX, PTR/FCrDNS, MTA-STS, TLS-RPT and BIMI of a sending domain.
 * The validators are exported so the UI can say what is wrong before a round trip, with the same words.
 */

const isIp = (s: string): boolean => {
  const bare = s.replace(/^\[|\]$/g, '')
  return ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare)
}

/**
 * Why a string is not a domain name we can check, or null when it is one. Rules: RFC 1035 §2.3.1 (letters,
 * digits, hyphens; labels of 1–63 octets, no leading/trailing hyphen), RFC 1035 §2.3.4 (253 octets), and at least
 * two labels (a bare label such as "localhost" has no public SPF/DMARC). IDNs are checked in their A-label form.
 */
export function domainProblem(raw: string): string | null {
  const s = raw.trim()
  if (!s) return 'Enter a domain name, e.g. example.com.'
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.includes('/'))
    return `"${s}" looks like a URL; enter just the domain name (e.g. example.com).`
  if (s.includes('@')) return `"${s}" looks like an email address; enter only the part after the @.`
  if (/\s/.test(s)) return `"${s}" contains spaces; a domain name cannot.`
  if (isIp(s)) return `"${s}" is an IP address; enter the sending domain here and the IP under "Sending IPs".`
  const name = toAscii(s)
  if (name === null) return `"${s}" is not a valid domain name.`
  if (name.length > 253) return `"${s}" is longer than the 253 characters a domain name may have.`
  const labels = name.split('.')
  if (labels.length < 2) return `"${s}" is a single label; enter a full domain such as ${s}.com.`
  for (const l of labels) {
    if (l.length === 0) return `"${s}" has an empty label (two dots in a row).`
    if (l.length > 63) return `"${s}" has a label longer than 63 characters.`
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l))
      return `"${s}" is not a valid domain name (only letters, digits and hyphens; no hyphen at either end of a label).`
  }
  if (/^\d+$/.test(labels[labels.length - 1]))
    return `"${s}" is not a domain name (the last label is a number).`
  return null
}

/** Lowercase A-label form (punycode for IDNs) without the trailing dot, or null when the URL parser refuses it. */
function toAscii(s: string): string | null {
  const t = s.replace(/\.$/, '')
  if (/^[\x21-\x7e]*$/.test(t)) return t.toLowerCase()
  try {
    return new URL(`http://${t}/`).hostname.toLowerCase()
  } catch {
    return null
  }
}

/** The normalised form of a valid domain (lowercase, A-labels, no trailing dot). */
export function normaliseDomain(s: string): string {
  return toAscii(s.trim()) ?? s.trim().toLowerCase()
}

export function ipProblem(s: string): string | null {
  return isIp(s.trim()) ? null : `"${s}" is not an IPv4 or IPv6 address.`
}

/** DKIM selectors are one or more DNS labels (RFC 6376 §3.1); underscores occur in practice. */
export function selectorProblem(s: string): string | null {
  const t = s.trim()
  return /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/i.test(t)
    ? null
    : `"${s}" is not a DKIM selector (the s= value of a DKIM-Signature, e.g. selector1).`
}

/** HELO/EHLO argument: a host name or an address literal (RFC 5321 §4.1.1.1). */
export function heloProblem(s: string): string | null {
  const t = s.trim()
  if (!t || t.length > 255 || /\s/.test(t))
    return `"${s}" is not a HELO name (a host name such as mail.example.com).`
  return null
}

const checked = (problem: (s: string) => string | null) =>
  z
    .string()
    .max(1000)
    .superRefine((v, ctx) => {
      const p = problem(v)
      if (p) ctx.addIssue({ code: 'custom', message: p })
    })

export const DomainName = checked(domainProblem).transform(normaliseDomain)

export const DomainCheckInput = z
  .object({
    domain: DomainName,
    ips: z
      .array(checked(ipProblem).transform((s) => s.trim().replace(/^\[|\]$/g, '')))
      .max(20)
      .optional(),
    helo: checked(heloProblem)
      .transform((s) => s.trim())
      .optional(),
    selectors: z
      .array(checked(selectorProblem).transform((s) => s.trim().toLowerCase()))
      .max(20)
      .optional(),
    /** A resolver for this check only ("IP" or "IP:port"); else the one from Settings. */
    resolver: z.string().max(200).optional(),
    /** Store the report with this case (check_runs, kind 'domain') and add a timeline event. */
    caseId: z.number().int().positive().optional(),
    /** Id of the `progress` events this check emits, so the caller can follow its own run. */
    taskId: z.string().min(1).max(100).optional()
  })
  .strict()
export type DomainCheckInput = z.input<typeof DomainCheckInput>

/** The domain methods of the contract (see api.ts). */
export const domainApi = {
  'domain.check': { input: DomainCheckInput, output: DomainReport },
  /** Checks the case's sending domain with its sending IPs, the edge HELO and the DKIM selectors of its evidence. */
  'domain.checkCase': {
    input: z
      .object({
        caseId: z.number().int().positive(),
        resolver: z.string().max(200).optional(),
        taskId: z.string().min(1).max(100).optional()
      })
      .strict(),
    output: DomainReport
  },
  /** The last domain report stored for the case, or null. */
  'domain.latest': {
    input: z.object({ caseId: z.number().int().positive() }).strict(),
    output: DomainReport.nullable()
  }
} as const satisfies Record<string, MethodSpec>

/** The mechanisms a domain report is grouped by, in reading order (UI sections, CLI headings). */
export const MECHANISMS = ['spf', 'dkim', 'dmarc', 'mx', 'ptr', 'mta-sts', 'tls-rpt', 'bimi'] as const
export type Mechanism = (typeof MECHANISMS)[number]

/** Finding ids start with their mechanism ("spf.lookups-exceeded", "helo.mismatch:…" belongs with PTR/FCrDNS). */
export function mechanismOf(f: Pick<Finding, 'id'>): Mechanism {
  const head = f.id.split(/[.:]/)[0]
  if (head === 'helo') return 'ptr'
  return (MECHANISMS as readonly string[]).includes(head) ? (head as Mechanism) : 'spf'
}

export const isCouldNotCheck = (f: Pick<Finding, 'id'>): boolean => f.id.endsWith('could-not-check')

/** A failure outranks "could not check" (something is known to be wrong), which outranks a warning or a pass. */
function combine(states: CheckState[], empty: CheckState): CheckState {
  if (states.length === 0) return empty
  for (const s of ['fail', 'could_not_check', 'warn', 'pass', 'none'] as const)
    if (states.includes(s)) return s
  return 'not_checked'
}

/** One state per mechanism; lists (DKIM selectors, MX hosts, PTR per IP) are combined. */
export function mechanismStates(r: DomainReport): Record<Mechanism, CheckState> {
  const has = (m: Mechanism, pred: (f: Finding) => boolean) =>
    r.findings.some((f) => mechanismOf(f) === m && pred(f))
  const emptyList = (m: Mechanism): CheckState =>
    has(m, isCouldNotCheck)
      ? 'could_not_check'
      : has(m, (f) => f.severity === 'error' || f.severity === 'critical')
        ? 'fail'
        : 'none'
  return {
    spf: r.spf.state,
    dkim: combine(
      r.dkim.map((d) => d.state),
      emptyList('dkim')
    ),
    dmarc: r.dmarc.state,
    mx: combine(
      r.mx.map((m) => m.state),
      emptyList('mx')
    ),
    // Without sending IPs there is nothing to look up: "not checked", never "pass".
    ptr: combine(
      r.ptr.map((p) => p.state),
      'not_checked'
    ),
    'mta-sts': r.mtaSts.state,
    'tls-rpt': r.tlsRpt.state,
    bimi: r.bimi.state
  }
}

/** True when DNS answered nothing useful at all (resolver down, zone unreachable): the check could not run. */
export function nothingAnswered(r: DomainReport): boolean {
  return (
    r.spf.state === 'could_not_check' &&
    r.dmarc.state === 'could_not_check' &&
    mechanismStates(r).mx === 'could_not_check'
  )
}
