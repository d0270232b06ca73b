import catalogueJson from '../../../../resources/blocklists.json'
import { Catalogue, type BlocklistEntry, type ListType } from '../../../shared/schemas/blocklist'

/**
 * The blocklist catalogue shipped in resources/blocklists.json.
 *
 * Every fact in it (zone, return codes, error codes, removal) was checked against the operator's documentation
 * listed in the entry's `docs`/`sources`; the JSON is validated here so a bad edit fails loudly at start-up and in
 * the unit tests rather than producing a wrong "listed".
 */

let cached: Catalogue | undefined

/** Parse and validate a catalogue document (throws a ZodError with every problem). */
export function parseCatalogue(doc: unknown): Catalogue {
  return Catalogue.parse(doc)
}

/** The bundled catalogue, validated once. */
export function loadCatalogue(): Catalogue {
  cached ??= parseCatalogue(catalogueJson)
  return cached
}

export function getList(id: string, catalogue: Catalogue = loadCatalogue()): BlocklistEntry | undefined {
  return catalogue.lists.find((l) => l.id === id)
}

/** DNS lists that may be queried: not defunct, not providers. */
export function activeLists(catalogue: Catalogue = loadCatalogue()): BlocklistEntry[] {
  return catalogue.lists.filter((l) => !l.defunct && l.kind !== 'provider')
}

/** The default sweep: active lists marked defaultEnabled (sub-zones of ZEN etc. are opt-in). */
export function defaultLists(catalogue: Catalogue = loadCatalogue()): BlocklistEntry[] {
  return activeLists(catalogue).filter((l) => l.defaultEnabled)
}

export function listsForType(type: ListType, lists: BlocklistEntry[]): BlocklistEntry[] {
  return lists.filter((l) => l.type.includes(type))
}

export interface CatalogueCounts {
  total: number
  active: number
  ip4: number
  ip6: number
  domain: number
  allow: number
  info: number
  defunct: number
  provider: number
  requiresKey: number
}

export function catalogueCounts(catalogue: Catalogue = loadCatalogue()): CatalogueCounts {
  const active = activeLists(catalogue)
  return {
    total: catalogue.lists.length,
    active: active.length,
    ip4: active.filter((l) => l.type.includes('ip4')).length,
    ip6: active.filter((l) => l.type.includes('ip6')).length,
    domain: active.filter((l) => l.type.includes('domain')).length,
    allow: active.filter((l) => l.kind === 'allow').length,
    info: active.filter((l) => l.kind === 'info').length,
    defunct: catalogue.lists.filter((l) => l.defunct).length,
    provider: catalogue.lists.filter((l) => l.kind === 'provider').length,
    requiresKey: active.filter((l) => l.requiresKey).length
  }
}

/**
 * Origins (scheme://host[:port]) of every removal and documentation URL in the catalogue, for the shell's
 * external-link allowlist: the renderer may only open links to these origins.
 */
export function externalLinkOrigins(catalogue: Catalogue = loadCatalogue()): string[] {
  const origins = new Set<string>()
  for (const l of catalogue.lists) {
    for (const u of [l.docs, l.removal.url]) {
      if (!u) continue
      const url = new URL(u)
      if (url.protocol === 'https:' || url.protocol === 'http:') origins.add(url.origin)
    }
  }
  return [...origins].sort()
}

/** True when `href` points at an origin in the allowlist (exact origin match, http/https only). */
export function isAllowedExternalLink(
  href: string,
  origins: readonly string[] = externalLinkOrigins()
): boolean {
  try {
    const url = new URL(href)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
    if (url.username || url.password) return false
    return origins.includes(url.origin)
  } catch {
    return false
  }
}
