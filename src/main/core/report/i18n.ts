import en from '../../../../resources/locales/en/report.json'
import fr from '../../../../resources/locales/fr/report.json'
import type { ReportLanguage } from '../../../shared/schemas/workflow'

/**
 * Report strings, loaded in node from the same catalogues format as the UI (resources/locales/<lang>/report.json)
 * so translators edit one kind of file. Dates and numbers go through Intl in the report's language.
 */
const catalogues: Record<ReportLanguage, unknown> = { en, fr }

export interface Translator {
  lang: ReportLanguage
  t(key: string, vars?: Record<string, string | number>): string
  date(iso: string | null | undefined): string
  number(n: number, opts?: Intl.NumberFormatOptions): string
}

export function translator(lang: ReportLanguage): Translator {
  const lookup = (cat: unknown, key: string): string | undefined => {
    let v: unknown = cat
    for (const part of key.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
    return typeof v === 'string' ? v : undefined
  }
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
  return {
    lang,
    t(key, vars = {}) {
      const s = lookup(catalogues[lang], key) ?? lookup(catalogues.en, key) ?? key
      return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k in vars ? String(vars[k]) : ''))
    },
    date(iso) {
      if (!iso) return '—'
      const d = new Date(iso)
      return Number.isNaN(d.getTime()) ? iso : `${dateFmt.format(d)} UTC`
    },
    number: (n, opts) => new Intl.NumberFormat(lang, opts).format(n)
  }
}
