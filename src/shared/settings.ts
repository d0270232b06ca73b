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
  language: z.enum(['system', 'en', 'fr']).default('system'),
  theme: z.enum(['auto', 'light', 'dark']).default('auto')
})
export type Settings = z.infer<typeof Settings>
export const defaultSettings: Settings = Settings.parse({})
