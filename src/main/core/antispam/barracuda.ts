import type { AntispamRule, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { firstHeader, headersWithPrefix, squash, toNumber, fieldCollector } from './header-utils'
import { remedyFindings, saRules, vendors } from './rule-data'
import { parseSpamReport } from './spamassassin'

/**
 * Barracuda Email Security Gateway / Email Protection: X-Barracuda-Spam-Score, -Status ("Yes, SCORE=5.2 using
 * per-user scores of TAG_LEVEL=3.5 QUARANTINE_LEVEL=1000.0 KILL_LEVEL=5.0 tests=..."), -Report (SpamAssassin-style
 * table). Levels of 1000 mean "action disabled" in Barracuda's configuration.
 */
const table = vendors.barracuda

export function decodeBarracuda(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const all = headersWithPrefix(headers, 'X-Barracuda-').concat(headersWithPrefix(headers, 'X-ASG-'))
  if (all.length === 0) return undefined
  const status = firstHeader(headers, 'X-Barracuda-Spam-Status')
  const scoreH = firstHeader(headers, 'X-Barracuda-Spam-Score')
  const report = firstHeader(headers, 'X-Barracuda-Spam-Report')
  const { fields, used, add } = fieldCollector()
  const headerMeanings = table.headers as Record<string, string>
  const seen = new Set<string>()
  for (const h of all) {
    const key = Object.keys(headerMeanings).find((k) => k.toLowerCase() === h.name.toLowerCase())
    if (seen.has(h.name.toLowerCase()) || h === status || h === report) continue
    seen.add(h.name.toLowerCase())
    add(
      h.name,
      h.name,
      squash(h.value),
      key ? headerMeanings[key] : 'Barracuda header (undocumented).',
      !key || /Debug-ID/i.test(h.name)
    )
  }
  const s = status ? squash(status.value) : ''
  const flag = /^(yes|no)\b/i.exec(s)?.[1]
  const score = toNumber(/SCORE=(-?\d+(?:\.\d+)?)/i.exec(s)?.[1]) ?? toNumber(scoreH?.value)
  const levels: Record<string, number> = {}
  for (const m of s.matchAll(/\b(TAG_LEVEL|QUARANTINE_LEVEL|KILL_LEVEL)=(-?\d+(?:\.\d+)?)/gi))
    levels[m[1].toUpperCase()] = Number(m[2])
  if (status) {
    if (flag)
      add(
        status.name,
        'verdict',
        flag,
        /yes/i.test(flag)
          ? 'Barracuda classified the message as spam.'
          : 'Barracuda did not classify the message as spam.'
      )
    if (score !== undefined)
      add(status.name, 'SCORE', String(score), headerMeanings['X-Barracuda-Spam-Score'])
    for (const [k, v] of Object.entries(levels))
      add(
        status.name,
        k,
        String(v),
        `${(table.levels as Record<string, string>)[k]}${v >= 1000 ? ' (1000 = disabled)' : ''}`
      )
  }
  const testNames = (/tests=(.*)$/i.exec(s)?.[1] ?? '')
    .split(/[,\s]+/)
    .filter((t) => /^[A-Z0-9_]{3,}$/.test(t))
  const fromReport = report ? parseSpamReport(report.value) : []
  if (report) used.push(report.name)
  const rules = new Map<string, AntispamRule>()
  const bRules = table.rules as Record<string, string>
  const describe = (name: string, score?: number, text?: string): AntispamRule => {
    const sa = saRules[name]
    return {
      name,
      score,
      description: sa?.description ?? bRules[name] ?? text ?? 'Barracuda rule; no description available.',
      known: Boolean(sa ?? bRules[name]),
      remedy: sa?.remedy
    }
  }
  for (const r of fromReport) rules.set(r.name, describe(r.name, r.score, r.description))
  for (const t of testNames) if (!rules.has(t)) rules.set(t, describe(t))
  const ruleList = [...rules.values()].sort((a, b) => (b.score ?? 0) - (a.score ?? 0))

  const active = ['TAG_LEVEL', 'QUARANTINE_LEVEL', 'KILL_LEVEL']
    .map((k) => levels[k])
    .filter((v) => v !== undefined && v < 1000)
  const threshold = active.length ? Math.min(...active) : undefined
  let verdict: VendorVerdict['verdict'] = 'unknown'
  if (flag) verdict = /yes/i.test(flag) ? 'spam' : 'clean'
  else if (score !== undefined && threshold !== undefined) verdict = score >= threshold ? 'spam' : 'clean'
  const action =
    score === undefined
      ? undefined
      : levels.KILL_LEVEL !== undefined && levels.KILL_LEVEL < 1000 && score >= levels.KILL_LEVEL
        ? 'blocked'
        : levels.QUARANTINE_LEVEL !== undefined &&
            levels.QUARANTINE_LEVEL < 1000 &&
            score >= levels.QUARANTINE_LEVEL
          ? 'quarantined'
          : levels.TAG_LEVEL !== undefined && levels.TAG_LEVEL < 1000 && score >= levels.TAG_LEVEL
            ? 'tagged'
            : undefined
  const label = 'Barracuda'
  const summary: Text = text(
    `antispam:barracuda.${verdict === 'spam' ? 'spamSummary' : verdict === 'clean' ? 'cleanSummary' : 'summary'}`,
    {
      score: score !== undefined ? text('antispam:withScore', { score }) : '',
      action: action ? text('antispam:barracuda.level', { action }) : ''
    }
  )
  const findings: Finding[] = []
  if (verdict === 'spam') {
    findings.push(
      textFinding({
        id: 'antispam.barracuda-spam',
        severity: 'error',
        title: text('antispam:barracuda.spam.title'),
        detail: summary,
        evidence: status ? [{ source: status.name, text: s }] : [],
        fix: text('antispam:barracuda.spam.fix')
      })
    )
  }
  findings.push(...remedyFindings('barracuda', label, status?.name ?? 'X-Barracuda-Spam-Status', ruleList))
  return {
    verdict: {
      vendor: 'barracuda',
      label,
      verdict,
      score,
      threshold,
      summary: renderText('en', summary),
      summaryText: summary,
      headers: used,
      fields,
      rules: ruleList
    },
    findings
  }
}
