import type { Migration } from './types'

/**
 * Cases created from a drop start with a placeholder title; once the first verdict is known the app renames the
 * case after it ("Outlook.com blocks … — shop.example"), unless the admin has renamed it in the meantime.
 */
export default {
  id: 3,
  name: 'auto-title',
  up: `ALTER TABLE cases ADD COLUMN auto_title INTEGER NOT NULL DEFAULT 0;`
} satisfies Migration
