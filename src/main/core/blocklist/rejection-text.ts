import { getDomain } from 'tldts'
import type { BlocklistEntry, Catalogue } from '../../../shared/schemas/blocklist'
import { requiredLiteral } from '../match/required-literal'
import { SubstringIndex } from '../match/substring-index'
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
  /** Ids (in `CompiledCatalogue.names`) of the lowercase zone names one of which every `zone` match contains. */
  zoneNames: number[]
  /**
   * Each pattern with the id of a substring every match contains (required-literal.ts), or -1 when none is known.
   * One shape for every pattern (no optional property): the matcher's property loads then see one hidden class.
   */
  patterns: { re: RegExp; need: number }[]
  operator?: string
}

/**
 * The zone regexes start with a lookbehind, so the engine tries them at every position of the text, and there are
 * some 170 regexes per reply. One pass over the lowercased reply (SubstringIndex) finds which zone names and
 * required substrings are there; a regex runs only when its own is. Exact: zone names and required substrings are
 * ASCII, which the `i` regexes match in either case and lowercasing maps one to one.
 */
interface CompiledCatalogue {
  lists: Compiled[]
  names: SubstringIndex
}

const compiledCache = new WeakMap<Catalogue, CompiledCatalogue>()

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function compile(catalogue: Catalogue): CompiledCatalogue {
  const cached = compiledCache.get(catalogue)
  if (cached) return cached
  const ids = new Map<string, number>()
  const idOf = (name: string): number => {
    if (!ids.has(name)) ids.set(name, ids.size)
    return ids.get(name)!
  }
  const lists = catalogue.lists.map((list) => {
    const zones: string[] = []
    const zoneNames: number[] = []
    if (list.zone) {
      zones.push(escape(list.zone))
      zoneNames.push(idOf(list.zone.toLowerCase()))
    }
    if (list.keyZone) {
      const suffix = list.keyZone.replace('<key>.', '')
      zones.push('[a-z0-9]+\\.' + escape(suffix))
      zoneNames.push(idOf(suffix.toLowerCase()))
    }
    return {
      list,
      zoneNames,
      // Not preceded by a label character or '-' (so xbl.spamhaus.org does not match inside sbl-xbl.spamhaus.org).
      zone: zones.length ? new RegExp(`(?<![a-z0-9-])(?:${zones.join('|')})(?![a-z0-9-])`, 'i') : undefined,
      patterns: list.rejectionPatterns.map((p) => {
        const lit = requiredLiteral(p)
        return { re: new RegExp(p, 'i'), need: lit !== undefined ? idOf(lit) : -1 }
      }),
      operator: list.zone ? (getDomain(list.zone) ?? undefined) : undefined
    }
  })
  const c = { lists, names: new SubstringIndex([...ids.keys()]) }
  compiledCache.set(catalogue, c)
  return c
}

export function matchRejectionText(text: string, catalogue: Catalogue = loadCatalogue()): RejectionMatch[] {
  const strong: RejectionMatch[] = []
  const weak: (RejectionMatch & { operator?: string })[] = []
  // Operators (registrable domains of the zones) matched by name: their lists' wording matches are redundant.
  // Precompiled per list (compile: `operator`), so no catalogue entry's own fields are read here.
  const strongOperators = new Set<string>()
  const { lists, names } = compile(catalogue)
  const present = names.find(text.toLowerCase())
  for (const c of lists) {
    const z = c.zoneNames.some((n) => present[n]) ? c.zone?.exec(text) : undefined
    if (z) {
      strong.push({ list: c.list, match: z[0], index: z.index, strength: 'zone' })
      if (c.operator) strongOperators.add(c.operator)
      continue
    }
    for (const { re, need } of c.patterns) {
      if (need >= 0 && !present[need]) continue
      const m = re.exec(text)
      if (m) {
        weak.push({ list: c.list, match: m[0], index: m.index, strength: 'pattern', operator: c.operator })
        break
      }
    }
  }
  const kept = weak
    .filter((w) => !(w.operator && strongOperators.has(w.operator)))
    .map(({ operator: _operator, ...m }) => m)
  return [...strong, ...kept].sort((a, b) => a.index - b.index)
}
