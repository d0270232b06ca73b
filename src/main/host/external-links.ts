/**
 * External links leave the app only for https URLs whose origin is on an allowlist: the documentation and
 * removal pages named in the catalogues (blocklists, rejection knowledge base) plus a few standards sites.
 * A message can contain any link; none of them opens just because it was rendered.
 * Plain http is refused: a delisting form or a provider's login reached over http can be rewritten by anyone on
 * the path, and the user would carry what they type there (IPs, case details, credentials) in the clear.
 */
const STATIC_ALLOWED = new Set<string>([
  'https://www.rfc-editor.org',
  'https://datatracker.ietf.org',
  'https://learn.microsoft.com',
  'https://support.google.com',
  'https://postmaster.google.com',
  'https://senders.yahooinc.com',
  'https://sender.office.com',
  'https://www.spamhaus.org',
  'https://check.spamhaus.org'
])

const dynamicAllowed = new Set<string>()

export function allowExternalOrigins(urls: Iterable<string>): void {
  for (const u of urls) {
    try {
      const url = new URL(u)
      // An http:// catalogue entry is not allowlisted (not even upgraded): its https twin was never vetted.
      if (url.protocol === 'https:') dynamicAllowed.add(url.origin)
    } catch {
      /* ignore malformed catalogue URLs; the catalogue test reports them */
    }
  }
}

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol !== 'https:') return false
  if (url.username || url.password) return false
  return STATIC_ALLOWED.has(url.origin) || dynamicAllowed.has(url.origin)
}
