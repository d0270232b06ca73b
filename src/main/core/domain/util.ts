import type { EvidenceSpan, Finding, Severity } from '../../../shared/schemas/common'
import type { CheckState } from '../../../shared/schemas/common'
import type { DnsAnswer, DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'

export interface FindingInput {
  id: string
  severity: Severity
  title: string
  detail: string
  current?: string
  fix?: string
  fixRecord?: string
  remedy?: string
  evidence?: EvidenceSpan[]
}

export function finding(f: FindingInput): Finding {
  const out: Finding = {
    id: f.id,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    evidence: f.evidence ?? []
  }
  if (f.current !== undefined) out.current = f.current
  if (f.fix !== undefined) out.fix = f.fix
  if (f.fixRecord !== undefined) out.fixRecord = f.fixRecord
  if (f.remedy !== undefined) out.remedy = f.remedy
  return out
}

/**
 * Timeout/SERVFAIL/REFUSED are not answers (RFC 2308 §2): report "could not check", never "missing", so an admin
 * does not publish a second record because a resolver hiccupped.
 */
export function couldNotCheck(id: string, what: string, a: DnsAnswer): Finding {
  return finding({
    id: `${id}.could-not-check`,
    severity: 'warning',
    title: `Could not check ${what}`,
    detail: `The DNS query for ${a.name} ${a.type} failed (${a.status}${a.error ? `: ${a.error}` : ''}), so nothing is known about ${what}. This is not the same as "missing".`,
    fix: 'Re-run the check; if it persists, check the authoritative name servers of the zone.',
    evidence: [{ source: `dns:${a.name}`, text: a.status }]
  })
}

export function stateOfFailure(a: DnsAnswer): CheckState | undefined {
  return isDefinitive(a) ? undefined : 'could_not_check'
}

export interface TxtLookup {
  answer: DnsAnswer
  /** Each RR's character-strings joined without separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2, RFC 7489 §6.1). */
  texts: string[]
  raw: string[][]
}

export async function getTxt(client: DnsClient, name: string): Promise<TxtLookup> {
  const answer = await client.query(name, 'TXT')
  const raw =
    answer.status === 'ok'
      ? (answer.records as string[][]).map((r) => (Array.isArray(r) ? r : [String(r)]))
      : []
  return { answer, raw, texts: raw.map((r) => r.join('')) }
}

/** Parse "k=v; k2=v2" tag lists (RFC 6376 §3.2, RFC 7489 §6.4, RFC 8461 §3.1, RFC 8460 §3). */
export function parseTags(text: string): { tags: Record<string, string>; order: string[]; errors: string[] } {
  const tags: Record<string, string> = {}
  const order: string[] = []
  const errors: string[] = []
  for (const part of text.split(';')) {
    const p = part.trim()
    if (!p) continue
    const eq = p.indexOf('=')
    if (eq <= 0) {
      errors.push(`"${p}" is not a tag=value pair`)
      continue
    }
    const k = p.slice(0, eq).trim().toLowerCase()
    const v = p.slice(eq + 1).trim()
    if (k in tags) errors.push(`tag ${k} appears twice`)
    tags[k] = v
    order.push(k)
  }
  return { tags, order, errors }
}

export function isIpLiteral(s: string): boolean {
  return /^\[?\d{1,3}(\.\d{1,3}){3}\]?$/.test(s) || (s.includes(':') && /^\[?[0-9a-f:.]+\]?$/i.test(s))
}
