import { describe, expect, it } from 'vitest'
import catalogueJson from '../../../../resources/blocklists.json'
import { Catalogue } from '../../../shared/schemas/blocklist'
import {
  activeLists,
  catalogueCounts,
  defaultLists,
  externalLinkOrigins,
  isAllowedExternalLink,
  loadCatalogue,
  parseCatalogue
} from './catalogue'

describe('resources/blocklists.json', () => {
  const catalogue = loadCatalogue()

  it('validates against the schema', () => {
    const r = Catalogue.safeParse(catalogueJson)
    expect(r.success, r.success ? '' : JSON.stringify(r.error.issues, null, 1)).toBe(true)
  })

  it('has at least 50 active DNS lists covering ip4, ip6 and domains', () => {
    const c = catalogueCounts(catalogue)
    expect(c.active).toBeGreaterThanOrEqual(50)
    expect(c.ip4).toBeGreaterThan(30)
    expect(c.ip6).toBeGreaterThanOrEqual(5)
    expect(c.domain).toBeGreaterThanOrEqual(10)
    expect(c.allow).toBeGreaterThanOrEqual(2)
    expect(c.defunct).toBeGreaterThanOrEqual(10)
    expect(c.provider).toBeGreaterThanOrEqual(6)
  })

  it('has unique ids and unique active zones', () => {
    const ids = catalogue.lists.map((l) => l.id)
    expect(new Set(ids).size).toBe(ids.length)
    const zones = activeLists(catalogue).map((l) => l.zone)
    expect(new Set(zones).size).toBe(zones.length)
  })

  it('gives every active list test points for a type it supports, return codes and a removal method', () => {
    for (const l of activeLists(catalogue)) {
      const tested = l.type.filter((t) => (l.testPoints[t]?.listed.length ?? 0) > 0)
      expect(tested.length, l.id).toBeGreaterThan(0)
      expect(Object.keys(l.returnCodes).length, l.id).toBeGreaterThan(0)
      expect(l.removal.method, l.id).toBeTruthy()
      expect(l.weight.note.length, l.id).toBeGreaterThan(3)
    }
  })

  it('has valid http(s) URLs everywhere', () => {
    for (const l of catalogue.lists) {
      for (const u of [l.docs, l.removal.url].filter((x): x is string => !!x)) {
        expect(() => new URL(u), `${l.id} ${u}`).not.toThrow()
        expect(new URL(u).protocol, `${l.id} ${u}`).toMatch(/^https?:$/)
      }
    }
  })

  it('never queries defunct lists or providers', () => {
    const active = new Set(activeLists(catalogue).map((l) => l.id))
    for (const id of [
      'sorbs',
      'ahbl',
      'njabl',
      'dsbl',
      'spamcannibal',
      'nixspam',
      'wpbl',
      'microsoft',
      'gmail'
    ]) {
      expect(
        catalogue.lists.some((l) => l.id === id),
        id
      ).toBe(true)
      expect(active.has(id), id).toBe(false)
    }
    expect(defaultLists(catalogue).every((l) => !l.defunct)).toBe(true)
  })

  it('records the error codes that must never read as a listing', () => {
    const byId = new Map(catalogue.lists.map((l) => [l.id, l]))
    expect(byId.get('spamhaus-zen')?.errorCodes['127.255.255.254']).toMatch(/public/i)
    expect(byId.get('uribl-multi')?.errorCodes['127.0.0.1']).toMatch(/refused/i)
    expect(byId.get('surbl-multi')?.errorCodes['127.0.0.1']).toBeTruthy()
    expect(byId.get('dnswl')?.errorCodes['127.0.0.255']).toBeTruthy()
    expect(byId.get('spamhaus-zen')?.keyZone).toBe('<key>.zen.dq.spamhaus.net')
    expect(byId.get('abusix-combined')?.requiresKey).toBe(true)
  })

  it('rejects a broken catalogue (duplicate ids, active list without test points, bad URL)', () => {
    const doc = structuredClone(catalogueJson) as { lists: Record<string, unknown>[] }
    doc.lists.push({ ...doc.lists[0] })
    expect(() => parseCatalogue(doc)).toThrow(/duplicate id/)
    const noTests = structuredClone(catalogueJson) as { lists: Record<string, unknown>[] }
    noTests.lists[0] = { ...noTests.lists[0], testPoints: {} }
    expect(() => parseCatalogue(noTests)).toThrow(/test points/)
    const badUrl = structuredClone(catalogueJson) as { lists: Record<string, unknown>[] }
    badUrl.lists[0] = { ...badUrl.lists[0], docs: 'javascript:alert(1)' }
    expect(() => parseCatalogue(badUrl)).toThrow()
  })

  it('builds the external-link allowlist from removal and docs origins', () => {
    const origins = externalLinkOrigins(catalogue)
    expect(origins).toContain('https://check.spamhaus.org')
    expect(origins).toContain('https://www.barracudacentral.org')
    expect(origins.every((o) => /^https?:\/\/[^/]+$/.test(o))).toBe(true)
    expect(isAllowedExternalLink('https://check.spamhaus.org/listed/?searchterm=192.0.2.1', origins)).toBe(
      true
    )
    expect(isAllowedExternalLink('https://check.spamhaus.org.evil.example/', origins)).toBe(false)
    expect(isAllowedExternalLink('https://user@check.spamhaus.org/', origins)).toBe(false)
    expect(isAllowedExternalLink('file:///etc/passwd', origins)).toBe(false)
  })
})
