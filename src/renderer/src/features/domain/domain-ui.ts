import type { CheckState, Severity } from '@shared/schemas/common'
import type { DomainReport } from '@shared/schemas/domain'

/** Severity colours: red for what blocks mail, orange/yellow for risks, blue for notes, green only for a pass. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red.9',
  error: 'red',
  warning: 'orange',
  info: 'blue',
  ok: 'green'
}
export const SEVERITY_ORDER: Severity[] = ['critical', 'error', 'warning', 'info', 'ok']

/**
 * State colours. "Could not check" is yellow and "not checked"/"not published" grey: neither may ever look like
 * the green of a pass (an unanswered DNS query says nothing about the zone, RFC 2308 §2).
 */
export const STATE_COLOR: Record<CheckState, string> = {
  pass: 'green',
  warn: 'orange',
  fail: 'red',
  none: 'gray',
  not_checked: 'gray',
  could_not_check: 'yellow'
}

/**
 * Hands a stored case report to the full view when the case panel links to it, so the full view shows the
 * report that was run with the case's IPs, HELO and selectors instead of re-checking without them.
 */
let handoff: { report: DomainReport; ips: string[]; helo?: string; selectors: string[] } | null = null
export function handOff(h: NonNullable<typeof handoff>): void {
  handoff = h
}
export function takeHandoff(domain: string): typeof handoff {
  const h = handoff && handoff.report.domain === domain ? handoff : null
  handoff = null
  return h
}

/** Inputs derived from a report (what it was run with), to prefill the form. */
export function inputsOf(r: DomainReport): { ips: string[]; helo?: string; selectors: string[] } {
  return {
    ips: r.ptr.map((p) => p.ip),
    helo: r.ptr.find((p) => p.helo)?.helo,
    selectors: r.dkim.filter((d) => d.source === 'input').map((d) => d.selector)
  }
}

export const newTaskId = (): string =>
  `domain-ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
