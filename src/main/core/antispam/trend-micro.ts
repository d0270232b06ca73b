import type {
  AntispamField,
  AntispamVerdictKind,
  HeaderField,
  VendorVerdict
} from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { headersWithPrefix, squash, toNumber } from './header-utils'
import { vendors } from './rule-data'

/**
 * Trend Micro (Email Security / ScanMail / IMSVA): X-TM-AS-Result ("No--11.480-7.0-31-10": Yes/No, then the
 * score; the rest is internal), X-TMASE-Result, approved/blocked sender flags.
 */
const table = vendors.trendmicro

export function decodeTrendMicro(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const all = headersWithPrefix(headers, 'X-TM-').concat(headersWithPrefix(headers, 'X-TMASE-'))
  if (all.length === 0) return undefined
  const meanings = table.headers as Record<string, string>
  const fields: AntispamField[] = []
  const used: string[] = []
  let verdict: AntispamVerdictKind = 'unknown'
  let score: number | undefined
  for (const h of all) {
    const key = Object.keys(meanings).find((k) => k.toLowerCase() === h.name.toLowerCase())
    const value = squash(h.value)
    if (/^x-tm-as-result$/i.test(h.name)) {
      const m = /^(Yes|No)-(-?\d+(?:\.\d+)?)/i.exec(value)
      if (m) {
        verdict = m[1].toLowerCase() === 'yes' ? 'spam' : 'clean'
        score = toNumber(m[2])
        fields.push({
          header: h.name,
          key: 'spam',
          value: m[1],
          meaning:
            m[1].toLowerCase() === 'yes'
              ? 'Trend Micro classified the message as spam.'
              : 'Trend Micro did not classify the message as spam.',
          opaque: false
        })
        fields.push({
          header: h.name,
          key: 'score',
          value: m[2],
          meaning: 'Trend Micro anti-spam score.',
          opaque: false
        })
      }
    }
    if (/^x-tm-as-user-blocked-sender$/i.test(h.name) && /^yes/i.test(value)) verdict = 'spam'
    fields.push({
      header: h.name,
      key: h.name,
      value,
      meaning: key ? meanings[key] : 'Trend Micro header (undocumented).',
      opaque: !key || /SNAP|Version/i.test(h.name)
    })
    if (!used.includes(h.name)) used.push(h.name)
  }
  const label = 'Trend Micro'
  const summary: Text = text(score !== undefined ? 'antispam:trend.summaryScore' : 'antispam:trend.summary', {
    verdict: text(`antispam:verdict.${verdict}`),
    score
  })
  const findings: Finding[] = []
  if (verdict === 'spam') {
    findings.push(
      textFinding({
        id: 'antispam.trendmicro-spam',
        severity: 'error',
        title: text('antispam:trend.spam.title'),
        detail: summary,
        evidence: []
      })
    )
  }
  return {
    verdict: {
      vendor: 'trendmicro',
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
