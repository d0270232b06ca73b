import type { CliCommand } from './types'

/** The `blocklist` command. */
export const blocklistCommand: CliCommand | null = null
