import { z } from 'zod'
import blocklistData from '../../resources/blocklists.json'
import kbData from '../../resources/rejections.json'

/**
 * Text is data: what the backend says (verdicts, next steps, findings, timeline events) travels as a `code` and
 * `params`, and is rendered through the catalogues in resources/locales/<lang>/<namespace>.json in the UI, the
 * reports and the CLI alike. A code is an i18next key with its namespace: "verdict:title.blocklist". Params are
 * data, never translated: quoted evidence (SMTP replies, header values), addresses, IPs, list names stay verbatim.
 */
export type TextParam = string | number | boolean | null | Text
export interface Text {
  code: string
  /** Values to interpolate; a param that is itself a Text is rendered in the same language first. */
  params?: Record<string, TextParam>
}
export const TextParam: z.ZodType<TextParam> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), Text])
)
export const Text: z.ZodType<Text> = z.lazy(() =>
  z.object({ code: z.string(), params: z.record(z.string(), TextParam).optional() })
)

export function text(code: string, params?: Record<string, TextParam | undefined>): Text {
  if (!params) return { code }
  const clean: Record<string, TextParam> = {}
  for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v
  return { code, params: clean }
}

/**
 * Renders a Text with a lookup (i18next's `t` in the UI, the catalogues in node): nested Text params first, so
 * "to {{recipient}} ({{codes}})" inside "The message {{where}} was refused" reads right in every language.
 */
export function formatText(
  t: Text,
  lookup: (code: string, params: Record<string, unknown>) => string
): string {
  const params: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(t.params ?? {}))
    params[k] = v !== null && typeof v === 'object' ? formatText(v, lookup) : v
  return lookup(t.code, params)
}

/** The knowledge-base key of an entry's field: ids contain dots, which i18next reads as nesting. */
export const kbKey = (id: string, field: 'title' | 'explanation' | 'fix'): string =>
  `kb:${id.replace(/\./g, '_')}.${field}`

interface KbEntryText {
  id: string
  title: string
  explanation: string
  fix: string
  fr?: { title: string; explanation: string; fix: string }
}

/**
 * The knowledge base (resources/rejections.json) as an i18next namespace per language, so a verdict that quotes an
 * entry renders its title, explanation and fix in the reader's language like any other text.
 */
export function kbCatalogue(lang: 'en' | 'fr'): Record<string, unknown> {
  const out: Record<string, unknown> = { bl: blocklistCatalogue(lang) }
  for (const e of (kbData as { entries: KbEntryText[] }).entries) {
    const src = lang === 'fr' && e.fr ? e.fr : e
    out[e.id.replace(/\./g, '_')] = { title: src.title, explanation: src.explanation, fix: src.fix }
  }
  return out
}

interface BlocklistText {
  returnCodes?: Record<string, string>
  errorCodes?: Record<string, string>
  weight?: { note?: string }
  removal?: { expiry?: string; notes?: string }
  notes?: string
}
type BlocklistEntryText = BlocklistText & { id: string; fr?: BlocklistText }

const dots = (s: string): string => s.replace(/\./g, '_')
const codesOf = (m: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [dots(k), v]))

/**
 * The blocklist catalogue's descriptions (resources/blocklists.json: return-code meanings, weight, expiry and
 * removal notes, with their French in each entry's `fr`) under "kb:bl.<list id>", so blocklist findings render
 * the operator's documentation in the reader's language. Codes hold dots, which i18next reads as nesting.
 */
export function blocklistCatalogue(lang: 'en' | 'fr'): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const e of (blocklistData as unknown as { lists: BlocklistEntryText[] }).lists) {
    const src: BlocklistText = lang === 'fr' && e.fr ? e.fr : e
    const entry: Record<string, unknown> = {
      codes: codesOf(src.returnCodes),
      errors: codesOf(src.errorCodes)
    }
    if (src.weight?.note) entry.weight = src.weight.note
    if (src.removal?.expiry) entry.expiry = src.removal.expiry
    if (src.removal?.notes) entry.removalNotes = src.removal.notes
    if (src.notes) entry.notes = src.notes
    out[dots(e.id)] = entry
  }
  return out
}
