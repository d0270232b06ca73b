import { getDomain } from 'tldts'
import type { Finding } from '../../../shared/schemas/common'
import type { DmarcReport, DmarcUri } from '../../../shared/schemas/domain'
import type { DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { text, type Text } from '../../../shared/text'
import { joinTexts } from '../text/finding'
import { renderText } from '../text/render'
import { couldNotCheck, finding, getTxt, parseTags } from './util'

const POLICIES = ['none', 'quarantine', 'reject']
const KNOWN_TAGS = ['v', 'p', 'sp', 'np', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 't', 'psd']

export function orgDomainOf(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: false }) ?? domain
}

function isDmarc(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/i.test(text)
}

function buildRecord(
  tags: Record<string, string>,
  order: string[],
  changes: Record<string, string | undefined>
): string {
  const t = { ...tags, ...changes }
  const keys = [...new Set(['v', 'p', ...order, ...Object.keys(changes)])].filter((k) => t[k] !== undefined)
  return keys.map((k) => `${k}=${t[k]}`).join('; ')
}

/** RFC 7489 §6.2 DMARC URIs: "mailto:addr[!size]"; only mailto is used in practice. */
function parseUris(value: string | undefined): { uri: string; address?: string; valid: boolean }[] {
  if (!value) return []
  return value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((uri) => {
      const m = /^mailto:([^!@\s]+@([^!\s]+))(![0-9]+[kmgt]?)?$/i.exec(uri)
      return m ? { uri, address: m[1], valid: true } : { uri, valid: false }
    })
}

