import type { AntispamVerdictKind, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
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
  const summary = `Cisco gateway${sbrs !== undefined ? `: sender reputation (SBRS) ${sbrs}` : ''}${group ? `, sender group ${group}` : ''}${amp ? `, AMP ${amp}` : ''}. The spam verdict itself is encoded and not decodable.`
  const findings: Finding[] = []
  if (sbrs !== undefined && sbrs < table.sbrs.suspectBelow) {
    findings.push({
      id: 'antispam.ironport-sbrs-low',
      severity: sbrs < table.sbrs.blockBelow ? 'error' : 'warning',
      title: `Low Cisco SenderBase reputation (${sbrs})`,
      detail: `Cisco's default Host Access Table blocks senders below ${table.sbrs.blockBelow} and throttles those below ${table.sbrs.suspectBelow}; administrators can change these ranges.`,
      evidence: sbrsH ? [{ source: sbrsH.name, text: sbrsH.value.trim() }] : [],
      fix: 'Look up the IP at https://talosintelligence.com/reputation_center and open a dispute there after fixing the cause.',
      remedy: 'delist'
    })
  }
  if (amp === 'MALICIOUS') {
    findings.push({
      id: 'antispam.ironport-amp-malicious',
      severity: 'critical',
      title: 'Cisco AMP judged an attachment malicious',
      detail: 'Advanced Malware Protection returned MALICIOUS for an attachment.',
      evidence: [{ source: 'X-Amp-Result', text: amp }]
    })
  }
  return {
    verdict: {
      vendor: 'ironport',
      label,
      verdict,
      score: sbrs,
      threshold: undefined,
      summary,
      headers: used,
      fields,
      rules: []
    },
    findings
  }
}
