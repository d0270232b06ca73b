/**
 * External links leave the app only for http(s) URLs whose origin is on an allowlist: the documentation and
 * removal pages named in the catalogues (blocklists, rejection knowledge base) plus a few standards sites.
 * A message can contain any link; none of them opens just because it was rendered.
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
      if (url.protocol === 'https:' || url.protocol === 'http:') dynamicAllowed.add(url.origin)
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
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
  if (url.username || url.password) return false
  return STATIC_ALLOWED.has(url.origin) || dynamicAllowed.has(url.origin)
}
