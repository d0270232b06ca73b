import type { Text } from '../../../shared/text'
import { renderText } from './render'

/**
 * An error whose message is a Text (bad input a person typed: a selector, an address, a date). Its `message` is the
 * English rendering for logs and the CLI; services pass `text` on in the AppError, and the UI says it in the
 * reader's language.
 */
export class SaidError extends Error {
  constructor(readonly text: Text) {
    super(renderText('en', text))
    this.name = 'SaidError'
  }
}
