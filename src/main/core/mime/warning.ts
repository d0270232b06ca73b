import type { ParseWarning } from '../../../shared/schemas/mime'
import { text, type TextParam } from '../../../shared/text'
import { renderText } from '../text/render'

/** A parser warning shown to the user: its words are a Text in the "parser" namespace, `message` its English. */
export function parserWarning(
  code: ParseWarning['code'],
  key: string,
  params?: Record<string, TextParam | undefined>
): ParseWarning {
  const t = text(`parser:${key}`, params)
  return { code, message: renderText('en', t), text: t }
}
