import type { FixLine, FixSnippet, FixSnippetKind } from '../../../shared/schemas/fix'
import type { Text } from '../../../shared/text'
import { renderText } from '../text/render'

/** A generated sentence: a Text (catalogue `fix`), or a string that is data and stays as it is. */
export type Say = string | Text

const en = (x: Say): string => (typeof x === 'string' ? x : renderText('en', x))

/**
 * Warnings as the schemas carry them: English strings for the CLI, and the same as Texts for the reader's language
 * (only when every warning is a Text, so the two lists stay index for index).
 */
export function warningsOf(list: Say[]): { warnings: string[]; warningTexts?: Text[] } {
  const warnings = list.map(en)
  return list.length > 0 && list.every((w) => typeof w !== 'string')
    ? { warnings, warningTexts: list as Text[] }
    : { warnings }
}

/**
 * Builds a snippet. By default the copyable text is exactly its lines, so explanations never drift from the
 * text; DNS records pass `text` (the zone-file line) and explain the record term by term in `lines`.
 */
export function snippet(
  id: string,
  title: Say,
  kind: FixSnippetKind,
  lines: FixLine[],
  extra: { name?: string; record?: string; text?: string; warnings?: Say[] } = {}
): FixSnippet {
  return {
    id,
    title: en(title),
    ...(typeof title === 'string' ? {} : { titleText: title }),
    kind,
    name: extra.name,
    record: extra.record,
    text: extra.text ?? lines.map((l) => l.text).join('\n'),
    lines,
    ...warningsOf(extra.warnings ?? [])
  }
}

export const line = (text: string, explanation: Say): FixLine => ({
  text,
  explanation: en(explanation),
  ...(typeof explanation === 'string' ? {} : { explanationText: explanation })
})

/**
 * Splits a TXT value into character-strings of at most `max` octets. One DNS character-string holds 255 octets
 * (RFC 1035 §3.3.14); verifiers concatenate the strings without separators (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
 * Values are ASCII here, so characters equal octets.
 */
export function splitTxt(value: string, max = 255): string[] {
  if (max < 1) throw new Error('max must be positive')
  const out: string[] = []
  for (let i = 0; i < value.length; i += max) out.push(value.slice(i, i + max))
  return out.length ? out : ['']
}

/** Zone-file presentation of TXT character-strings: "a" "b", with quotes and backslashes escaped. */
export function quoteTxt(strings: string[]): string {
  return strings.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ')
}

/** Parses the zone-file presentation back into character-strings (used by tests and by paste-in parsing). */
export function unquoteTxt(text: string): string[] {
  const out: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"/g
  for (const m of text.matchAll(re)) out.push(m[1].replace(/\\(.)/g, '$1'))
  return out
}
