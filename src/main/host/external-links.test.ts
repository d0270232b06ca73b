import { describe, expect, it } from 'vitest'
import { externalLinkOrigins, loadCatalogue } from '../core/blocklist/catalogue'
import { getRejectionEntries } from '../core/kb/match-rejection'
import { allowExternalOrigins, isAllowedExternalUrl } from './external-links'

describe('external links', () => {
  it('opens https only: plain http is refused even on an allowlisted host', () => {
    expect(isAllowedExternalUrl('https://www.rfc-editor.org/rfc/rfc5321')).toBe(true)
    expect(isAllowedExternalUrl('http://www.rfc-editor.org/rfc/rfc5321')).toBe(false)
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false)
    expect(isAllowedExternalUrl('https://user:pw@www.rfc-editor.org/')).toBe(false)
  })

  it('never allowlists an http:// origin handed in by a catalogue', () => {
    allowExternalOrigins(['http://plain.example/removal', 'https://tls.example/removal'])
    expect(isAllowedExternalUrl('http://plain.example/removal')).toBe(false)
    expect(isAllowedExternalUrl('https://plain.example/removal')).toBe(false)
    expect(isAllowedExternalUrl('https://tls.example/removal')).toBe(true)
  })

  it('every link the app offers to open (blocklist docs and removal pages, knowledge base) is https', () => {
    const catalogue = loadCatalogue()
    const plain = [
      ...catalogue.lists.flatMap((l) => [l.docs, l.removal.url]),
      ...getRejectionEntries().flatMap((e) => [e.reference, e.delistUrl, ...e.urls.map((u) => u.url)])
    ].filter((u): u is string => !!u && u.startsWith('http:'))
    expect(plain).toEqual([])
    expect(externalLinkOrigins().filter((o) => !o.startsWith('https:'))).toEqual([])
  })
})
