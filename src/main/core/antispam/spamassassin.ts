import type { AntispamRule, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { firstHeader, parseEqualsPairs, squash, toNumber, fieldCollector } from './header-utils'
import { remedyFindings, round, saRules, topRules } from './rule-data'

/**
 * SpamAssassin verdicts: X-Spam-Status ("Yes, score=7.3 required=5.0 tests=A,B autolearn=no version=4.0.0"),
 * X-Spam-Report (per-rule points and descriptions), X-Spam-Flag / X-Spam-Level / X-Spam-Checker-Version.
 * Header formats follow Mail::SpamAssassin::Conf `add_header` defaults (_YESNO_, _SCORE_, _REQD_, _TESTSSCORES_);
 * amavisd-new writes the same header with "tests=[RULE=score, ...]" and "hits=" in older versions.
 */

export interface ParsedStatus {
  flag?: boolean
  score?: number
  required?: number
  tests: Array<{ name: string; score?: number }>
  extras: Array<{ key: string; value: string }>
}

export function parseSpamStatus(value: string): ParsedStatus {
  const v = squash(value)
  const flagMatch = /^(yes|no)\b/i.exec(v)
  const score = /\b(?:score|hits)=(-?\d+(?:\.\d+)?)/i.exec(v)
  const required = /\brequired=(-?\d+(?:\.\d+)?)/i.exec(v)
  const tests: Array<{ name: string; score?: number }> = []
  // tests= runs until the next key= token; it may be bracketed (amavis) or a bare comma list.
  const testsMatch = /\btests=(\[[^\]]*\]|[^=]*?)(?=\s+[a-z_]+=|$)/i.exec(v)
  if (testsMatch) {
    const raw = testsMatch[1].replace(/^\[|\]$/g, '')
    for (const item of raw.split(/[,\s]+/)) {
      const m = /^([A-Z0-9_]+)(?:=(-?\d+(?:\.\d+)?))?$/i.exec(item.trim())
      if (m && m[1].toLowerCase() !== 'none') tests.push({ name: m[1].toUpperCase(), score: toNumber(m[2]) })
    }
  }
  const extras = parseEqualsPairs(v).filter(
    (p) => !['score', 'hits', 'required', 'tests'].includes(p.key.toLowerCase())
  )
  return {
    flag: flagMatch ? flagMatch[1].toLowerCase() === 'yes' : undefined,
    score: toNumber(score?.[1]),
    required: toNumber(required?.[1]),
    tests,
    extras
  }
}

/**
 * Parses the SpamAssassin report table ("pts rule name description"), also used by Barracuda. After unfolding the
 * header is one line, with "*" bullets where the lines began, so rules are located by their "points NAME " start
 * and each description runs up to the next rule start.
 */
export function parseSpamReport(value: string): Array<{ name: string; score: number; description: string }> {
  const text = value.replace(/\r?\n/g, ' ')
  const re = /(?:^|[\s*])(-?\d{1,3}(?:\.\d+)?)\s+([A-Z][A-Z0-9_]{2,})\s+/g
  const starts: Array<{ index: number; end: number; score: number; name: string }> = []
  for (const m of text.matchAll(re)) {
    starts.push({ index: m.index ?? 0, end: (m.index ?? 0) + m[0].length, score: Number(m[1]), name: m[2] })
  }
  return starts.map((s, i) => {
    const until = i + 1 < starts.length ? starts[i + 1].index : text.length
    const description = squash(text.slice(s.end, until).replace(/(^|\s)\*(?=\s|$)/g, ' '))
    return { name: s.name, score: s.score, description }
  })
}

export function describeSaRule(name: string, score: number | undefined, fromReport?: string): AntispamRule {
  const info = saRules[name]
  return {
    name,
    score,
    description: info?.description ?? fromReport ?? 'Local or uncommon rule; no description available.',
    known: Boolean(info),
    remedy: info?.remedy
  }
}

