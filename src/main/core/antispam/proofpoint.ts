import type { HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import {
  firstHeader,
  headersWithPrefix,
  parseEqualsPairs,
  squash,
  toNumber,
  fieldCollector
} from './header-utils'
import { asVerdict, vendors } from './rule-data'

/**
 * Proofpoint (Protection Server / Essentials): X-Proofpoint-Spam-Details ("rule=notspam policy=default score=0
 * spamscore=0 phishscore=0 bulkscore=0 ... reason=mlx ..."), X-Proofpoint-Virus-Version, GUIDs. Classifier scores
 * are 0–100; the disposition comes from the policy rule name, because thresholds are set per customer policy.
 */
const table = vendors.proofpoint

export function decodeProofpoint(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const all = headersWithPrefix(headers, 'X-Proofpoint-').concat(headersWithPrefix(headers, 'X-PPE-'))
  if (all.length === 0) return undefined
  const details = firstHeader(headers, 'X-Proofpoint-Spam-Details')
  const { fields, used, add } = fieldCollector()
  const detailMeanings = table.details as Record<string, string>
  const rulesTable = table.rules as Record<string, { meaning: string; verdict: string }>
  let rule: string | undefined
  const scores: Record<string, number> = {}
  if (details) {
    for (const { key, value } of parseEqualsPairs(details.value)) {
      const k = key.toLowerCase()
      if (k === 'rule') rule = value.toLowerCase()
      const n = toNumber(value)
      if (k.endsWith('score') && n !== undefined) scores[k] = n
      const meaning =
        k === 'rule' && rulesTable[value.toLowerCase()]
          ? `${detailMeanings.rule} ${rulesTable[value.toLowerCase()].meaning}`
          : (detailMeanings[k] ?? 'Proofpoint field (undocumented).')
      add(
        details.name,
        key,
        value,
        meaning,
        !detailMeanings[k] || ['mlxlogscore', 'clxscore', 'engine', 'definitions'].includes(k)
      )
    }
  }
  const headerMeanings = table.headers as Record<string, string>
  for (const h of all) {
    if (h === details) continue
    const key = Object.keys(headerMeanings).find((k) => k.toLowerCase() === h.name.toLowerCase())
    add(
      h.name,
      h.name,
      squash(h.value),
      key ? headerMeanings[key] : 'Proofpoint header (undocumented).',
      !key || /GUID|Enc/i.test(h.name)
    )
  }
  let verdict = rule ? asVerdict(rulesTable[rule]?.verdict) : 'unknown'
  // Custom rule names: fall back on the classifier scores only when they are unambiguous.
  if (verdict === 'unknown' && rule) {
    if ((scores.phishscore ?? 0) >= 90 || (scores.malwarescore ?? 0) >= 90) verdict = 'phish'
    else if ((scores.spamscore ?? 0) >= 90) verdict = 'spam'
    else if ((scores.bulkscore ?? 0) >= 90) verdict = 'bulk'
  }
  const label = 'Proofpoint'
  const score = scores.spamscore ?? scores.score
  const summary: Text = text(rule ? 'antispam:proofpoint.summary' : 'antispam:proofpoint.summaryNoRule', {
    rule,
    verdict: text(`antispam:verdict.${verdict}`),
    score: score !== undefined ? text('antispam:proofpoint.score', { score }) : ''
  })
  const findings: Finding[] = []
  if (verdict === 'spam' || verdict === 'phish' || verdict === 'bulk') {
    findings.push(
      textFinding({
        id: `antispam.proofpoint-${verdict}`,
        severity: verdict === 'bulk' ? 'warning' : 'error',
        title: text('antispam:proofpoint.classified.title', { verdict: text(`antispam:verdict.${verdict}`) }),
        detail: [
          summary,
          text('antispam:proofpoint.scores', {
            scores: Object.entries(scores)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')
          })
        ],
        evidence: details ? [{ source: details.name, text: squash(details.value) }] : [],
        fix: text('antispam:proofpoint.classified.fix')
      })
    )
  }
  return {
    verdict: {
      vendor: 'proofpoint',
      label,
      verdict,
      score,
      threshold: undefined,
      summary: renderText('en', summary),
      summaryText: summary,
      headers: used,
      fields,
      rules: []
    },
    findings
  }
}
