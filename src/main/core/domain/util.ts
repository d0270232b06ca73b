import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding, type TextFindingInput } from '../text/finding'
import { renderText } from '../text/render'
import type { CheckState } from '../../../shared/schemas/common'
import type { DnsAnswer, DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'

export type FindingInput = TextFindingInput

/** A domain finding: its words are Texts in the "checks" namespace (see core/text/finding.ts). */
export function finding(f: FindingInput): Finding {
  return textFinding(f)
}

/**
 * Timeout/SERVFAIL/REFUSED are not answers (RFC 2308 §2): report "could not check", never "missing", so an admin
 * does not publish a second record because a resolver hiccupped. `what` names the record as a Text.
 */
export function couldNotCheck(id: string, what: Text, a: DnsAnswer): Finding {
  return finding({
    id: `${id}.could-not-check`,
    severity: 'warning',
    title: text('checks:dns.couldNotCheck.title', { what }),
    detail: text(a.error ? 'checks:dns.couldNotCheck.detailError' : 'checks:dns.couldNotCheck.detail', {
      what,
      name: a.name,
      type: a.type,
      status: a.status,
      error: a.error
    }),
    fix: text('checks:dns.couldNotCheck.fix'),
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

/**
 * Parse "k=v; k2=v2" tag lists (RFC 6376 §3.2, RFC 7489 §6.4, RFC 8461 §3.1, RFC 8460 §3). `errors` is the
 * English wording, `errorTexts` the same problems as Texts for the reader's language.
 */
export function parseTags(input: string): {
  tags: Record<string, string>
  order: string[]
  errors: string[]
  errorTexts: Text[]
} {
  const tags: Record<string, string> = {}
  const order: string[] = []
  const errorTexts: Text[] = []
  for (const part of input.split(';')) {
    const p = part.trim()
    if (!p) continue
    const eq = p.indexOf('=')
    if (eq <= 0) {
      errorTexts.push(text('checks:tags.notPair', { part: p }))
      continue
    }
    const k = p.slice(0, eq).trim().toLowerCase()
    const v = p.slice(eq + 1).trim()
    if (k in tags) errorTexts.push(text('checks:tags.twice', { tag: k }))
    tags[k] = v
    order.push(k)
  }
  return { tags, order, errors: errorTexts.map((t) => renderText('en', t)), errorTexts }
}

export function isIpLiteral(s: string): boolean {
  return /^\[?\d{1,3}(\.\d{1,3}){3}\]?$/.test(s) || (s.includes(':') && /^\[?[0-9a-f:.]+\]?$/i.test(s))
}
