import type { Migration } from './types'

/**
 * Timeline events are text as data: what the app recorded is stored as an i18n code and its params (JSON), so the
 * timeline and the reports read it in the reader's language; `body` keeps the English rendering for older builds
 * and for search. Numbers 6 and 7 are reserved by the watchlist and pre-send branches.
 */
export default {
  id: 8,
  name: 'typed-events',
  up: `ALTER TABLE notes ADD COLUMN code TEXT;
ALTER TABLE notes ADD COLUMN params TEXT;`
} satisfies Migration
