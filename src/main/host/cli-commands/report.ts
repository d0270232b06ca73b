import type { CliCommand } from './types'

/** The `report` command. */
export const reportCommand: CliCommand | null = null
