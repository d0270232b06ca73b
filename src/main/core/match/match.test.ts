import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import kbData from '../../../../resources/rejections.json'
import blocklistData from '../../../../resources/blocklists.json'
import { requiredLiteral } from './required-literal'
import { SubstringIndex } from './substring-index'

describe('requiredLiteral', () => {
  it('reads the longest run of plain characters, lowercased', () => {
    expect(requiredLiteral('Access denied, banned sending IP')).toBe('access denied, banned sending ip')
    expect(requiredLiteral('5\\.7\\.511\\b[^\\n]{0,40}?banned sender')).toBe('banned sender')
  })
  it('leaves out optional characters and quantifier bounds', () => {
    expect(requiredLiteral('\\(?\\bA?S3150\\)?')).toBe('s3150')
    expect(requiredLiteral('a TLS session is required,? but')).toBe('a tls session is required')
    expect(requiredLiteral('x[^\\n]{0,80}')).toBeUndefined()
    expect(requiredLiteral('abc+defg')).toBe('defg')
  })
  it('gives up on top-level alternatives, escapes with arguments and short runs', () => {
    expect(requiredLiteral('spamhaus|spamcop')).toBeUndefined()
    expect(requiredLiteral('\\x41bcdef')).toBeUndefined()
    expect(requiredLiteral('(a)\\1xyz')).toBeUndefined()
    expect(requiredLiteral('(?:zen|sbl)\\.x')).toBeUndefined()
    expect(requiredLiteral('(?:zen|sbl)\\.spamhaus')).toBe('.spamhaus')
  })

  it('reads a brace that is no quantifier as a literal, never as bounds to skip', () => {
    // Without the u flag "{x" is a plain brace (ECMA-262 Annex B): skipping to "}" would jump over the "|".
    expect(requiredLiteral('blocked{x|spamhaus}')).toBeUndefined()
    expect(/blocked{x|spamhaus}/i.test('listed by spamhaus}')).toBe(true)
    expect(requiredLiteral('x{2,}blocklisted')).toBe('blocklisted')
  })
  it('never skips a pattern that matches one of the knowledge base examples', () => {
    const entries = (kbData as { entries: { patterns: string[]; examples?: string[] }[] }).entries
    let checked = 0
    for (const e of entries)
      for (const p of e.patterns) {
        const lit = requiredLiteral(p)
        for (const ex of e.examples ?? [])
          if (lit !== undefined && new RegExp(p, 'i').test(ex)) {
            expect(ex.toLowerCase(), p).toContain(lit)
            checked++
          }
      }
    expect(checked).toBeGreaterThan(100)
  })
  it('finds a literal for every blocklist rejection pattern', () => {
    const lists = (blocklistData as { lists: { rejectionPatterns?: string[] }[] }).lists
    for (const l of lists)
      for (const p of l.rejectionPatterns ?? []) expect(requiredLiteral(p), p).toBeDefined()
  })
})

describe('SubstringIndex', () => {
  it('finds every occurring string, overlapping or repeated, and only those', () => {
    const idx = new SubstringIndex(['user unknown', 'unknown', 'over quota', 'user'])
    expect([...idx.find('550 user unknown; user unknown')]).toEqual([1, 1, 0, 1])
    expect([...idx.find('')]).toEqual([0, 0, 0, 0])
    expect([...idx.find('use')]).toEqual([0, 0, 0, 0])
  })
  it('finds exactly the strings `includes` finds', () => {
    // A small alphabet makes shared prefixes, suffixes that are other strings' prefixes, repeats and overlaps common.
    const str = (min: number) =>
      fc
        .array(fc.constantFrom('a', 'b', 'c', ' ', 'é'), { minLength: min, maxLength: 8 })
        .map((a) => a.join(''))
    fc.assert(
      fc.property(fc.array(str(3), { minLength: 1, maxLength: 12 }), str(0), (strings, text) => {
        const found = new SubstringIndex(strings).find(text + 'x' + text)
        return strings.every((s, i) => found[i] === ((text + 'x' + text).includes(s) ? 1 : 0))
      }),
      { numRuns: 3000 }
    )
  })
  it('refuses strings too short to index', () => {
    expect(() => new SubstringIndex(['ab'])).toThrow(/too short/)
  })
})
