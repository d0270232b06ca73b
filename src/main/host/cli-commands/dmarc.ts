import { resolve } from 'node:path'
import type { EventPayload } from '../../../shared/events'
import type { DmarcSummary, IngestResult, Readiness } from '../../../shared/schemas/dmarc'
import type { CliCommand } from './types'

/**
 * `delivery-desk dmarc ingest PATH...` and `delivery-desk dmarc summary --domain D [--since DATE]`, plus
 * `dmarc readiness --domain D [--target quarantine|reject] [--days N]` and `dmarc mark --domain D --source KEY`.
 * Message counts are always sums of the records' <count>.
 */

const pct = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)}%` : '—')

function humanIngest(r: IngestResult): string {
  const lines = [
    `${r.reports} report(s) stored (${r.aggregate} aggregate, ${r.failure} failure, ${r.tls} TLS): ${r.records} records, ${r.messages} messages; ${r.duplicates} duplicate(s) skipped`
  ]
  if (r.domains.length) lines.push(`domains: ${r.domains.join(', ')}`)
  for (const e of r.errors) lines.push(`  error: ${e.error}`)
  return lines.join('\n')
}

function humanSummary(s: DmarcSummary): string {
  const lines = [
    `${s.domain}: ${s.messages} messages in ${s.reports} reports${s.since ? ` since ${s.since}` : ''}`,
    `  DMARC pass ${s.dmarcPass} (${pct(s.dmarcPass, s.messages)}), SPF aligned ${s.spfAligned} (${pct(s.spfAligned, s.messages)}), DKIM aligned ${s.dkimAligned} (${pct(s.dkimAligned, s.messages)})`,
    '  sources:'
  ]
  for (const x of s.sources.slice(0, 50))
    lines.push(
      `    ${x.ip.padEnd(40)} ${String(x.messages).padStart(7)}  pass ${pct(x.dmarcPass, x.messages).padStart(6)}  ${x.category.padEnd(10)} ${x.service?.name ?? ''} ${x.ptr ?? ''}`
    )
  if (s.sources.length > 50) lines.push(`    … ${s.sources.length - 50} more`)
  lines.push(`  reporters: ${s.reporters.map((r) => `${r.org} (${r.messages})`).join(', ') || 'none'}`)
  return lines.join('\n')
}

function humanReadiness(r: Readiness): string {
  const lines = [`${r.verdict.code} ${JSON.stringify(r.verdict.params)}`]
  for (const l of r.legitimate)
    lines.push(
      `  legitimate ${l.ip} ${l.service ?? ''}: ${(l.rate * 100).toFixed(1)}% of ${l.messages} ${l.ok ? 'ok' : 'FAILS'}`
    )
  for (const h of r.wouldHit.slice(0, 20))
    lines.push(`  would hit ${h.ip} ${h.service ?? ''} (${h.category}): ${h.failing} failing messages`)
  return lines.join('\n')
}

export const dmarcCommand: CliCommand = {
  name: 'dmarc',
  usage: 'dmarc ingest PATH... | dmarc summary --domain D [--since YYYY-MM-DD] | dmarc readiness --domain D',
  summary:
    'Import DMARC aggregate/failure and SMTP TLS reports; per-domain sources, pass rates and readiness',
  async run(ctx) {
    const [sub, ...paths] = ctx.rest
    const resolver = ctx.flag('--resolver')
    if (sub === 'ingest') {
      if (paths.length === 0)
        return ctx.fail('dmarc ingest needs at least one file or folder', 'INVALID_INPUT')
      const tty = !ctx.json && process.stderr.isTTY
      const unsubscribe = ctx.backend.subscribe((name, payload) => {
        if (!tty || name !== 'progress') return
        const p = payload as EventPayload<'progress'>
        process.stderr.write(`\r  ${p.done}/${p.total} files`.padEnd(30) + (p.done === p.total ? '\n' : ''))
      })
      try {
        const res = await ctx.backend.dispatch('dmarc.ingest', { paths: paths.map((p) => resolve(p)) })
        if (!res.ok) return ctx.fail(res.error.message, res.error.code)
        const r = res.data as IngestResult
        // Paths in errors as the user typed them would be nicer, but absolute paths are unambiguous in scripts.
        ctx.print(
          {
            reports: r.reports,
            records: r.records,
            messages: r.messages,
            duplicates: r.duplicates,
            aggregate: r.aggregate,
            failure: r.failure,
            tls: r.tls,
            domains: r.domains,
            errors: r.errors.map((e) => ({ file: e.file, error: e.error, code: e.code }))
          },
          () => humanIngest(r)
        )
        return r.errors.length ? 1 : 0
      } finally {
        unsubscribe()
      }
    }
    if (sub === 'summary' || sub === 'readiness') {
      const domain = ctx.flag('--domain') ?? paths[0]
      if (!domain) return ctx.fail(`dmarc ${sub} needs --domain D`, 'INVALID_INPUT')
      const live = !ctx.args.flags.has('--offline')
      if (sub === 'summary') {
        const res = await ctx.backend.dispatch('dmarc.summary', {
          domain,
          ...(ctx.flag('--since') ? { since: ctx.flag('--since') } : {}),
          ...(resolver ? { resolver } : {}),
          live: ctx.flag('--live') !== 'no'
        })
        if (!res.ok) return ctx.fail(res.error.message, res.error.code)
        const s = res.data as DmarcSummary
        ctx.print(
          {
            domain: s.domain,
            since: s.since,
            reports: s.reports,
            messages: s.messages,
            dmarcPass: s.dmarcPass,
            spfAligned: s.spfAligned,
            dkimAligned: s.dkimAligned,
            sources: s.sources.map((x) => ({
              ip: x.ip,
              ptr: x.ptr,
              service: x.service?.id ?? null,
              messages: x.messages,
              dmarcPass: x.dmarcPass,
              spfAligned: x.spfAligned,
              dkimAligned: x.dkimAligned,
              category: x.category
            })),
            reporters: s.reporters,
            dispositions: s.dispositions,
            timeline: s.timeline,
            tls: s.tls
          },
          () => humanSummary(s)
        )
        return 0
      }
      const days = ctx.flag('--days')
      const res = await ctx.backend.dispatch('dmarc.readiness', {
        domain,
        target: ctx.flag('--target') ?? 'quarantine',
        ...(days ? { days: Number(days) } : {}),
        ...(resolver ? { resolver } : {}),
        live
      })
      if (!res.ok) return ctx.fail(res.error.message, res.error.code)
      const r = res.data as Readiness
      ctx.print(r, () => humanReadiness(r))
      return 0
    }
    if (sub === 'mark') {
      const domain = ctx.flag('--domain')
      const source = ctx.flag('--source')
      if (!domain || !source)
        return ctx.fail(
          'dmarc mark needs --domain D --source ip:IP|service:ID [--legitimate yes|no|clear]',
          'INVALID_INPUT'
        )
      const v = ctx.flag('--legitimate') ?? 'yes'
      const res = await ctx.backend.dispatch('dmarc.markSource', {
        domain,
        source,
        legitimate: v === 'clear' ? null : v !== 'no'
      })
      if (!res.ok) return ctx.fail(res.error.message, res.error.code)
      ctx.print(
        { ok: true },
        () =>
          `${source} marked ${v === 'clear' ? 'unmarked' : v === 'no' ? 'not legitimate' : 'legitimate'} for ${domain}`
      )
      return 0
    }
    return ctx.fail(
      `unknown: dmarc ${sub ?? ''}. Try "dmarc ingest PATH..." or "dmarc summary --domain D".`,
      'INVALID_INPUT'
    )
  }
}
