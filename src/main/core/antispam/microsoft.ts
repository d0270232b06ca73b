import type { AntispamVerdictKind, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { findHeaders, firstHeader, parseColonPairs, squash, toNumber, fieldCollector } from './header-utils'
import { compauthMeaning as recordedCompauthMeaning, decodeCompauthReason } from '../auth/recorded'
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

function bclKey(bcl: number): string {
  return bcl <= 0 ? '0' : bcl <= 3 ? '1-3' : bcl <= 7 ? '4-7' : '8-9'
}
/** A table meaning of microsoft.json as a Text (antispam:ms.<table>.<key>, dots in keys as "_"). */
const ms = (table: string, key: string): Text => text(`antispam:ms.${table}.${key.replace(/\./g, '_')}`)

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
  const summary: Text = text(
    `antispam:m365.summary${summaryParts.length ? 'Parts' : ''}${bypass ? 'Bypass' : ''}`,
    {
      verdict: text(`antispam:verdict.${verdict}`),
      parts: summaryParts.join(', ')
    }
  )
  const ev = forefront ? [{ source: forefront.name, text: squash(forefront.value) }] : []

  if (scl !== undefined && scl >= 5) {
    findings.push(
      textFinding({
        id: 'antispam.m365-scl-high',
        severity: 'error',
        title: text(scl >= 7 ? 'antispam:m365.scl.titleHigh' : 'antispam:m365.scl.title', { scl }),
        detail: [
          ...(sclTable[String(scl)] ? [ms('scl', String(scl))] : []),
          ...(sfv
            ? [
                text('antispam:m365.scl.sfv', {
                  sfv,
                  meaning: sfvTable[sfv] ? ms('sfv', sfv) : text('antispam:m365.undocumented')
                })
              ]
            : [])
        ],
        evidence: ev,
        fix: text('antispam:m365.scl.fix')
      })
    )
  }
  if (cats.some((c) => catTable[c]?.verdict === 'phish')) {
    const list = cats.filter((c) => catTable[c]?.verdict === 'phish')
    findings.push(
      textFinding({
        id: 'antispam.m365-phish',
        severity: 'error',
        title: text('antispam:m365.phish.title', { categories: list.join(', ') }),
        detail: [
          ...list.map((c) => text('antispam:m365.phish.category', { cat: c, meaning: ms('cat', c) })),
          text(sfty ? 'antispam:m365.phish.detailSfty' : 'antispam:m365.phish.detail', { sfty })
        ],
        evidence: ev,
        fix: text(list.includes('SPOOF') ? 'antispam:m365.phish.fixSpoof' : 'antispam:m365.phish.fix'),
        remedy: list.includes('SPOOF') ? 'dmarc-planner' : undefined
      })
    )
  }
  if (compauth && (compauth.result === 'fail' || compauth.result === 'softpass')) {
    findings.push(
      textFinding({
        id: 'antispam.m365-compauth-fail',
        severity: compauth.result === 'fail' ? 'error' : 'warning',
        title: text(compauth.reason ? 'antispam:m365.compauth.titleReason' : 'antispam:m365.compauth.title', {
          result: compauth.result,
          reason: compauth.reason
        }),
        detail: compauth.reason
          ? recordedCompauthMeaning(decodeCompauthReason(compauth.reason))
          : text('antispam:m365.compauth.detail'),
        evidence: authResults ? [{ source: authResults.name, text: squash(authResults.value) }] : [],
        fix: text('antispam:m365.compauth.fix'),
        remedy: 'dmarc-planner'
      })
    )
  }
  if (bulk || (bcl !== undefined && bcl >= 4)) {
    const overThreshold = bulk || (bcl !== undefined && bcl >= threshold)
    findings.push(
      textFinding({
        id: 'antispam.m365-bulk',
        severity: overThreshold ? 'warning' : 'info',
        title: overThreshold
          ? text(bcl !== undefined ? 'antispam:m365.bulk.titleBcl' : 'antispam:m365.bulk.title', { bcl })
          : text('antispam:m365.bulk.titleLevel', { bcl }),
        detail: [
          bcl !== undefined ? ms('bcl', bclKey(bcl)) : text('antispam:m365.bulk.srv'),
          text('antispam:m365.bulk.detail', { threshold })
        ],
        evidence: msAntispam ? [{ source: msAntispam.name, text: squash(msAntispam.value) }] : ev,
        fix: text('antispam:m365.bulk.fix'),
        remedy: 'content-lint'
      })
    )
  }
  if (sfv === 'BLK' || sfv === 'SKB') {
    findings.push(
      textFinding({
        id: 'antispam.m365-blocked-sender',
        severity: 'error',
        title: text('antispam:m365.blocked.title'),
        detail: ms('sfv', sfv),
        evidence: ev,
        fix: text('antispam:m365.blocked.fix')
      })
    )
  }
  if (bypass) {
    findings.push(
      textFinding({
        id: 'antispam.m365-bypass',
        severity: 'info',
        title: text('antispam:m365.bypass.title'),
        detail: text('antispam:m365.bypass.detail'),
        evidence: ev
      })
    )
  }
  if (ptr !== undefined && ptr === '' && direction !== 'OUT' && direction !== 'INT') {
    findings.push(
      textFinding({
        id: 'antispam.m365-no-ptr',
        severity: 'warning',
        title: text('antispam:m365.noPtr.title'),
        detail: text('antispam:m365.noPtr.detail'),
        evidence: ev,
        fix: text('antispam:m365.noPtr.fix'),
        remedy: 'rdns-request'
      })
    )
  }
  if (sfty === '9.19' || sfty === '9.20' || sfty === '9.11') {
    findings.push(
      textFinding({
        id: 'antispam.m365-impersonation',
        severity: 'warning',
        title: text('antispam:m365.impersonation.title'),
        detail: text('antispam:m365.impersonation.detail', { sfty, meaning: ms('sfty', sfty) }),
        evidence: ev
      })
    )
  }

  return {
    verdict: {
      vendor: 'microsoft',
      label,
      verdict,
      score: scl,
      threshold: 5,
      summary: renderText('en', summary),
      summaryText: summary,
      headers: used,
      fields,
      rules: []
    },
    findings
  }
}
