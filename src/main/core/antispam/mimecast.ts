import type { AntispamVerdictKind, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { firstHeader, headersWithPrefix, squash, toNumber, fieldCollector } from './header-utils'
import { vendors } from './rule-data'

/**
 * Mimecast: X-Mimecast-Spam-Score, X-Mimecast-Spam-Signature, X-Mimecast-Bulk-Signature and
 * X-Mimecast-Impersonation-Protect ("Policy=...;Similar Internal Domain=false;...;Newly Observed Domain=true").
 * Mimecast does not publish a fixed spam threshold, so the score alone never decides the verdict.
 */
const table = vendors.mimecast

export function decodeMimecast(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const all = headersWithPrefix(headers, 'X-Mimecast-').concat(headersWithPrefix(headers, 'X-MC-'))
  if (all.length === 0) return undefined
  const { fields, used, add } = fieldCollector()
  const headerMeanings = table.headers as Record<string, string>
  const imp = firstHeader(headers, 'X-Mimecast-Impersonation-Protect')
  const hits: string[] = []
  let policy: string | undefined
  for (const h of all) {
    if (h === imp) continue
    const key = Object.keys(headerMeanings).find((k) => k.toLowerCase() === h.name.toLowerCase())
    add(
      h.name,
      h.name,
      squash(h.value),
      key ? headerMeanings[key] : 'Mimecast header (undocumented).',
      !key || /ID$|Unique/i.test(h.name)
    )
  }
  if (imp) {
    const checks = table.impersonation as Record<string, string>
    for (const part of imp.value.split(';')) {
      const i = part.indexOf('=')
      if (i < 0) continue
      const k = part.slice(0, i).trim()
      const v = part.slice(i + 1).trim()
      if (k.toLowerCase() === 'policy') {
        policy = v
        add(imp.name, 'Policy', v, 'Impersonation Protection policy that evaluated the message.')
        continue
      }
      const hit = v.toLowerCase() === 'true'
      if (hit) hits.push(k)
      add(
        imp.name,
        k,
        v,
        `${checks[k] ?? 'Impersonation check (undocumented).'} ${hit ? 'Matched.' : 'Not matched.'}`,
        !checks[k]
      )
    }
  }
  const score = toNumber(firstHeader(headers, 'X-Mimecast-Spam-Score')?.value)
  const sig = firstHeader(headers, 'X-Mimecast-Spam-Signature')?.value ?? ''
  const bulkSig = firstHeader(headers, 'X-Mimecast-Bulk-Signature')?.value ?? ''
  let verdict: AntispamVerdictKind = 'unknown'
  if (/bulk/i.test(sig) || /^(yes|true)/i.test(bulkSig.trim())) verdict = 'bulk'
  if (/spam/i.test(sig)) verdict = 'spam'
  // Mimecast's default impersonation policy acts when several indicators match; one hit is a warning sign only.
  if (hits.length >= 2) verdict = 'phish'
  const label = 'Mimecast'
  const summary: Text = text(
    score !== undefined ? 'antispam:mimecast.summaryScore' : 'antispam:mimecast.summary',
    {
      score,
      hits: hits.length ? text('antispam:mimecast.hits', { hits: hits.join(', ') }) : ''
    }
  )
  const findings: Finding[] = []
  if (hits.length) {
    findings.push(
      textFinding({
        id: 'antispam.mimecast-impersonation',
        severity: hits.length >= 2 ? 'error' : 'warning',
        title: text('antispam:mimecast.impersonation.title', { count: hits.length }),
        detail: [
          ...hits.map((h) =>
            (table.impersonation as Record<string, string>)[h]
              ? text('antispam:mimecast.indicator', {
                  name: h,
                  meaning: text(`antispam:mimecast.indicators.${h}`)
                })
              : text('antispam:mimecast.indicatorUnknown', { name: h })
          ),
          ...(policy ? [text('antispam:mimecast.policy', { policy })] : [])
        ],
        evidence: imp ? [{ source: imp.name, text: squash(imp.value) }] : [],
        fix: text('antispam:mimecast.impersonation.fix')
      })
    )
  }
  if (verdict === 'bulk') {
    findings.push(
      textFinding({
        id: 'antispam.mimecast-bulk',
        severity: 'warning',
        title: text('antispam:mimecast.bulk.title'),
        detail: summary,
        evidence: [],
        remedy: 'content-lint'
      })
    )
  }
  return {
    verdict: {
      vendor: 'mimecast',
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
