import type { ReportLanguage } from '../../../shared/schemas/workflow'
import type { Text } from '../../../shared/text'
import { renderText, renderTexts } from '../text/render'

/** Report strings: the "report" namespace, plus any backend Text, in the report's language. */
export interface Translator {
  lang: ReportLanguage
  t(key: string, vars?: Record<string, string | number>): string
  /** A Text from the backend (verdicts, findings, next steps) in this language. */
  text(t: Text | Text[]): string
  date(iso: string | null | undefined): string
  number(n: number, opts?: Intl.NumberFormatOptions): string
}

export function translator(lang: ReportLanguage): Translator {
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
  return {
    lang,
    // The report namespace through the same renderer as every Text (plural keys by `count`, English fallback).
    t: (key, vars = {}) => renderText(lang, { code: `report:${key}`, params: vars }),
    text: (t) => (Array.isArray(t) ? renderTexts(lang, t) : renderText(lang, t)),
    date(iso) {
      if (!iso) return '—'
      const d = new Date(iso)
      return Number.isNaN(d.getTime()) ? iso : `${dateFmt.format(d)} UTC`
    },
    number: (n, opts) => new Intl.NumberFormat(lang, opts).format(n)
  }
}
