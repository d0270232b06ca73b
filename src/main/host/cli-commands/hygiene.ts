import { readFileSync } from 'node:fs'
import { emptySummary, type HygieneStats, type IngestSummary } from '../../../shared/contract/hygiene'
import { parseImapUrl } from '../../services/hygiene/imap-source'
import type { CliCommand, CliRunContext } from './types'

/**
 * `delivery-desk hygiene ingest PATH...|imap://USER@HOST[:PORT]/MAILBOX [--starttls] [--ca FILE] [--oauth2]
 *    [--mark-seen] [--full]`
 *    prints `{messages, bounces, complaints, autoReplies, delays, other, duplicates, errors[]}` (and a few more
 *    counters). The IMAP password (or OAuth2 access token with --oauth2) comes from DELIVERY_DESK_IMAP_PASSWORD,
 *    never from the command line (it would be visible in `ps` and the shell history).
 * `delivery-desk hygiene export --format csv|json --out FILE`
 * `delivery-desk hygiene stats`
 * `delivery-desk hygiene release EMAIL --note TEXT`
 * `delivery-desk hygiene volume --csv FILE`
 * Exit code: 1 when an ingest reports errors (each with its file) or fails, 0 otherwise.
 */
function humanSummary(s: IngestSummary): string {
  const lines = [
    `${s.messages} messages: ${s.bounces} bounces, ${s.complaints} complaints, ${s.autoReplies} auto-replies, ` +
      `${s.delays} delays, ${s.challenges} challenges, ${s.reports} DMARC/TLS reports, ${s.other} other; ` +
      `${s.duplicates} duplicates skipped`,
    `${s.suppressed} addresses newly suppressed; ${s.senderBlocks} recipients refused because of the sender (not suppressed)`
  ]
  if (s.cancelled) lines.push('Cancelled: what was read is kept.')
  for (const e of s.errors) lines.push(`  error: ${e.message}`)
  return lines.join('\n')
}

function cliSummary(s: IngestSummary & { sourceId?: number }) {
  // The documented shape first; the extra counters after.
  return {
    messages: s.messages,
    bounces: s.bounces,
    complaints: s.complaints,
    autoReplies: s.autoReplies,
    delays: s.delays,
    other: s.other,
    duplicates: s.duplicates,
    errors: s.errors,
    challenges: s.challenges,
    reports: s.reports,
    senderBlocks: s.senderBlocks,
    suppressed: s.suppressed,
    notices: s.notices,
    cancelled: s.cancelled
  }
}

