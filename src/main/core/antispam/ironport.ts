import type { AntispamVerdictKind, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { firstHeader, squash, toNumber, fieldCollector } from './header-utils'
import { vendors } from './rule-data'

/**
 * Cisco Secure Email (IronPort): X-IronPort-Anti-Spam-Filtered/-Result (encoded, opaque), X-IronPort-AV,
 * SenderBase reputation (X-IronPort-Reputation / X-SBRS, -10..+10), sender group / mail flow policy, AMP results.
 */
const table = vendors.ironport

export function decodeIronPort(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const all = headers.filter((h) =>
    /^(x-ironport-|x-sbrs$|x-amp-|ironport-sdr$|x-ipas-result$)/i.test(h.name)
  )
  if (all.length === 0) return undefined
  const { fields, used, add } = fieldCollector()
  const meanings = table.headers as Record<string, string>
  for (const h of all) {
    const key = Object.keys(meanings).find((k) => k.toLowerCase() === h.name.toLowerCase())
    const opaque = !key || (/Result$|SDR|MID|IPAS/i.test(h.name) && !/Amp-Result|Dmarc/i.test(h.name))
    if (/^x-ironport-av$/i.test(h.name)) {
      const engine = /\bE=([^;]+)/.exec(h.value)?.[1]
      add(h.name, 'E', engine ?? '', `Anti-virus engine: ${engine ?? 'unknown'}.`)
      add(h.name, h.name, squash(h.value), meanings['X-IronPort-AV'], true)
      continue
    }
    add(h.name, h.name, squash(h.value), key ? meanings[key] : 'Cisco header (undocumented).', opaque)
  }
  const sbrsH = firstHeader(headers, 'X-IronPort-Reputation') ?? firstHeader(headers, 'X-SBRS')
  const sbrs = toNumber(sbrsH?.value)
  const amp = firstHeader(headers, 'X-Amp-Result')?.value.trim().toUpperCase()
  const group = firstHeader(headers, 'X-IronPort-SenderGroup')?.value.trim()
  let verdict: AntispamVerdictKind = 'unknown'
  if (amp === 'MALICIOUS') verdict = 'phish'
  const label = 'Cisco Secure Email (IronPort)'
  const summary: Text = text('antispam:ironport.summary', {
    parts: [
      sbrs !== undefined ? `SBRS ${sbrs}` : '',
      group ? `SenderGroup ${group}` : '',
      amp ? `AMP ${amp}` : ''
    ]
      .filter(Boolean)
      .join(', ')
  })
  const findings: Finding[] = []
  if (sbrs !== undefined && sbrs < table.sbrs.suspectBelow) {
    findings.push(
      textFinding({
        id: 'antispam.ironport-sbrs-low',
        severity: sbrs < table.sbrs.blockBelow ? 'error' : 'warning',
        title: text('antispam:ironport.sbrs.title', { sbrs }),
        detail: text('antispam:ironport.sbrs.detail', {
          block: table.sbrs.blockBelow,
          suspect: table.sbrs.suspectBelow
        }),
        evidence: sbrsH ? [{ source: sbrsH.name, text: sbrsH.value.trim() }] : [],
        fix: text('antispam:ironport.sbrs.fix'),
        remedy: 'delist'
      })
    )
  }
  if (amp === 'MALICIOUS') {
    findings.push(
      textFinding({
        id: 'antispam.ironport-amp-malicious',
        severity: 'critical',
        title: text('antispam:ironport.amp.title'),
        detail: text('antispam:ironport.amp.detail'),
        evidence: [{ source: 'X-Amp-Result', text: amp }]
      })
    )
  }
  return {
    verdict: {
      vendor: 'ironport',
      label,
      verdict,
      score: sbrs,
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
