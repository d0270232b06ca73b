import type Database from 'better-sqlite3'
import { Settings, defaultSettings } from '../../../shared/settings'

/** Settings are key → JSON rows so a new setting needs no migration; unknown or invalid values fall back to defaults. */
export function createSettingsRepo(db: Database.Database) {
  return {
    get(): Settings {
      const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
      const raw: Record<string, unknown> = {}
      for (const r of rows) {
        try {
          raw[r.key] = JSON.parse(r.value)
        } catch {
          /* a damaged value falls back to its default */
        }
      }
      const parsed = Settings.safeParse({ ...defaultSettings, ...raw })
      return parsed.success ? parsed.data : defaultSettings
    },
    set(patch: Partial<Settings>): Settings {
      const up = db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
      )
      db.transaction(() => {
        for (const [k, v] of Object.entries(patch)) if (v !== undefined) up.run(k, JSON.stringify(v))
      })()
      return this.get()
    }
  }
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>