async function ingest(ctx: CliRunContext, targets: string[]): Promise<number> {
  if (!targets.length) return ctx.fail('hygiene ingest needs PATH... or imap://USER@HOST[:PORT]/MAILBOX')
  const imap = targets.filter((t) => /^imaps?:\/\//i.test(t))
  const paths = targets.filter((t) => !/^imaps?:\/\//i.test(t))
  let total: IngestSummary | undefined
  let failed = false
  const merge = (s: IngestSummary) => {
    if (!total) return (total = { ...s, errors: [...s.errors], notices: [...s.notices] })
    for (const k of Object.keys(s) as (keyof IngestSummary)[]) {
      const v = s[k]
      if (typeof v === 'number') (total[k] as number) += v
    }
    total.errors.push(...s.errors)
    total.notices.push(...s.notices)
    total.cancelled ||= s.cancelled
    return total
  }
  if (paths.length) {
    const res = await ctx.backend.dispatch('hygiene.ingestPaths', { paths })
    if (!res.ok) return ctx.fail(res.error.message, res.error.code)
    merge(res.data as IngestSummary)
  }
  for (const url of imap) {
    const parsed = parseImapUrl(url)
    if (!parsed) return ctx.fail(`${url}: not an imap://USER@HOST[:PORT]/MAILBOX URL`, 'INVALID_INPUT')
    const secret = process.env.DELIVERY_DESK_IMAP_PASSWORD
    if (!secret)
      return ctx.fail(
        `${url}: set DELIVERY_DESK_IMAP_PASSWORD (the password or OAuth2 token)`,
        'INVALID_INPUT'
      )
    const caFile = ctx.flag('--ca')
    let caPem: string | undefined
    if (caFile) {
      try {
        caPem = readFileSync(caFile, 'utf8')
      } catch (e) {
        return ctx.fail(`${caFile}: ${(e as Error).message}`, 'NOT_FOUND')
      }
    }
    const port = parsed.port
    const starttls = ctx.args.bool.has('--starttls') || (port === 143 && !ctx.args.bool.has('--tls'))
    const res = await ctx.backend.dispatch('hygiene.ingestImap', {
      source: {
        ...parsed,
        tls: starttls ? 'starttls' : 'tls',
        auth: ctx.args.bool.has('--oauth2') ? 'oauth2' : 'password',
        markSeen: ctx.args.bool.has('--mark-seen'),
        ...(caPem ? { caPem } : {})
      },
      secret,
      full: ctx.args.bool.has('--full')
    })
    if (!res.ok) {
      failed = true
      const s = merge({
        ...emptySummary(),
        errors: [
          { file: url, code: res.error.code, params: res.error.params ?? {}, message: res.error.message }
        ]
      })
      void s
      continue
    }
    merge(res.data as IngestSummary)
  }
  const s = total!
  ctx.print(cliSummary(s), () => humanSummary(s))
  return failed || s.errors.length ? 1 : 0
}

export const hygieneCommand: CliCommand = {
  name: 'hygiene',
  usage:
    'hygiene ingest PATH...|imap://USER@HOST[:PORT]/MAILBOX | export --format csv|json --out FILE | stats',
  summary:
    'Sending health: read a bounce/feedback mailbox (folders, mbox, IMAP with DELIVERY_DESK_IMAP_PASSWORD), ' +
    'export the suppression list, show rates and sending problems',
  async run(ctx) {
    const [sub, ...rest] = ctx.rest
    switch (sub) {
      case 'ingest':
        return ingest(ctx, rest)
      case 'export': {
        const format = ctx.flag('--format') ?? 'csv'
        const out = ctx.flag('--out')
        if (format !== 'csv' && format !== 'json') return ctx.fail('--format is csv or json', 'INVALID_INPUT')
        const res = await ctx.backend.dispatch('hygiene.export', { format, ...(out ? { path: out } : {}) })
        if (!res.ok) return ctx.fail(res.error.message, res.error.code)
        const d = res.data as { rows: number; content?: string; path?: string }
        if (!out) {
          process.stdout.write(d.content ?? '')
          return 0
        }
        ctx.print({ rows: d.rows, path: d.path }, () => `${d.rows} suppressed addresses written to ${d.path}`)
        return 0
      }
      case 'stats': {
        const res = await ctx.backend.dispatch('hygiene.stats', {})
        if (!res.ok) return ctx.fail(res.error.message, res.error.code)
        const s = res.data as HygieneStats
        ctx.print(s, () =>
          [
            `Messages: ${
              Object.entries(s.messages)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ') || 'none'
            }`,
            `Suppressed: ${
              Object.entries(s.suppressed)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ') || 'none'
            }`,
            ...s.clusters.map(
              (c) =>
                `Sending problem: since ${c.since.slice(0, 10)}, ${c.recipients} recipients at ${c.domain} refused (${c.cause}${c.code ? `, ${c.code}` : ''})`
            ),
            ...s.days.map(
              (d) =>
                `${d.key}: hard ${d.hard}, soft ${d.soft}, blocks ${d.blocks}, complaints ${d.complaints}` +
                (d.sent
                  ? `, sent ${d.sent}, bounce rate ${((d.bounceRate ?? 0) * 100).toFixed(2)}%, complaint rate ${((d.complaintRate ?? 0) * 100).toFixed(3)}%`
                  : '')
            )
          ].join('\n')
        )
        return 0
      }
      case 'release': {
        const email = rest[0]
        const note = ctx.flag('--note')
        if (!email || !note) return ctx.fail('hygiene release EMAIL --note TEXT', 'INVALID_INPUT')
        const res = await ctx.backend.dispatch('hygiene.release', { email, note })
        if (!res.ok) return ctx.fail(res.error.message, res.error.code)
        ctx.print(res.data, () => `${email} released`)
        return 0
      }
      case 'volume': {
        const file = ctx.flag('--csv')
        if (!file) return ctx.fail('hygiene volume --csv FILE (date,sent[,domain])', 'INVALID_INPUT')
        const res = await ctx.backend.dispatch('hygiene.setVolumes', { csv: readFileSync(file, 'utf8') })
        if (!res.ok) return ctx.fail(res.error.message, res.error.code)
        const d = res.data as { saved: number; errors: unknown[] }
        ctx.print(d, () => `${d.saved} volume rows saved, ${d.errors.length} bad lines`)
        return d.errors.length ? 1 : 0
      }
      default:
        return ctx.fail('hygiene ingest|export|stats|release|volume', 'INVALID_INPUT')
    }
  }
}