export function decodeSpamAssassin(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const status = firstHeader(headers, 'X-Spam-Status')
  const report = firstHeader(headers, 'X-Spam-Report')
  const flagH = firstHeader(headers, 'X-Spam-Flag')
  const scoreH = firstHeader(headers, 'X-Spam-Score')
  const levelH = firstHeader(headers, 'X-Spam-Level')
  const checker = firstHeader(headers, 'X-Spam-Checker-Version')
  if (!status && !report) return undefined
  // Rspamd can also write X-Spam-Status; without tests= and with Rspamd headers present, leave it to Rspamd.
  const rspamd = headers.some((h) => /^x-(rspamd-|spamd-result)/i.test(h.name))
  const parsed = status
    ? parseSpamStatus(status.value)
    : { tests: [], extras: [] as Array<{ key: string; value: string }> }
  if (rspamd && !checker && parsed.tests.length === 0 && !report) return undefined

  const { fields, used, add } = fieldCollector()
  if (status) {
    if (parsed.flag !== undefined)
      add(
        status.name,
        'verdict',
        parsed.flag ? 'Yes' : 'No',
        parsed.flag
          ? 'SpamAssassin classified the message as spam.'
          : 'SpamAssassin did not classify the message as spam.'
      )
    if (parsed.score !== undefined)
      add(status.name, 'score', String(parsed.score), 'Total of the points of every rule that fired.')
    if (parsed.required !== undefined)
      add(
        status.name,
        'required',
        String(parsed.required),
        'Score at which this site treats a message as spam (SpamAssassin default 5.0).'
      )
    for (const e of parsed.extras) {
      const meaning =
        e.key === 'autolearn'
          ? 'Whether the Bayesian filter learned from this message automatically (ham/spam/no/unavailable).'
          : e.key === 'version'
            ? 'SpamAssassin version.'
            : e.key === 'tagged_above'
              ? 'Score above which amavisd-new adds the spam headers.'
              : 'Additional SpamAssassin status field.'
      add(status.name, e.key, e.value, meaning)
    }
  }
  if (flagH)
    add(
      flagH.name,
      flagH.name,
      flagH.value.trim(),
      'YES when the message scored at or above the required score.'
    )
  if (scoreH) add(scoreH.name, scoreH.name, scoreH.value.trim(), 'Total spam score.')
  if (levelH)
    add(
      levelH.name,
      levelH.name,
      levelH.value.trim(),
      'The score as a bar of "*" characters (one per point), for simple filtering rules.'
    )
  if (checker)
    add(
      checker.name,
      checker.name,
      squash(checker.value),
      'SpamAssassin version and host that checked the message.'
    )

  const reportRules = report ? parseSpamReport(report.value) : []
  if (report) used.push(report.name)
  const byName = new Map<string, AntispamRule>()
  for (const r of reportRules) byName.set(r.name, describeSaRule(r.name, r.score, r.description))
  for (const t of parsed.tests) if (!byName.has(t.name)) byName.set(t.name, describeSaRule(t.name, t.score))
  const rules = [...byName.values()].sort((a, b) => (b.score ?? 0) - (a.score ?? 0))

  const score =
    parsed.score ??
    toNumber(scoreH?.value) ??
    (reportRules.length ? round(reportRules.reduce((s, r) => s + r.score, 0)) : undefined)
  const required = parsed.required ?? toNumber(/(-?\d+(?:\.\d+)?)\s+required/.exec(report?.value ?? '')?.[1])
  const flag =
    parsed.flag ??
    (flagH
      ? /yes/i.test(flagH.value)
      : score !== undefined && required !== undefined
        ? score >= required
        : undefined)
  const verdict = flag === undefined ? 'unknown' : flag ? 'spam' : 'clean'
  const label = 'SpamAssassin'
  const summary: Text =
    flag === undefined
      ? text('antispam:sa.summaryUnknown')
      : text(
          `antispam:sa.summary${flag ? 'Spam' : 'Clean'}${score !== undefined ? 'Score' : ''}${required !== undefined ? 'Required' : ''}`,
          {
            score,
            required
          }
        )

  const findings: Finding[] = []
  const evidence = status ? [{ source: status.name, text: squash(status.value) }] : []
  if (flag) {
    findings.push(
      textFinding({
        id: 'antispam.sa-spam',
        severity: 'error',
        title: text('antispam:sa.spam.title'),
        detail: [summary, topRules(rules)],
        evidence,
        fix: text('antispam:sa.spam.fix')
      })
    )
  } else if (
    flag === false &&
    score !== undefined &&
    required !== undefined &&
    required > 0 &&
    score >= required * 0.7
  ) {
    findings.push(
      textFinding({
        id: 'antispam.sa-near-threshold',
        severity: 'warning',
        title: text('antispam:sa.near.title'),
        detail: text('antispam:sa.near.detail', { score, required }),
        evidence
      })
    )
  }
  findings.push(...remedyFindings('sa', label, status?.name ?? report?.name ?? 'X-Spam-Status', rules))

  return {
    verdict: {
      vendor: 'spamassassin',
      label,
      verdict,
      score,
      threshold: required,
      summary: renderText('en', summary),
      summaryText: summary,
      headers: used,
      fields,
      rules
    },
    findings
  }
}
