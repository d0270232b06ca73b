import type { AntispamVerdictKind, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { findHeaders, firstHeader, parseColonPairs, squash, toNumber, fieldCollector } from './header-utils'
import { asVerdict, microsoft, strongest } from './rule-data'

/**
 * Microsoft 365 (Exchange Online Protection / Defender for Office 365) and Exchange Server verdicts:
 * X-Forefront-Antispam-Report, X-Microsoft-Antispam (BCL), X-MS-Exchange-Organization-SCL/-PCL/-AuthAs,
 * X-MS-Exchange-CrossTenant-*, the compauth part of Microsoft's Authentication-Results and X-CustomSpam.
 * Meanings: learn.microsoft.com/defender-office-365/message-headers-eop-mdo, anti-spam-spam-confidence-level-
 * scl-about, anti-spam-bulk-complaint-level-bcl-about. Undocumented fields (SFS, ARA, SFP...) stay opaque.
 */

type Sfv = { meaning: string; verdict: string; bypass?: boolean; opaque?: boolean }
const sfvTable = microsoft.sfv as Record<string, Sfv>
const catTable = microsoft.cat as Record<string, { meaning: string; verdict: string }>
const fieldTable = microsoft.forefrontFields as Record<string, string>
const sclTable = microsoft.scl as Record<string, string>

function bclMeaning(bcl: number): string {
  const t = microsoft.bcl as Record<string, string>
  if (bcl <= 0) return t['0']
  if (bcl <= 3) return t['1-3']
  if (bcl <= 7) return t['4-7']
  return t['8-9']
}

function compauthMeaning(reason: string): string | undefined {
  const t = microsoft.compauthReason as Record<string, string>
  return t[reason] ?? t[reason.charAt(0)]
}

export function decodeMicrosoft(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const forefront = firstHeader(headers, 'X-Forefront-Antispam-Report')
  const msAntispam = firstHeader(headers, 'X-Microsoft-Antispam')
  const orgScl = firstHeader(headers, 'X-MS-Exchange-Organization-SCL')
  const orgPcl = firstHeader(headers, 'X-MS-Exchange-Organization-PCL')
  const authAs = firstHeader(headers, 'X-MS-Exchange-Organization-AuthAs')
  const ctAuthAs = firstHeader(headers, 'X-MS-Exchange-CrossTenant-AuthAs')
  const ctFrom = firstHeader(headers, 'X-MS-Exchange-CrossTenant-FromEntityHeader')
  const ctId = firstHeader(headers, 'X-MS-Exchange-CrossTenant-Id')
  const delivery = firstHeader(headers, 'X-Microsoft-Antispam-Mailbox-Delivery')
  const customSpam = findHeaders(headers, 'X-CustomSpam')
  const authResults = findHeaders(headers, 'Authentication-Results').find((h) => /\bcompauth=/i.test(h.value))
  if (!forefront && !msAntispam && !orgScl && !authResults && !ctFrom) return undefined

  const { fields, used, add } = fieldCollector()
  const verdicts: AntispamVerdictKind[] = []
  const findings: Finding[] = []
  let scl: number | undefined
  let bcl: number | undefined
  let bypass = false
  const cats: string[] = []
  let sfv: string | undefined
  let ptr: string | undefined
  let direction: string | undefined
  let bulk = false
  let sfty: string | undefined

  if (forefront) {
    for (const { key, value } of parseColonPairs(forefront.value)) {
      const k = key.toUpperCase()
      if (k === 'SFV') {
        sfv = value.toUpperCase()
        const info = sfvTable[sfv]
        add(
          forefront.name,
          'SFV',
          value,
          info?.meaning ?? 'Spam filtering verdict not documented by Microsoft.',
          !info || info.opaque
        )
        if (info && !info.opaque) verdicts.push(asVerdict(info.verdict))
        if (info?.bypass) bypass = true
      } else if (k === 'CAT') {
        const cat = value.toUpperCase()
        cats.push(cat)
        const info = catTable[cat]
        add(
          forefront.name,
          'CAT',
          value,
          info ? `${fieldTable.CAT} ${info.meaning}` : 'Protection category not documented by Microsoft.',
          !info
        )
        if (info) verdicts.push(asVerdict(info.verdict))
      } else if (k === 'SCL') {
        scl = toNumber(value)
        add(forefront.name, 'SCL', value, sclTable[String(scl)] ?? fieldTable.SCL)
      } else if (k === 'SRV') {
        if (value.toUpperCase() === 'BULK') bulk = true
        add(
          forefront.name,
          'SRV',
          value,
          value.toUpperCase() === 'BULK'
            ? 'Identified as bulk mail by spam filtering and the bulk complaint level (BCL) threshold.'
            : fieldTable.SRV
        )
      } else if (k === 'IPV') {
        const m = (microsoft.ipv as Record<string, string>)[value.toUpperCase()]
        if (value.toUpperCase() === 'CAL') bypass = true
        add(forefront.name, 'IPV', value, m ?? fieldTable.IPV, !m && value !== '')
      } else if (k === 'SFTY') {
        sfty = value
        const m = (microsoft.sfty as Record<string, string>)[value]
        add(forefront.name, 'SFTY', value, m ? `Phishing/impersonation: ${m}` : fieldTable.SFTY, !m)
      } else if (k === 'PTR') {
        ptr = value
        add(
          forefront.name,
          'PTR',
          value,
          value ? fieldTable.PTR : 'The connecting IP has no reverse DNS (PTR) record.'
        )
      } else if (k === 'DIR') {
        direction = value.toUpperCase()
        add(forefront.name, 'DIR', value, fieldTable.DIR)
      } else if (k === 'SFS' || k === 'ARA' || k === 'SFP' || k === 'EFV' || k === 'RULEID') {
        const ids = value.match(/\(\d+\)/g)
        add(forefront.name, key, value, `${fieldTable[k]}${ids ? ` (${ids.length} ids)` : ''}`, true)
      } else if (fieldTable[k] ?? fieldTable[key]) {
        add(forefront.name, key, value, fieldTable[k] ?? fieldTable[key])
      } else {
        add(
          forefront.name,
          key,
          value,
          'Field not documented by Microsoft (used by its anti-spam team for diagnostics).',
          true
        )
      }
    }
  }

  if (msAntispam) {
    for (const { key, value } of parseColonPairs(msAntispam.value)) {
      if (key.toUpperCase() === 'BCL') {
        bcl = toNumber(value)
        add(
          msAntispam.name,
          'BCL',
          value,
          bcl === undefined ? 'Bulk complaint level.' : `Bulk complaint level: ${bclMeaning(bcl)}`
        )
      } else if (key.toUpperCase() === 'PCL') {
        add(
          msAntispam.name,
          'PCL',
          value,
          'Phishing confidence level (0–3 not likely phishing, 4–8 suspicious).'
        )
      } else {
        add(msAntispam.name, key, value, 'Field not documented by Microsoft.', true)
      }
    }
  }

  if (orgScl) {
    const v = toNumber(orgScl.value)
    scl ??= v
    add(orgScl.name, 'SCL', orgScl.value.trim(), sclTable[String(v)] ?? 'Spam confidence level (-1 to 9).')
  }
  if (orgPcl)
    add(
      orgPcl.name,
      'PCL',
      orgPcl.value.trim(),
      'Phishing confidence level (0–3 not likely phishing, 4–8 suspicious).'
    )
  for (const h of [authAs, ctAuthAs]) {
    if (!h) continue
    const m = (microsoft.authAs as Record<string, string>)[h.value.trim()]
    add(h.name, 'AuthAs', h.value.trim(), m ?? 'How Exchange authenticated the submitter.', !m)
  }
  if (ctFrom) {
    const m = (microsoft.fromEntityHeader as Record<string, string>)[ctFrom.value.trim()]
    add(
      ctFrom.name,
      'FromEntityHeader',
      ctFrom.value.trim(),
      m ?? 'Where the message entered Exchange Online.',
      !m
    )
  }
  if (ctId)
    add(
      ctId.name,
      'TenantId',
      ctId.value.trim(),
      'Microsoft 365 tenant (directory) ID that processed the message.'
    )
  if (delivery) {
    const dest = /\bdest:([A-Z])/i.exec(delivery.value)?.[1]?.toUpperCase()
    const m = dest ? (microsoft.mailboxDelivery.dest as Record<string, string>)[dest] : undefined
    add(
      delivery.name,
      'dest',
      dest ?? squash(delivery.value),
      m
        ? `${m} (undocumented header; decoded from observed behaviour)`
        : 'Undocumented mailbox delivery data.',
      !m
    )
    if (dest === 'J') verdicts.push('spam')
  }
  for (const h of customSpam)
    add(h.name, 'X-CustomSpam', h.value.trim(), `${fieldTable['X-CustomSpam']} Setting: ${h.value.trim()}.`)

  let compauth: { result: string; reason?: string } | undefined
  if (authResults) {
    const m = /\bcompauth=(\w+)(?:\s+reason=(\d{3}))?/i.exec(authResults.value)
    if (m) {
      compauth = { result: m[1].toLowerCase(), reason: m[2] }
      add(
        authResults.name,
        'compauth',
        m[1],
        "Composite authentication result: Microsoft's combined SPF/DKIM/DMARC/reputation verdict for the From domain."
      )
      if (m[2])
        add(
          authResults.name,
          'reason',
          m[2],
          compauthMeaning(m[2]) ?? 'Composite authentication reason code.'
        )
    }
  }

  if (scl !== undefined) {
    if (scl >= 5) verdicts.push('spam')
    else if (scl === -1) bypass = true
    else if (scl <= 1) verdicts.push('clean')
  }
  const threshold = microsoft.bclDefaultThreshold
  if (bulk || (bcl !== undefined && bcl >= threshold)) verdicts.push('bulk')
  let verdict = strongest(...verdicts)
  if (verdict === 'unknown' && bypass) verdict = 'clean'

  const label = 'Microsoft 365 / Exchange'
  const summaryParts: string[] = []
  if (sfv) summaryParts.push(`SFV:${sfv}`)
  if (scl !== undefined) summaryParts.push(`SCL ${scl}`)
  if (bcl !== undefined) summaryParts.push(`BCL ${bcl}`)
  if (cats.length) summaryParts.push(`CAT:${cats.join(',')}`)
  const summary = `Microsoft filtering verdict: ${verdict}${summaryParts.length ? ` (${summaryParts.join(', ')})` : ''}.${
    bypass ? " Spam filtering was bypassed by the recipient organisation's configuration." : ''
  }`
  const ev = forefront ? [{ source: forefront.name, text: squash(forefront.value) }] : []

  if (scl !== undefined && scl >= 5) {
    findings.push({
      id: 'antispam.m365-scl-high',
      severity: 'error',
      title: `Microsoft rated the message as ${scl >= 7 ? 'high confidence ' : ''}spam (SCL ${scl})`,
      detail: `${sclTable[String(scl)]}${sfv ? ` Filter verdict SFV:${sfv}: ${sfvTable[sfv]?.meaning ?? 'undocumented'}` : ''}`,
      evidence: ev,
      fix: "Check authentication (SPF, DKIM, DMARC alignment), the sending IP's reputation (SNDS, block lists) and the content. If the recipient trusts you, they can submit the message to Microsoft as not junk."
    })
  }
  if (cats.some((c) => catTable[c]?.verdict === 'phish')) {
    const list = cats.filter((c) => catTable[c]?.verdict === 'phish')
    findings.push({
      id: 'antispam.m365-phish',
      severity: 'error',
      title: `Microsoft classified the message as ${list.map((c) => catTable[c].meaning.replace(/\.$/, '').toLowerCase()).join(' / ')}`,
      detail: `CAT:${list.join(',')}${sfty ? `, SFTY ${sfty}` : ''}. Phishing, spoofing and impersonation verdicts override most allow lists.`,
      evidence: ev,
      fix: list.includes('SPOOF')
        ? 'Make the From domain pass DMARC: SPF or DKIM must pass and align with the From domain.'
        : 'Review the display name, domain look-alikes and links; legitimate senders can ask the recipient to add them to the impersonation exclusions.',
      remedy: list.includes('SPOOF') ? 'dmarc-planner' : undefined
    })
  }
  if (compauth && (compauth.result === 'fail' || compauth.result === 'softpass')) {
    findings.push({
      id: 'antispam.m365-compauth-fail',
      severity: compauth.result === 'fail' ? 'error' : 'warning',
      title: `Microsoft composite authentication ${compauth.result}${compauth.reason ? ` (reason ${compauth.reason})` : ''}`,
      detail: compauth.reason
        ? (compauthMeaning(compauth.reason) ?? '')
        : 'The From domain was not authenticated.',
      evidence: authResults ? [{ source: authResults.name, text: squash(authResults.value) }] : [],
      fix: 'Publish SPF and DKIM for the From domain and a DMARC record, and make sure at least one of them aligns with the From domain.',
      remedy: 'dmarc-planner'
    })
  }
  if (bulk || (bcl !== undefined && bcl >= 4)) {
    const overThreshold = bulk || (bcl !== undefined && bcl >= threshold)
    findings.push({
      id: 'antispam.m365-bulk',
      severity: overThreshold ? 'warning' : 'info',
      title: overThreshold
        ? `Microsoft treated the message as bulk mail${bcl !== undefined ? ` (BCL ${bcl})` : ''}`
        : `Bulk complaint level ${bcl}`,
      detail: `${bcl !== undefined ? bclMeaning(bcl) : 'SRV:BULK was set.'} The default anti-spam policy acts from BCL ${threshold} (Standard preset 6, Strict 5).`,
      evidence: msAntispam ? [{ source: msAntispam.name, text: squash(msAntispam.value) }] : ev,
      fix: 'Send only to recipients who asked for the mail, honour unsubscribes quickly, and include List-Unsubscribe with one-click (RFC 8058).',
      remedy: 'content-lint'
    })
  }
  if (sfv === 'BLK' || sfv === 'SKB') {
    findings.push({
      id: 'antispam.m365-blocked-sender',
      severity: 'error',
      title: 'The recipient side blocks this sender',
      detail: sfvTable[sfv].meaning,
      evidence: ev,
      fix: 'Only the recipient (Blocked Senders) or their administrator (anti-spam policy block list) can remove the block.'
    })
  }
  if (bypass) {
    findings.push({
      id: 'antispam.m365-bypass',
      severity: 'info',
      title: 'Microsoft spam filtering was bypassed',
      detail:
        'An allow list, a mail flow rule or the connection filter skipped spam filtering, so the SCL here says nothing about your reputation elsewhere.',
      evidence: ev
    })
  }
  if (ptr !== undefined && ptr === '' && direction !== 'OUT' && direction !== 'INT') {
    findings.push({
      id: 'antispam.m365-no-ptr',
      severity: 'warning',
      title: 'The connecting IP has no reverse DNS record',
      detail:
        'Microsoft recorded an empty PTR field for the connecting IP. Many receivers score or reject mail from IPs without reverse DNS.',
      evidence: ev,
      fix: "Ask the owner of the IP (ISP or hosting provider) for a PTR record that matches the server's hostname.",
      remedy: 'rdns-request'
    })
  }
  if (sfty === '9.19' || sfty === '9.20' || sfty === '9.11') {
    findings.push({
      id: 'antispam.m365-impersonation',
      severity: 'warning',
      title: 'Microsoft flagged impersonation or spoofing',
      detail: `SFTY ${sfty}: ${(microsoft.sfty as Record<string, string>)[sfty]}`,
      evidence: ev
    })
  }

  return {
    verdict: {
      vendor: 'microsoft',
      label,
      verdict,
      score: scl,
      threshold: 5,
      summary,
      headers: used,
      fields,
      rules: []
    },
    findings
  }
}
