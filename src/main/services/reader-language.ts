import type { Settings } from '../../shared/settings'
import type { ReportLanguage } from '../../shared/schemas/workflow'

/**
 * The language the admin reads, for text the backend writes down once (a case's auto title, a report): the one
 * chosen in Settings, else the system's (French when the OS locale is French), else English.
 */
export function readerLanguage(setting: Settings['language']): ReportLanguage {
  if (setting === 'en' || setting === 'fr') return setting
  return Intl.DateTimeFormat().resolvedOptions().locale.toLowerCase().startsWith('fr') ? 'fr' : 'en'
}
