import {
  MECHANISMS,
  mechanismOf,
  mechanismStates,
  nothingAnswered,
  type Mechanism
} from '../../../shared/contract/domain'
import type { EventPayload } from '../../../shared/events'
import type { DomainReport } from '../../../shared/schemas/domain'
import type { CliCommand } from './types'

const TITLES: Record<Mechanism, string> = {
  spf: 'SPF',
  dkim: 'DKIM',
  dmarc: 'DMARC',
  mx: 'MX',
  ptr: 'PTR / FCrDNS / HELO',
  'mta-sts': 'MTA-STS',
  'tls-rpt': 'TLS-RPT',
  bimi: 'BIMI'
}

const STATE_WORDS: Record<string, string> = {
  pass: 'ok',
  fail: 'FAIL',
  warn: 'warning',
  none: 'not published',
  not_checked: 'not checked',
  could_not_check: 'COULD NOT CHECK (DNS did not answer; this is not "missing")'
}

/** What --json prints: the report, with `fix` always present on findings so scripts can rely on the key. */
export function jsonReport(r: DomainReport) {
  return { ...r, findings: r.findings.map((f) => ({ ...f, fix: f.fix ?? null })) }
}

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n')

/** A readable report grouped by mechanism, with the current and the corrected records. */
export function humanReport(r: DomainReport): string {
  const states = mechanismStates(r)
  const count = (s: string) => r.findings.filter((f) => f.severity === s).length
  const out = [
    `Domain health of ${r.domain} (checked ${r.checkedAt})`,
    `  ${count('critical')} critical, ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`
  ]
  for (const m of MECHANISMS) {
    out.push('', `${TITLES[m]}: ${STATE_WORDS[states[m]] ?? states[m]}`)
    if (m === 'spf') {
      if (r.spf.record) out.push(`  record: ${r.spf.record}`)
      out.push(`  DNS lookups: ${r.spf.lookupCount}/10, void lookups: ${r.spf.voidLookupCount}/2`)
    }
    if (m === 'dmarc' && r.dmarc.record) out.push(`  record: ${r.dmarc.record}`)
    if (m === 'dkim')
      for (const d of r.dkim)
        out.push(
          `  ${d.selector}: ${STATE_WORDS[d.state] ?? d.state}${d.keyType ? ` (${d.keyType}${d.keyBits ? ` ${d.keyBits} bits` : ''})` : ''}`
        )
    if (m === 'mx')
      for (const x of r.mx) out.push(`  ${x.priority} ${x.exchange || '.'} ${x.addresses.join(', ')}`)
    if (m === 'ptr')
      for (const p of r.ptr)
        out.push(
          `  ${p.ip} → ${p.names.join(', ') || '(no PTR)'}${p.confirmedName ? ' (forward-confirmed)' : ''}`
        )
    for (const f of r.findings.filter((x) => mechanismOf(x) === m)) {
      out.push(`  [${f.severity}] ${f.title}`, indent(f.detail, '      '))
      if (f.current) out.push('      current:', indent(f.current, '        '))
      if (f.fix) out.push(`      fix: ${f.fix}`)
      if (f.fixRecord) out.push('      corrected:', indent(f.fixRecord, '        '))
    }
    if (m === 'dmarc' && r.dmarc.nextStep)
      out.push(`  next step: ${r.dmarc.nextStep.explanation}`, `      ${r.dmarc.nextStep.record}`)
  }
  return out.join('\n')
}

/** The `domain` command: the domain health check of the app, from a terminal. */
export const domainCommand: CliCommand | null = {
  name: 'domain',
  usage: 'domain DOMAIN [--ip IP]... [--helo NAME] [--selector S]... [--resolver HOST:PORT]',
  summary: 'Check SPF, DKIM, DMARC, MX, PTR, MTA-STS, TLS-RPT and BIMI of a sending domain',
  async run(ctx) {
    const [domain, ...extra] = ctx.rest
    if (!domain)
      return ctx.fail('domain needs a DOMAIN, e.g. "domain example.com --ip 192.0.2.1"', 'INVALID_INPUT')
    if (extra.length)
      return ctx.fail(`unexpected argument "${extra[0]}" (one DOMAIN per run)`, 'INVALID_INPUT')
    // Progress goes to stderr on a terminal only, so --json and pipes see nothing but the result.
    const tty = !ctx.json && process.stderr.isTTY
    const unsubscribe = ctx.backend.subscribe((name, payload) => {
      if (!tty || name !== 'progress') return
      const p = payload as EventPayload<'progress'>
      process.stderr.write(
        `\r  checking… ${p.done}/${p.total} ${p.done ? p.label : ''}`.padEnd(40) +
          (p.done === p.total ? '\n' : '')
      )
    })
    try {
      const res = await ctx.backend.dispatch('domain.check', {
        domain,
        ips: ctx.flagAll('--ip'),
        helo: ctx.flag('--helo'),
        selectors: ctx.flagAll('--selector'),
        resolver: ctx.flag('--resolver')
      })
      if (!res.ok) return ctx.fail(res.error.message, res.error.code)
      const report = res.data as DomainReport
      ctx.print(jsonReport(report), () => humanReport(report))
      // A resolver that answers nothing means the check did not run, whatever the report says.
      return nothingAnswered(report) ? 1 : 0
    } finally {
      unsubscribe()
    }
  }
}
