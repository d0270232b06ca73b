import { getDomain } from 'tldts'
import type { BlocklistEntry, Catalogue } from '../../../shared/schemas/blocklist'
import { loadCatalogue } from './catalogue'

/**
 * Which catalogue lists does a rejection text name? Used to explain bounces such as Postfix's
 * "Client host [192.0.2.1] blocked using zen.spamhaus.org" (RFC 3463 5.7.1) or Exim's
 * "rejected because 192.0.2.1 is in a black list at dnsbl.sorbs.net", including defunct lists (a receiver still
 * rejecting on SORBS has a stale configuration) and provider blocks (Microsoft S3150, Yahoo TSS04 ...).
 *
 * Strong matches name the zone itself; weak matches come from the entry's rejectionPatterns (operator names,
 * lookup URLs). A weak match is dropped when a strong match for another zone of the same operator exists, so
 * "blocked using z.mailspike.net (mailspike.org)" names Mailspike Z only.
 */

export interface RejectionMatch {
  list: BlocklistEntry
  /** The matched text. */
  match: string
  index: number
  strength: 'zone' | 'pattern'
}

interface Compiled {
  list: BlocklistEntry
  zone?: RegExp
  patterns: RegExp[]
  operator?: string
}

const compiledCache = new WeakMap<Catalogue, Compiled[]>()

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function compile(catalogue: Catalogue): Compiled[] {
  let c = compiledCache.get(catalogue)
  if (c) return c
  c = catalogue.lists.map((list) => {
    const zones: string[] = []
    if (list.zone) zones.push(escape(list.zone))
    if (list.keyZone) zones.push('[a-z0-9]+\\.' + escape(list.keyZone.replace('<key>.', '')))
    return {
      list,
      // Not preceded by a label character or '-' (so xbl.spamhaus.org does not match inside sbl-xbl.spamhaus.org).
      zone: zones.length ? new RegExp(`(?<![a-z0-9-])(?:${zones.join('|')})(?![a-z0-9-])`, 'i') : undefined,
      patterns: list.rejectionPatterns.map((p) => new RegExp(p, 'i')),
      operator: list.zone ? (getDomain(list.zone) ?? undefined) : undefined
    }
  })
  compiledCache.set(catalogue, c)
  return c
}

export function matchRejectionText(text: string, catalogue: Catalogue = loadCatalogue()): RejectionMatch[] {
  const strong: RejectionMatch[] = []
  const weak: (RejectionMatch & { operator?: string })[] = []
  for (const c of compile(catalogue)) {
    const z = c.zone?.exec(text)
    if (z) {
      strong.push({ list: c.list, match: z[0], index: z.index, strength: 'zone' })
      continue
    }
    for (const p of c.patterns) {
      const m = p.exec(text)
      if (m) {
        weak.push({ list: c.list, match: m[0], index: m.index, strength: 'pattern', operator: c.operator })
        break
      }
    }
  }
  const strongOperators = new Set(
    strong.map((m) => (m.list.zone ? getDomain(m.list.zone) : undefined)).filter(Boolean)
  )
  const kept = weak
    .filter((w) => !(w.operator && strongOperators.has(w.operator)))
    .map(({ operator: _operator, ...m }) => m)
  return [...strong, ...kept].sort((a, b) => a.index - b.index)
}
