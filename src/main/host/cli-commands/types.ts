import type { Backend } from '../backend'

export interface ParsedArgs {
  positional: string[]
  flags: Map<string, string[]>
  bool: Set<string>
}

/** What a CLI command gets: its arguments, the backend (dispatcher) and output helpers honouring --json. */
export interface CliRunContext {
  args: ParsedArgs
  /** Positional arguments after the command name. */
  rest: string[]
  json: boolean
  flag(name: string): string | undefined
  flagAll(name: string): string[]
  /** Prints one value: JSON on one line with --json, else the human text. */
  print(value: unknown, human: () => string): void
  /** Prints an error (as JSON with --json) and returns the exit code 1. */
  fail(message: string, code?: string): number
  backend: Backend
}

export interface CliCommand {
  name: string
  /** One line for the help, e.g. "domain DOMAIN [--ip IP]... [--resolver HOST:PORT]". */
  usage: string
  summary: string
  run(ctx: CliRunContext): Promise<number>
}
