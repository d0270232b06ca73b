import type { WatchAlert, WatchRunPoint, WatchRunResult, WatchTarget } from '../../../shared/contract/watch'
import type { CliCommand, CliRunContext } from './types'

/**
 * `delivery-desk watch add TARGET... [--selector S]... [--lists id,id] [--case N]`, `watch list`,
 * `watch remove TARGET...`, `watch run --once [--resolver HOST:PORT]`, `watch history TARGET`, `watch alerts`.
 *
 * `watch run --once` is for cron and systemd timers. Exit codes (README):
 * - 0: the run raised no new alert (lists that could not be checked are in `coverage`, never "clean");
 * - 3: new alerts (listing, delisting, record change, new error finding, DMARC pass-rate drop);
 * - 1: the run failed; 2: bad usage.
 * `--json` prints one object: `{runAt, checked, alerts[] {target, kind, summary, code, params, ...}, coverage[]}`.
 */
export const EXIT = { quiet: 0, failed: 1, badInput: 2, alerts: 3 } as const

const cliAlert = (a: WatchAlert) => ({
  target: a.target,
  kind: a.kind,
  summary: a.summary,
  code: a.text.code,
  params: a.text.params ?? {},
  subject: a.subject,
  before: a.before,
  after: a.after,
  id: a.id,
  at: a.createdAt
})

const humanTarget = (t: WatchTarget) =>
  `${t.value.padEnd(22)} ${t.type.padEnd(6)} last run ${t.lastRunAt ?? 'never'}` +
  (t.listedOn.length ? `  LISTED on ${t.listedOn.join(', ')}` : '') +
  (t.errors ? `  ${t.errors} error(s)` : '') +
  (t.selectors.length ? `  selectors ${t.selectors.join(',')}` : '') +
  (t.caseIds.length ? `  cases ${t.caseIds.map((c) => `#${c}`).join(' ')}` : '')

function failed(ctx: CliRunContext, error: { code: string; message: string }): number {
  ctx.fail(error.message, error.code)
  return error.code === 'INVALID_INPUT' ? EXIT.badInput : EXIT.failed
}

const csv = (values: string[]) =>
  values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean)

export const watchCommand: CliCommand = {
  name: 'watch',
  usage:
    'watch add TARGET... [--selector S] [--lists id,id] [--case N] | watch list | watch remove TARGET... | watch run --once [--resolver HOST:PORT] | watch history TARGET | watch alerts [TARGET]',
  summary: 'Watch IPs, /24 ranges and domains: blocklists and DNS posture on a schedule, alerts on change',
  async run(ctx) {
    const [sub, ...args] = ctx.rest
    const d = ctx.backend.dispatch
    switch (sub) {
      case 'add': {
        if (!args.length) {
          ctx.fail(
            'watch add needs at least one IP address, IPv4 range (up to /24) or domain',
            'INVALID_INPUT'
          )
          return EXIT.badInput
        }
        const selectors = csv(ctx.flagAll('--selector'))
        const lists = csv(ctx.flagAll('--lists'))
        const caseId = ctx.flag('--case')
        const res = await d('watch.add', {
          targets: args,
          ...(selectors.length ? { selectors } : {}),
          ...(lists.length ? { lists } : {}),
          ...(caseId ? { caseId: Number(caseId) } : {})
        })
        if (!res.ok) return failed(ctx, res.error)
        const r = res.data as { added: WatchTarget[]; existing: string[] }
        ctx.print(r, () =>
          [
            ...r.added.map((t) => `watching ${t.value} (${t.type})`),
            ...r.existing.map((v) => `already watched: ${v}`)
          ].join('\n')
        )
        return EXIT.quiet
      }
      case 'list': {
        const res = await d('watch.list', {})
        if (!res.ok) return failed(ctx, res.error)
        const list = res.data as WatchTarget[]
        ctx.print(list, () => (list.length ? list.map(humanTarget).join('\n') : 'The watchlist is empty.'))
        return EXIT.quiet
      }
      case 'remove': {
        if (!args.length) {
          ctx.fail('watch remove needs the targets to remove', 'INVALID_INPUT')
          return EXIT.badInput
        }
        const res = await d('watch.remove', { targets: args })
        if (!res.ok) return failed(ctx, res.error)
        const r = res.data as { removed: string[]; unknown: string[] }
        ctx.print(r, () =>
          [
            ...r.removed.map((v) => `removed ${v}`),
            ...r.unknown.map((v) => `not on the watchlist: ${v}`)
          ].join('\n')
        )
        return r.unknown.length ? EXIT.failed : EXIT.quiet
      }
      case 'run': {
        // --once is the only mode of the CLI (the background schedule belongs to the open app); accepted so the
        // cron line reads as what it does.
        const resolver = ctx.flag('--resolver')
        const res = await d('watch.run', {
          ...(args.length ? { targets: args } : {}),
          ...(resolver ? { resolver } : {})
        })
        if (!res.ok) return failed(ctx, res.error)
        const r = res.data as WatchRunResult
        ctx.print(
          { runAt: r.runAt, checked: r.checked, alerts: r.alerts.map(cliAlert), coverage: r.coverage },
          () =>
            [
              `${r.checked} target(s) checked at ${r.runAt}: ${r.alerts.length ? `${r.alerts.length} new alert(s)` : 'nothing new'}`,
              ...r.alerts.map((a) => `  ALERT ${a.kind.padEnd(14)} ${a.summary}`),
              ...r.coverage.map((c) => `  could not check ${c.target} ${c.what}: ${c.reason}`)
            ].join('\n')
        )
        return r.alerts.length ? EXIT.alerts : EXIT.quiet
      }
      case 'history': {
        if (args.length !== 1) {
          ctx.fail('watch history needs one target', 'INVALID_INPUT')
          return EXIT.badInput
        }
        const res = await d('watch.history', { target: args[0] })
        if (!res.ok) return failed(ctx, res.error)
        const r = res.data as { target: WatchTarget; points: WatchRunPoint[] }
        ctx.print(r, () =>
          [
            humanTarget(r.target),
            ...r.points.map(
              (p) =>
                `  ${p.at}  listed ${p.listed}  clean ${p.clean}  could not check ${p.unchecked}  errors ${p.errors}  alerts ${p.alerts}`
            )
          ].join('\n')
        )
        return EXIT.quiet
      }
      case 'alerts': {
        const res = await d('watch.alerts', args[0] ? { target: args[0] } : {})
        if (!res.ok) return failed(ctx, res.error)
        const list = res.data as WatchAlert[]
        ctx.print(list.map(cliAlert), () =>
          list.length
            ? list.map((a) => `${a.createdAt}  ${a.kind.padEnd(14)} ${a.summary}`).join('\n')
            : 'No alerts.'
        )
        return EXIT.quiet
      }
      default:
        ctx.fail(
          `watch: unknown subcommand "${sub ?? ''}" (add, list, remove, run, history, alerts)`,
          'INVALID_INPUT'
        )
        return EXIT.badInput
    }
  }
}
