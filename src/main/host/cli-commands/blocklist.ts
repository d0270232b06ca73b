import type { ScanResult } from '../../../shared/contract/blocklist'
import type { ListResult, TargetReport } from '../../../shared/schemas/blocklist'
import { parseTarget, TargetError } from '../../core/blocklist'
import type { CliCommand } from './types'

/**
 * `delivery-desk blocklist TARGET... [--resolver HOST:PORT] [--lists id,id] [--json]`
 *
 * One line (JSON object with --json) per target, in the order given: `target`, `type`, `results[]`, `summary`;
 * a target that is neither an IP nor a domain gets `{ target, error }`.
 *
 * Exit code (documented in the README), so a script never reads "could not check" as "not listed":
 * - 0: every list was checked for every target. Listings do not change it: they are an answer, not a failure.
 * - 1: some lists could not be checked (timeout, SERVFAIL, REFUSED, a list refusing the resolver, a list that
 *   failed its RFC 5782 §5 self-test), or no selected list applies to a target.
 * - 2: bad input (no target, a target that is neither an IP nor a domain, an unknown list, a bad resolver).
 */
export const EXIT = { checked: 0, incomplete: 1, badInput: 2 } as const

const UNCHECKED: ReadonlySet<ListResult['status']> = new Set(['error', 'refused', 'unreliable'])

interface CliResult {
  list: string
  zone: string
  status: ListResult['status']
  codes: string[]
  meanings: string[]
  txt?: string
  delist?: ListResult['delist']
  ms: number
  reason?: string
  failure?: ListResult['failure']
}

function toCli(r: ListResult): CliResult {
  return {
    list: r.list,
    zone: r.zone,
    status: r.status,
    codes: r.codes,
    meanings: r.meanings,
    ...(r.txt ? { txt: r.txt } : {}),
    ...(r.delist ? { delist: r.delist } : {}),
    ms: r.ms,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.failure ? { failure: r.failure } : {})
  }
}

const MARK: Record<ListResult['status'], string> = {
  listed: 'LISTED',
  clean: 'clean',
  refused: 'REFUSED',
  unreliable: 'UNRELIABLE',
  error: 'COULD NOT CHECK'
}

function human(report: TargetReport): string {
  const s = report.summary
  const lines = [
    `${report.target} (${report.type}): ${s.listed ? `listed on ${s.listedOn.join(', ')}` : 'not listed on any list that could be checked'}` +
      ` — ${s.clean} clean, ${s.refused} refused, ${s.unreliable} unreliable, ${s.error} could not check`
  ]
  const order = ['listed', 'refused', 'unreliable', 'error'] as const
  for (const status of order) {
    for (const r of report.results.filter((x) => x.status === status)) {
      const detail =
        status === 'listed'
          ? `${r.codes.join(', ')} ${r.meanings.join('; ')}${r.txt ? ` — ${r.txt}` : ''}${r.delist?.url ? ` — removal: ${r.delist.url}` : ''}`
          : (r.reason ?? '')
      lines.push(`  ${MARK[status].padEnd(15)} ${r.list.padEnd(18)} ${detail}`)
    }
  }
  for (const n of s.notes) lines.push(`  note: ${n}`)
  return lines.join('\n')
}

export const blocklistCommand: CliCommand = {
  name: 'blocklist',
  usage: 'blocklist TARGET... [--resolver HOST:PORT] [--lists id,id]',
  summary: 'Check IPs/domains against the DNS blocklists (RFC 5782), with self-test of each list',
  async run(ctx) {
    const inputs = ctx.rest
    if (inputs.length === 0) {
      ctx.fail('blocklist needs at least one IP address or domain name', 'INVALID_INPUT')
      return EXIT.badInput
    }
    const lists = ctx
      .flagAll('--lists')
      .flatMap((v) => v.split(','))
      .map((s) => s.trim())
      .filter(Boolean)
    const res = await ctx.backend.dispatch('blocklist.scan', {
      targets: inputs,
      ...(lists.length ? { lists } : {}),
      ...(ctx.flag('--resolver') ? { resolver: ctx.flag('--resolver') } : {})
    })
    if (!res.ok) {
      ctx.fail(res.error.message, res.error.code)
      return res.error.code === 'INVALID_INPUT' ? EXIT.badInput : EXIT.incomplete
    }
    const scan = res.data as ScanResult
    let invalid = 0
    let incomplete = 0
    for (const input of inputs) {
      let value: string | undefined
      try {
        value = parseTarget(input).value
      } catch (e) {
        if (!(e instanceof TargetError)) throw e
      }
      const report = value ? scan.reports.find((r) => r.target === value) : undefined
      if (!report) {
        invalid++
        const reason =
          scan.invalid.find((i) => i.input === input)?.reason ?? 'not an IP address or a domain name'
        const error = {
          code: 'INVALID_TARGET',
          message: `${input}: ${reason} (give an IPv4/IPv6 address or a domain name)`
        }
        ctx.print({ target: input, error }, () => `${input}: ${error.message}`)
        continue
      }
      if (report.results.length === 0 || report.results.some((r) => UNCHECKED.has(r.status))) incomplete++
      ctx.print(
        {
          target: report.target,
          type: report.type,
          results: report.results.map(toCli),
          summary: report.summary
        },
        () => human(report)
      )
    }
    return invalid ? EXIT.badInput : incomplete ? EXIT.incomplete : EXIT.checked
  }
}
