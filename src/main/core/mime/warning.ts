import type { ParseWarning } from '../../../shared/schemas/mime'
import { text, type TextParam } from '../../../shared/text'
import { renderText } from '../text/render'

/**
 * A parser warning shown to the user: its words are a Text in the "parser" namespace, `message` its English.
 * `message` is rendered when first read: most warnings (a broken header line in a returned original, say) are
 * never shown, and the ingest parses every bounce. It is an enumerable accessor, so JSON, spreads, zod and
 * structured clones (worker threads, IPC) still see a plain string property.
 */
export function parserWarning(
  code: ParseWarning['code'],
  key: string,
  params?: Record<string, TextParam | undefined>
): ParseWarning {
  const t = text(`parser:${key}`, params)
  let message: string | undefined
  return {
    code,
    get message(): string {
      return (message ??= renderText('en', t))
    },
    set message(m: string) {
      message = m
    },
    text: t
  }
}
