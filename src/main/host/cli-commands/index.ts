import { blocklistCommand } from './blocklist'
import { domainCommand } from './domain'
import { reportCommand } from './report'
import { hygieneCommand } from './hygiene'
import { dmarcCommand } from './dmarc'
import { caseCommand } from './case'
import { precheckCommand } from './precheck'
import { watchCommand } from './watch'
import type { CliCommand } from './types'

/** Commands contributed by each area (domain health, blocklists, reports). The core commands live in cli.ts. */
export const extraCommands: CliCommand[] = [
  domainCommand,
  blocklistCommand,
  reportCommand,
  hygieneCommand,
  dmarcCommand,
  caseCommand,
  precheckCommand,
  watchCommand
].filter((c): c is CliCommand => c !== null)
export type { CliCommand, CliRunContext, ParsedArgs } from './types'
