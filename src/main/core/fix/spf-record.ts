import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'

/**
 * Minimal SPF record parsing for the builder (RFC 7208 §4.6, §5, §6). It only needs terms, qualifiers and the
 * lookup count; full evaluation against DNS belongs to the domain checks.
 */
export type SpfQualifier = '+' | '-' | '~' | '?'

export interface SpfTerm {
  raw: string
  kind: 'mechanism' | 'modifier'
  qualifier?: SpfQualifier
  /** Mechanism name (all, include, a, mx, ptr, ip4, ip6, exists) or modifier name (redirect, exp, ...). */
  name: string
  value?: string
}

export interface ParsedSpf {
  valid: boolean
  /** The problems in English; `errorTexts` the same as Texts. */
  errors: string[]
  errorTexts: Text[]
  terms: SpfTerm[]
}

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'])
/** Terms that cause a DNS query and count against the limit of 10 (RFC 7208 §4.6.4). */
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect'])

export function parseSpf(record: string): ParsedSpf {
  const errors: Text[] = []
  const parts = record.trim().split(/\s+/)
  if (!/^v=spf1$/i.test(parts[0] ?? '')) errors.push(text('fixgen:spf.parse.version'))
  const terms: SpfTerm[] = []
  for (const raw of parts.slice(1)) {
    if (!raw) continue
    const mod = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw)
    if (mod) {
      terms.push({ raw, kind: 'modifier', name: mod[1].toLowerCase(), value: mod[2] })
      continue
    }
    const m = /^([+\-~?]?)([a-z0-9]+)(?:[:/](.*))?$/i.exec(raw)
    if (!m || !MECHANISMS.has(m[2].toLowerCase())) {
      errors.push(text('fixgen:spf.parse.unknownTerm', { term: raw }))
      continue
    }
    const name = m[2].toLowerCase()
    const value = raw.includes(':')
      ? raw.slice(raw.indexOf(':') + 1)
      : raw.includes('/')
        ? raw.slice(raw.indexOf('/'))
        : undefined
    if ((name === 'include' || name === 'exists' || name === 'ip4' || name === 'ip6') && !value)
      errors.push(text('fixgen:spf.parse.needsValue', { term: raw }))
    terms.push({ raw, kind: 'mechanism', qualifier: (m[1] || '+') as SpfQualifier, name, value })
  }
  const redirects = terms.filter((t) => t.name === 'redirect').length
  if (redirects > 1) errors.push(text('fixgen:spf.parse.redirects'))
  return {
    valid: errors.length === 0,
    errors: errors.map((t) => renderText('en', t)),
    errorTexts: errors,
    terms
  }
}

/** Lookups caused by the record's own terms (nested includes are not expanded here). */
export function countDirectLookups(terms: SpfTerm[]): number {
  return terms.filter((t) => LOOKUP_TERMS.has(t.name)).length
}

/**
 * Terms of the current record worth keeping when rebuilding it: everything except the version, the final
 * all and includes already provided by the chosen services (so the builder does not duplicate them).
 */
export function keepMechanisms(currentRecord: string, replacedMechanisms: string[] = []): string[] {
  const replaced = new Set(replacedMechanisms.map((m) => m.toLowerCase().replace(/^\+/, '')))
  return parseSpf(currentRecord)
    .terms.filter((t) => t.name !== 'all' && t.name !== 'redirect')
    .map((t) => t.raw)
    .filter((raw) => !replaced.has(raw.toLowerCase().replace(/^\+/, '')))
}
