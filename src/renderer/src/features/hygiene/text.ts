import type { TFunction } from 'i18next'

/** Renders a backend `{code, params}` in the current language (TEXT IS DATA); causes use diagnose's names. */
export function renderText(
  t: TFunction,
  text: { code: string; params: Record<string, string | number> }
): string {
  const params = { ...text.params }
  if (typeof params.cause === 'string')
    params.cause = t(`diagnose:cause.${params.cause}`, { defaultValue: params.cause })
  return t(`hygiene:${text.code}`, { ...params, defaultValue: String(params.message ?? text.code) })
}

export function renderError(
  t: TFunction,
  e: { code: string; params: Record<string, string | number>; message: string }
) {
  return t(`hygiene:error.${e.code}`, { ...e.params, defaultValue: e.message })
}

export const pct = (x: number | null, lang: string) =>
  x === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(x)
