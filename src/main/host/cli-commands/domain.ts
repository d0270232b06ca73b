import type { CliCommand } from './types'

/** The `domain` command. */
export const domainCommand: CliCommand | null = null
