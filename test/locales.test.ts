import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

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
