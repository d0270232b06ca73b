import i18n from 'i18next'
import { initReactI18next, useTranslation } from 'react-i18next'
import { formatText, kbCatalogue, type Text } from '@shared/text'

export const languages = ['en', 'fr'] as const
export type Language = (typeof languages)[number]

/**
 * Catalogues live in resources/locales/<lang>/<namespace>.json, one namespace per area (common, diagnose,
 * domain, blocklist, workflow), so each area's strings are edited in one place. A unit test fails when a key
 * exists in one language and not the other.
 */
const files = import.meta.glob('../../../../resources/locales/*/*.json', {
  eager: true,
  import: 'default'
}) as Record<string, Record<string, unknown>>
const resources: Record<string, Record<string, Record<string, unknown>>> = {}
for (const [path, data] of Object.entries(files)) {
  const m = /locales\/([a-z]{2})\/([\w-]+)\.json$/.exec(path)
  if (!m) continue
  ;(resources[m[1]] ??= {})[m[2]] = data
}
// The knowledge base's titles, explanations and fixes, so verdicts quoting an entry read in the chosen language
for (const lang of languages) (resources[lang] ??= {}).kb = kbCatalogue(lang)
export const namespaces = Object.keys(resources.en ?? { common: {} })

/** The system language when we have it, else English. */
export function systemLanguage(): Language {
  const l = (navigator.language || 'en').slice(0, 2).toLowerCase()
  return (languages as readonly string[]).includes(l) ? (l as Language) : 'en'
}

void i18n.use(initReactI18next).init({
  resources,
  ns: namespaces,
  defaultNS: 'common',
  fallbackNS: 'common',
  lng: systemLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false } // React escapes
})

export default i18n

/**
 * Building an Intl formatter costs far more than using one, and a long hop chain or recipient list formats
 * thousands of values: formatters are kept per language and options.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()
function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined
  if (!f) formatters.set(key, (f = make()))
  return f
}

/** Dates and numbers go through Intl in the current language. */
export function fmtDate(iso: string | null | undefined, lang = i18n.language): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatter(
    `date|${lang}`,
    () => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' })
  ).format(d)
}
export function fmtNumber(n: number, lang = i18n.language, opts?: Intl.NumberFormatOptions): string {
  return formatter(
    `number|${lang}|${opts ? JSON.stringify(opts) : ''}`,
    () => new Intl.NumberFormat(lang, opts)
  ).format(n)
}
export function fmtDuration(sec: number | null | undefined, lang = i18n.language): string {
  if (sec === null || sec === undefined) return '—'
  const sign = sec < 0 ? '−' : ''
  const a = Math.abs(sec)
  if (a < 60) return `${sign}${fmtNumber(a, lang, { maximumFractionDigits: 1 })} s`
  if (a < 3600) return `${sign}${fmtNumber(a / 60, lang, { maximumFractionDigits: 1 })} min`
  if (a < 86400) return `${sign}${fmtNumber(a / 3600, lang, { maximumFractionDigits: 1 })} h`
  return `${sign}${fmtNumber(a / 86400, lang, { maximumFractionDigits: 1 })} d`
}

/**
 * Renders backend Texts (code + params) in the current language. Legacy analyses stored before Texts existed
 * carry only English strings: pass them as the fallback.
 */
export function useText(): (t: Text | Text[] | undefined, fallback?: string) => string {
  const { t: translate } = useTranslation()
  return (t, fallback = '') => {
    if (!t || (Array.isArray(t) && t.length === 0)) return fallback
    const one = (x: Text) => formatText(x, (code, params) => translate(code, params))
    return Array.isArray(t) ? t.map(one).join(' ') : one(t)
  }
}

/**
 * A failed call in the reader's language where the backend's error allows it: the input schema's refusal names the
 * fields to check (the schema's own wording is English); other errors keep the backend's message.
 */
export function useErrorText(): (e: unknown) => string {
  const { t } = useTranslation()
  const tx = useText()
  return (e) => {
    const err = e as { code?: string; issues?: { path: string }[]; message?: string; text?: Text }
    if (err.text) return tx(err.text, err.message)
    if (err.code === 'INVALID_INPUT' && err.issues?.length) {
      const fields = [...new Set(err.issues.map((i) => i.path.replace(/^input\./, '')))].join(', ')
      return t('common:errors.invalidInput', { fields })
    }
    return err.message ?? String(e)
  }
}
