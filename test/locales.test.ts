import { events } from '../src/shared/events'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { allFindings } from '../src/main/core/text/__fixtures__/producer-inputs'
import { kbCatalogue, type Text } from '../src/shared/text'

const DIR = join(__dirname, '../resources/locales')

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix]
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}
/** i18next plural suffixes differ by language (French has _many); compare the base keys. */
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '')

describe('locale catalogues', () => {
  const langs = readdirSync(DIR)
  const namespaces = readdirSync(join(DIR, 'en')).filter((f) => f.endsWith('.json'))

  it('has English and French with the same namespaces', () => {
    expect(langs.sort()).toEqual(['en', 'fr'])
    expect(readdirSync(join(DIR, 'fr')).sort()).toEqual([...namespaces].sort())
  })

  for (const ns of namespaces) {
    it(`${ns}: every key exists in both languages and no value is empty`, () => {
      const en = JSON.parse(readFileSync(join(DIR, 'en', ns), 'utf8'))
      const fr = JSON.parse(readFileSync(join(DIR, 'fr', ns), 'utf8'))
      const enKeys = new Set(keys(en).filter(Boolean).map(base))
      const frKeys = new Set(keys(fr).filter(Boolean).map(base))
      expect(
        [...enKeys].filter((k) => !frKeys.has(k)),
        'missing in French'
      ).toEqual([])
      expect(
        [...frKeys].filter((k) => !enKeys.has(k)),
        'missing in English'
      ).toEqual([])
      for (const k of keys(en).concat(keys(fr))) expect(k).not.toBe('')
    })
  }

  it('every t() key used by the renderer exists in English', () => {
    const src = join(__dirname, '../src/renderer/src')
    const files: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name))
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')) files.push(join(d, e.name))
      }
    }
    walk(src)
    const catalogue: Record<string, Set<string>> = {}
    for (const ns of namespaces) {
      catalogue[ns.replace('.json', '')] = new Set(
        keys(JSON.parse(readFileSync(join(DIR, 'en', ns), 'utf8'))).map(base)
      )
    }
    const missing: string[] = []
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      const nsMatch = /useTranslation\(\s*'([\w-]+)'/.exec(text)
      const defaultNs = nsMatch ? nsMatch[1] : 'common'
      for (const m of text.matchAll(/\bt\(\s*'([\w.:-]+)'/g)) {
        const [ns, key] = m[1].includes(':') ? m[1].split(':') : [defaultNs, m[1]]
        if (!catalogue[ns]?.has(key) && !catalogue.common.has(key))
          missing.push(`${f.slice(src.length + 1)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})

/**
 * Backend codes: every Text the backend emits ("namespace:key", shared/text.ts) must exist in English and French.
 * Two nets: (1) a static scan of src/main and src/shared for code literals, and for template codes
 * (`checks:spfTerm.${code}`) a check that some key starts with the fixed part; (2) the codes the finding
 * producers really emit over the fixtures in src/main/core/text/__fixtures__, nested params included.
 */
describe('backend codes', () => {
  const namespaces = readdirSync(join(DIR, 'en'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace('.json', ''))
  const catalogue = (lang: 'en' | 'fr'): Record<string, unknown> => {
    const out: Record<string, unknown> = { kb: kbCatalogue(lang) }
    for (const ns of namespaces) out[ns] = JSON.parse(readFileSync(join(DIR, lang, `${ns}.json`), 'utf8'))
    return out
  }
  const cats = { en: catalogue('en'), fr: catalogue('fr') }
  const flat = {
    en: Object.fromEntries(Object.entries(cats.en).map(([ns, c]) => [ns, keys(c).map(base)])),
    fr: Object.fromEntries(Object.entries(cats.fr).map(([ns, c]) => [ns, keys(c).map(base)]))
  }
  const split = (code: string): [string, string] => {
    const i = code.indexOf(':')
    return [code.slice(0, i), code.slice(i + 1)]
  }
  const has = (lang: 'en' | 'fr', code: string): boolean => {
    const [ns, key] = split(code)
    return (flat[lang][ns] ?? []).includes(key)
  }
  const hasPrefix = (lang: 'en' | 'fr', prefix: string): boolean => {
    const [ns, key] = split(prefix)
    return (flat[lang][ns] ?? []).some((k) => k.startsWith(key))
  }
  const missingIn = (codes: Iterable<string>, check: typeof has): string[] =>
    [...codes].flatMap((c) => (['en', 'fr'] as const).filter((l) => !check(l, c)).map((l) => `${l}: ${c}`))

  const sources = (): { file: string; text: string }[] => {
    const out: { file: string; text: string }[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name))
        else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name))
          out.push({ file: join(d, e.name), text: readFileSync(join(d, e.name), 'utf8') })
      }
    }
    walk(join(__dirname, '../src/main'))
    walk(join(__dirname, '../src/shared'))
    return out
  }
  const nsAlt = () => [...namespaces, 'kb'].join('|')

  it('every code literal in src/main and src/shared exists in English and French', () => {
    const literal = new RegExp(`['"\`]((?:${nsAlt()}):[A-Za-z0-9_.-]*[A-Za-z0-9_])['"\`]`, 'g')
    const codes = new Set<string>()
    // Event names ('watch:changed', 'case:changed') share the ns:key shape; they are names, not texts.
    const eventNames = new Set(Object.keys(events))
    for (const { text } of sources())
      for (const m of text.matchAll(literal)) if (!eventNames.has(m[1])) codes.add(m[1])
    expect(codes.size).toBeGreaterThan(300)
    expect(missingIn(codes, has)).toEqual([])
  })

  it('every template code (`ns:key.${…}`) has keys under its fixed part in English and French', () => {
    const template = new RegExp(`\`((?:${nsAlt()}):[A-Za-z0-9_.-]*)\\$\\{`, 'g')
    const prefixes = new Set<string>()
    for (const { text } of sources()) for (const m of text.matchAll(template)) prefixes.add(m[1])
    expect(prefixes.size).toBeGreaterThan(10)
    expect(missingIn(prefixes, hasPrefix)).toEqual([])
  })

  it('every code the finding producers emit over the fixtures exists in English and French', async () => {
    const all = await allFindings()
    const codes = new Set<string>()
    const collect = (t: Text | undefined) => {
      if (!t) return
      codes.add(t.code)
      for (const v of Object.values(t.params ?? {})) if (v && typeof v === 'object') collect(v)
    }
    for (const f of Object.values(all).flat()) {
      collect(f.titleText)
      for (const t of f.detailText ?? []) collect(t)
      collect(f.fixText)
    }
    expect(codes.size).toBeGreaterThan(150)
    expect(missingIn(codes, has)).toEqual([])
  })

  it('the blocklist catalogue has French for every description it has in English', () => {
    const en = JSON.stringify(keys(cats.en.kb && (cats.en.kb as Record<string, unknown>).bl).sort())
    const fr = JSON.stringify(keys(cats.fr.kb && (cats.fr.kb as Record<string, unknown>).bl).sort())
    expect(fr).toBe(en)
    const lists = (cats.fr.kb as { bl: Record<string, Record<string, unknown>> }).bl
    const enLists = (cats.en.kb as { bl: Record<string, Record<string, unknown>> }).bl
    const untranslated = Object.keys(enLists).filter(
      (id) => enLists[id].weight !== undefined && lists[id].weight === enLists[id].weight
    )
    expect(untranslated).toEqual([])
  })
})
