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
import { findHeaders, squash } from './header-utils'
import { vendors } from './rule-data'

/**
 * Google: mostly informational (X-Gm-Message-State, X-Google-Smtp-Source, X-Received are encoded or internal).
 * Messages exported from Gmail (Takeout) may carry X-Gmail-Labels ("Spam", "Category Promotions") and
 * X-Gm-Spam / X-Gm-Phishy flags, which do tell where Gmail filed the message.
 */
const table = vendors.google
const meanings = table.headers as Record<string, string>
// The table's header names by their lowercase form (names compare case-insensitively, RFC 5322 §1.2.2); the first
// spelling wins, as a search of the table in order would. Built once: every message's header block is looked up.
const KEY_OF = new Map<string, string>()
for (const k of Object.keys(meanings)) if (!KEY_OF.has(k.toLowerCase())) KEY_OF.set(k.toLowerCase(), k)

export function decodeGoogle(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const all = headers.filter((h) => KEY_OF.has(h.name.toLowerCase()))
  if (all.length === 0) return undefined
  const fields: AntispamField[] = []
  const used: string[] = []
  let verdict: AntispamVerdictKind = 'unknown'
  const seen = new Set<string>()
  for (const h of all) {
    const lower = h.name.toLowerCase()
    if (seen.has(lower) && lower === 'x-received') continue
    seen.add(lower)
    const key = KEY_OF.get(lower) as string
    const opaque = /state|smtp-source|features|gg|dkim/i.test(h.name)
    fields.push({ header: h.name, key: h.name, value: squash(h.value), meaning: meanings[key], opaque })
    if (!used.includes(h.name)) used.push(h.name)
  }
  const spam = findHeaders(headers, 'X-Gm-Spam')[0]?.value.trim()
  const phishy = findHeaders(headers, 'X-Gm-Phishy')[0]?.value.trim()
  const labels = findHeaders(headers, 'X-Gmail-Labels')[0]?.value ?? ''
  const labelList = labels.split(',').map((l) => l.trim())
  if (spam === '0' || phishy === '0' || labels) verdict = 'clean'
  if (labelList.some((l) => /^category promotions$/i.test(l))) verdict = 'bulk'
  if (spam === '1' || labelList.some((l) => /^spam$/i.test(l))) verdict = 'spam'
  if (phishy === '1') verdict = 'phish'
  const label = 'Google (Gmail)'
  const summary: Text =
    verdict === 'unknown'
      ? text('antispam:google.summaryUnknown')
      : text(labels ? 'antispam:google.summaryLabels' : 'antispam:google.summary', {
          verdict: text(`antispam:verdict.${verdict}`),
          labels: labelList.join(', ')
        })
  const findings: Finding[] = []
  if (verdict === 'spam' || verdict === 'phish') {
    findings.push(
      textFinding({
        id: 'antispam.gmail-spam',
        severity: 'error',
        title: text(verdict === 'phish' ? 'antispam:google.phish.title' : 'antispam:google.spam.title'),
        detail: summary,
        evidence: [],
        fix: text('antispam:google.spam.fix')
      })
    )
  }
  return {
    verdict: {
      vendor: 'google',
      label,
      verdict,
      score: undefined,
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