export async function checkDmarc(input: {
  domain: string
  client: DnsClient
}): Promise<{ report: DmarcReport; findings: Finding[] }> {
  const { domain, client } = input
  const orgDomain = orgDomainOf(domain)
  const findings: Finding[] = []
  const report: DmarcReport = { state: 'none', orgDomain, inherited: false, tags: {}, rua: [], ruf: [] }

  let name = `_dmarc.${domain}`
  let txt = await getTxt(client, name)
  let records = txt.texts.filter(isDmarc)
  // RFC 7489 §6.6.3: no record at the domain → look at the organisational domain.
  if (isDefinitive(txt.answer) && records.length === 0 && orgDomain !== domain) {
    name = `_dmarc.${orgDomain}`
    txt = await getTxt(client, name)
    records = txt.texts.filter(isDmarc)
    report.inherited = true
  }
  if (!isDefinitive(txt.answer)) {
    report.state = 'could_not_check'
    findings.push(couldNotCheck('dmarc', text('checks:what.dmarcRecord'), txt.answer))
    return { report, findings }
  }
  if (records.length === 0) {
    report.inherited = false
    findings.push(
      finding({
        id: 'dmarc.missing',
        severity: 'error',
        title: text('checks:dmarc.missing.title'),
        detail: text(
          orgDomain !== domain ? 'checks:dmarc.missing.detailOrg' : 'checks:dmarc.missing.detail',
          {
            domain,
            orgDomain
          }
        ),
        fix: text('checks:dmarc.missing.fix'),
        fixRecord: `_dmarc.${orgDomain}. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${orgDomain}"`,
        remedy: 'dmarc-planner'
      })
    )
    return { report, findings }
  }
  report.name = name
  const policyDomain = name.replace(/^_dmarc\./, '')
  if (records.length > 1) {
    report.state = 'fail'
    findings.push(
      finding({
        id: 'dmarc.multiple',
        severity: 'error',
        title: text('checks:dmarc.multiple.title'),
        detail: text('checks:dmarc.multiple.detail', { name, count: records.length }),
        current: records.join('\n'),
        fix: text('checks:dmarc.multiple.fix')
      })
    )
    report.record = records[0]
    return { report, findings }
  }
  const record = records[0]
  report.record = record
  const { tags, order, errorTexts } = parseTags(record)
  report.tags = tags
  const syntax: Text[] = [...errorTexts]
  const err = (code: string, params?: Record<string, string>) =>
    syntax.push(text(`checks:dmarcTag.${code}`, params))
  if (order[0] !== 'v' || tags.v !== 'DMARC1') err('version')
  for (const k of ['p', 'sp', 'np'])
    if (tags[k] !== undefined && !POLICIES.includes(tags[k].toLowerCase()))
      err('policy', { tag: k, value: tags[k] })
  for (const k of ['adkim', 'aspf'])
    if (tags[k] !== undefined && !['r', 's'].includes(tags[k].toLowerCase()))
      err('alignment', { tag: k, value: tags[k] })
  if (tags.pct !== undefined && (!/^\d{1,3}$/.test(tags.pct) || Number(tags.pct) > 100))
    err('pct', { value: tags.pct })
  if (tags.fo !== undefined && !tags.fo.split(':').every((f) => ['0', '1', 'd', 's'].includes(f.trim())))
    err('fo', { value: tags.fo })
  const unknown = order.filter((k) => !KNOWN_TAGS.includes(k))
  if (unknown.length) err('unknown', { tags: unknown.join(', ') })
  let p: string | undefined = tags.p?.toLowerCase()
  if (p === undefined) {
    // RFC 7489 §6.6.3: a record without p= but with rua is treated as p=none.
    err('noPolicy')
    p = tags.rua ? 'none' : undefined
  }
  if (syntax.length) {
    findings.push(
      finding({
        id: 'dmarc.syntax',
        severity: syntax.some((s) => s.code !== 'checks:dmarcTag.unknown') ? 'error' : 'warning',
        title: text('checks:dmarc.syntax.title'),
        detail: [text('checks:dmarc.syntax.detail', { problems: joinTexts(syntax) })],
        current: record,
        fix: text('checks:dmarc.syntax.fix'),
        fixRecord: `${name}. TXT "${buildRecord(
          Object.fromEntries(Object.entries(tags).filter(([k]) => KNOWN_TAGS.includes(k))),
          ['v', ...order.filter((k) => KNOWN_TAGS.includes(k) && k !== 'v')],
          { v: 'DMARC1', p: POLICIES.includes(p ?? '') ? p : 'none' }
        )}"`
      })
    )
  }
  const sp = tags.sp?.toLowerCase()
  const eff = (report.inherited ? (sp ?? p) : p) as DmarcReport['effectivePolicy']
  if (eff && POLICIES.includes(eff)) report.effectivePolicy = eff
  const pct = tags.pct !== undefined && /^\d+$/.test(tags.pct) ? Number(tags.pct) : undefined
  report.pct = pct

  // Reporting URIs and RFC 7489 §7.1 external destination authorisation.
  const checkUris = async (which: 'rua' | 'ruf'): Promise<DmarcUri[]> =>
    Promise.all(
      parseUris(tags[which]).map(async (u): Promise<DmarcUri> => {
        if (!u.valid || !u.address) {
          findings.push(
            finding({
              id: `dmarc.${which}-invalid`,
              severity: 'error',
              title: text('checks:dmarc.uriInvalid.title', { tag: which }),
              detail: text('checks:dmarc.uriInvalid.detail', { uri: u.uri }),
              current: record,
              fix: text('checks:dmarc.uriInvalid.fix', { tag: which })
            })
          )
          return { uri: u.uri, valid: false, authorised: null, external: false }
        }
        const dest = u.address.split('@')[1].toLowerCase()
        const external = orgDomainOf(dest) !== orgDomainOf(policyDomain)
        if (!external) return { uri: u.uri, address: u.address, valid: true, authorised: null, external }
        const authName = `${policyDomain}._report._dmarc.${dest}`
        const auth = await getTxt(client, authName)
        if (!isDefinitive(auth.answer)) {
          findings.push(
            couldNotCheck(
              `dmarc.${which}-authorisation`,
              text('checks:what.reportAuth', { domain: dest }),
              auth.answer
            )
          )
          return { uri: u.uri, address: u.address, valid: true, authorised: null, external }
        }
        const ok = auth.texts.some(isDmarc)
        if (!ok)
          findings.push(
            finding({
              id: `dmarc.${which}-unauthorised:${dest}`,
              severity: 'error',
              title: text('checks:dmarc.unauthorised.title', { dest, domain: policyDomain }),
              detail: text('checks:dmarc.unauthorised.detail', {
                tag: which,
                uri: u.uri,
                domain: policyDomain,
                name: authName
              }),
              current: record,
              fix: text('checks:dmarc.unauthorised.fix', { dest }),
              fixRecord: `${authName}. TXT "v=DMARC1"`
            })
          )
        return { uri: u.uri, address: u.address, valid: true, authorised: ok, external }
      })
    )
  report.rua = await checkUris('rua')
  report.ruf = await checkUris('ruf')
  if (report.rua.length === 0)
    findings.push(
      finding({
        id: 'dmarc.no-rua',
        severity: 'warning',
        title: text('checks:dmarc.noRua.title'),
        detail: text('checks:dmarc.noRua.detail'),
        current: record,
        fix: text('checks:dmarc.noRua.fix'),
        fixRecord: `${name}. TXT "${buildRecord(tags, order, { rua: `mailto:dmarc-reports@${policyDomain}` })}"`
      })
    )
  if (tags.pct !== undefined)
    findings.push(
      finding({
        id: 'dmarc.pct-deprecated',
        severity: pct !== undefined && pct < 100 ? 'warning' : 'info',
        title:
          pct !== undefined && pct < 100
            ? text('checks:dmarc.pct.titlePartial', { pct })
            : text('checks:dmarc.pct.title'),
        detail: text('checks:dmarc.pct.detail'),
        current: record,
        fix: text('checks:dmarc.pct.fix'),
        fixRecord: `${name}. TXT "${buildRecord(
          tags,
          order.filter((k) => k !== 'pct'),
          { pct: undefined }
        )}"`
      })
    )
  for (const k of ['rf', 'ri'])
    if (tags[k] !== undefined)
      findings.push(
        finding({
          id: `dmarc.${k}-deprecated`,
          severity: 'info',
          title: text('checks:dmarc.obsoleteTag.title', { tag: k }),
          detail: text('checks:dmarc.obsoleteTag.detail', { tag: k }),
          current: record,
          fix: text('checks:dmarc.obsoleteTag.fix', { tag: k })
        })
      )

  // Next policy step (dmarcian/checkdmarc style advice, with the record to publish).
  const next: Record<string, string> = { none: 'quarantine', quarantine: 'reject' }
  if (eff === 'none' || eff === 'quarantine' || (pct !== undefined && pct < 100)) {
    const target = pct !== undefined && pct < 100 && eff !== 'none' ? eff : next[eff ?? 'none']
    const changes: Record<string, string | undefined> =
      report.inherited && sp ? { sp: target } : { p: target, pct: undefined }
    const nextRecord = buildRecord(
      tags,
      order.filter((k) => k !== 'pct'),
      changes
    )
    const explanation = text(
      eff === 'none'
        ? 'checks:dmarc.next.none'
        : eff === 'quarantine' && !(pct !== undefined && pct < 100)
          ? 'checks:dmarc.next.quarantine'
          : 'checks:dmarc.next.all'
    )
    report.nextStep = {
      record: `${name}. TXT "${nextRecord}"`,
      explanation: renderText('en', explanation),
      explanationText: explanation
    }
    findings.push(
      finding({
        id: eff === 'none' ? 'dmarc.policy-none' : 'dmarc.policy-not-reject',
        severity: eff === 'none' ? 'warning' : 'info',
        title:
          eff === 'none'
            ? text('checks:dmarc.policyNone.title')
            : pct !== undefined && pct < 100
              ? text('checks:dmarc.policyNotReject.titlePct', { policy: eff, pct })
              : text('checks:dmarc.policyNotReject.title', { policy: eff }),
        detail: explanation,
        current: record,
        fix: text('checks:dmarc.next.fix', { policy: target }),
        fixRecord: report.nextStep.record,
        remedy: 'dmarc-planner'
      })
    )
  }
  if (report.inherited && eff)
    findings.push(
      finding({
        id: 'dmarc.inherited',
        severity: 'info',
        title: text('checks:dmarc.inherited.title', { orgDomain }),
        detail: text('checks:dmarc.inherited.detail', { domain, policy: `${sp ? 'sp=' : 'p='}${eff}` }),
        current: record
      })
    )
  const bad = findings.some((f) => f.severity === 'error' || f.severity === 'critical')
  report.state = bad ? 'fail' : eff === 'reject' && (pct === undefined || pct === 100) ? 'pass' : 'warn'
  if (report.state === 'pass')
    findings.push(
      finding({
        id: 'dmarc.ok',
        severity: 'ok',
        title: text('checks:dmarc.ok.title'),
        detail: text('checks:record', { record }),
        current: record
      })
    )
  return { report, findings }
}
