import type { CliCommand } from './types'

/** Commands contributed by each area (domain health, blocklists, reports). The core commands live in cli.ts. */
export const extraCommands: CliCommand[] = []
export type { CliCommand, CliRunContext, ParsedArgs } from './types'
