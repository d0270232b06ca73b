import { z } from 'zod'

export const Settings = z.object({
  /** "" = the system resolver; otherwise "IP" or "IP:port" (IPv6 as "[::1]:53"). */
  resolver: z.string().max(200).default(''),
  dnsTimeoutMs: z.number().int().min(200).max(30000).default(2000),
  spamhausDqsKey: z.string().max(100).default(''),
  abusixKey: z.string().max(100).default(''),
  recheckMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  maxFileMb: z.number().int().min(1).max(1024).default(50),
  /** Watchlist (issue 14): hours between background runs while the app is open. */
  watchHours: z.number().int().min(1).max(168).default(6),
  language: z.enum(['system', 'en', 'fr']).default('system'),
  theme: z.enum(['auto', 'light', 'dark']).default('auto'),
  /**
   * Sending health: the suppression rules (src/main/core/hygiene/rules.ts). Sender-side blocks are not a rule:
   * they never suppress a recipient.
   */
  hygieneRules: z
    .object({
      hardSuppresses: z.boolean().default(true),
      complaintSuppresses: z.boolean().default(true),
      softCount: z.number().int().min(1).max(100).default(3),
      softDays: z.number().int().min(0).max(365).default(7)
    })
    .default({ hardSuppresses: true, complaintSuppresses: true, softCount: 3, softDays: 7 })
})
export type Settings = z.infer<typeof Settings>
export const defaultSettings: Settings = Settings.parse({})
