import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { PrecheckResult } from '../../../shared/contract/precheck'
import { renderText } from '../../core/text/render'
import type { CliCommand } from './types'

/**
 * `delivery-desk precheck FILE [--ip IP] [--resolver HOST:PORT] [--json]`: the pre-send check of one message.
 * The JSON carries each text as its code and params (`detailText`, `fixText`) and as English (`detail`, `fix`).
 */

const en = (t: Parameters<typeof renderText>[1]) => renderText('en', t)

export function jsonPrecheck(r: PrecheckResult) {
  return {
    file: r.file,
    score: r.score,
    coverage: r.coverage,
    ip: r.ip,
    fromDomain: r.fromDomain,
    mailFrom: r.mailFrom,
    mailFromAssumed: r.mailFromAssumed,
    linkDomains: r.linkDomains,
    checkedAt: r.checkedAt,
    checks: r.checks.map((c) => ({
      id: c.id,
      status: c.status,
      detail: en(c.detail),
      fix: c.fix ? en(c.fix) : null,
      items: c.items.map(en),
      detailText: c.detail,
      fixText: c.fix,
      weight: c.weight,
      sources: c.sources
    })),
    spamassassin: {
      ...r.spamassassin,
      ...(r.spamassassin.reason
        ? { reason: en(r.spamassassin.reason), reasonText: r.spamassassin.reason }
        : {})
    }
  }
}

const WORD: Record<string, string> = {
  pass: 'pass',
  warn: 'WARN',
  fail: 'FAIL',
  unknown: 'COULD NOT CHECK',
  skipped: 'skipped'
}

export function humanPrecheck(r: PrecheckResult): string {
  const out = [
    `Pre-send check of ${r.file}: ${r.score}/10 (checked ${r.coverage.checked} of ${r.coverage.total} points)`
  ]
  for (const c of r.checks) {
    out.push(`  [${WORD[c.status]}] ${c.id}: ${en(c.detail)}`)
    for (const i of c.items) out.push(`      - ${en(i)}`)
    if (c.fix) out.push(`      fix: ${en(c.fix)}`)
  }
  const sa = r.spamassassin
  if (sa.status === 'ran') {
    out.push('', `SpamAssassin ${sa.version ?? ''}: ${sa.score} points (${sa.required} required)`)
    for (const rule of sa.rules)
      out.push(`  ${rule.score.toFixed(1).padStart(5)} ${rule.name.padEnd(26)} ${rule.description}`)
  } else out.push('', `SpamAssassin: ${sa.reason ? en(sa.reason) : sa.status}`)
  return out.join('\n')
}

export const precheckCommand: CliCommand = {
  name: 'precheck',
  usage: 'precheck FILE [--ip IP] [--resolver HOST:PORT]',
  summary: 'Pre-send check of a message: authentication, bulk-sender checklist, content, links, SpamAssassin',
  async run(ctx) {
    const [path, ...extra] = ctx.rest
    // Exit codes as for `blocklist`: 2 for bad usage or input, 1 when the check could not run.
    if (!path || extra.length) {
      ctx.fail('precheck needs exactly one FILE (the .eml to send)', 'INVALID_INPUT')
      return 2
    }
    let file
    try {
      file = {
        name: basename(path),
        size: statSync(path).size,
        base64: readFileSync(path).toString('base64')
      }
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT'
      return ctx.fail(`${path}: ${missing ? 'no such file' : (e as Error).message}`, 'NOT_FOUND')
    }
    const ip = ctx.flag('--ip')
    const resolver = ctx.flag('--resolver')
    const res = await ctx.backend.dispatch('precheck.run', {
      file,
      ...(ip !== undefined ? { ip } : {}),
      ...(resolver !== undefined ? { resolver } : {})
    })
    if (!res.ok) {
      ctx.fail(res.error.message, res.error.code)
      return res.error.code === 'INVALID_INPUT' ? 2 : 1
    }
    const r = res.data as PrecheckResult
    ctx.print(jsonPrecheck(r), () => humanPrecheck(r))
    return 0
  }
}
