import { getDomain } from 'tldts'
import type { Finding } from '../../../shared/schemas/common'
import type { DmarcReport, DmarcUri } from '../../../shared/schemas/domain'
import type { DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'
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
    findings.push(couldNotCheck('dmarc', 'the DMARC record', txt.answer))
    return { report, findings }
  }
  if (records.length === 0) {
    report.inherited = false
    findings.push(
      finding({
        id: 'dmarc.missing',
        severity: 'error',
        title: 'No DMARC record',
        detail: `Neither _dmarc.${domain}${orgDomain !== domain ? ` nor _dmarc.${orgDomain}` : ''} has a v=DMARC1 record. Gmail and Yahoo require DMARC for bulk senders, and without it spoofing of ${domain} is not blocked and you get no reports.`,
        fix: 'Publish a monitoring policy first and read the aggregate reports.',
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
        title: 'More than one DMARC record',
        detail: `${name} has ${records.length} v=DMARC1 records; RFC 7489 §6.6.3 says receivers then apply no DMARC policy at all.`,
        current: records.join('\n'),
        fix: 'Keep exactly one record.'
      })
    )
    report.record = records[0]
    return { report, findings }
  }
  const record = records[0]
  report.record = record
  const { tags, order, errors } = parseTags(record)
  report.tags = tags
  const syntax: string[] = [...errors]
  if (order[0] !== 'v' || tags.v !== 'DMARC1') syntax.push('v=DMARC1 must be the first tag, spelled exactly')
  for (const k of ['p', 'sp', 'np'])
    if (tags[k] !== undefined && !POLICIES.includes(tags[k].toLowerCase()))
      syntax.push(`${k}=${tags[k]} is not none/quarantine/reject`)
  for (const k of ['adkim', 'aspf'])
    if (tags[k] !== undefined && !['r', 's'].includes(tags[k].toLowerCase()))
      syntax.push(`${k}=${tags[k]} must be r or s`)
  if (tags.pct !== undefined && (!/^\d{1,3}$/.test(tags.pct) || Number(tags.pct) > 100))
    syntax.push(`pct=${tags.pct} must be 0-100`)
  if (tags.fo !== undefined && !tags.fo.split(':').every((f) => ['0', '1', 'd', 's'].includes(f.trim())))
    syntax.push(`fo=${tags.fo} must be 0, 1, d and/or s`)
  const unknown = order.filter((k) => !KNOWN_TAGS.includes(k))
  if (unknown.length) syntax.push(`unknown tag(s) ${unknown.join(', ')} (ignored by receivers)`)
  let p: string | undefined = tags.p?.toLowerCase()
  if (p === undefined) {
    // RFC 7489 §6.6.3: a record without p= but with rua is treated as p=none.
    syntax.push('p= is missing (required)')
    p = tags.rua ? 'none' : undefined
  }
  if (syntax.length) {
    findings.push(
      finding({
        id: 'dmarc.syntax',
        severity: syntax.some((s) => !s.startsWith('unknown')) ? 'error' : 'warning',
        title: 'DMARC record has errors',
        detail: `${syntax.join('; ')} (RFC 7489 §6.3/§6.4).`,
        current: record,
        fix: 'Correct the record.',
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
              title: `Invalid ${which} URI`,
              detail: `"${u.uri}" is not a mailto: URI (RFC 7489 §6.2); reports will not be sent there.`,
              current: record,
              fix: `Use ${which}=mailto:address@domain.`
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
              `authorisation of ${dest} to receive reports`,
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
              title: `${dest} has not agreed to receive DMARC reports for ${policyDomain}`,
              detail: `${which}=${u.uri} points outside ${policyDomain}; RFC 7489 §7.1 requires ${authName} to publish "v=DMARC1", otherwise receivers drop the reports.`,
              current: record,
              fix: `Ask the owner of ${dest} (or your DMARC vendor) to publish the authorisation record.`,
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
        title: 'DMARC requests no aggregate reports',
        detail:
          'Without rua= you cannot see who sends as your domain or whether it is safe to tighten the policy (RFC 7489 §7.2).',
        current: record,
        fix: 'Add an rua= mailbox you read (or a DMARC report service).',
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
            ? `DMARC policy applies to only ${pct}% of failing mail`
            : 'pct= is obsolete',
        detail:
          'pct= is removed in DMARCbis (the t= testing flag replaces it) and receivers apply it inconsistently; partial enforcement leaves spoofed mail through.',
        current: record,
        fix: 'Remove pct= (use t=y while testing).',
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
          title: `${k}= is obsolete`,
          detail: `${k}= is removed in DMARCbis and ignored by major receivers.`,
          current: record,
          fix: `Remove ${k}=.`
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
    report.nextStep = {
      record: `${name}. TXT "${nextRecord}"`,
      explanation:
        eff === 'none'
          ? 'p=none only monitors. Once aggregate reports show all legitimate sources pass SPF or DKIM aligned, move to quarantine.'
          : eff === 'quarantine' && !(pct !== undefined && pct < 100)
            ? 'Quarantine sends spoofed mail to spam. When reports stay clean, move to reject so it is refused outright.'
            : 'Apply the policy to all failing mail.'
    }
    findings.push(
      finding({
        id: eff === 'none' ? 'dmarc.policy-none' : 'dmarc.policy-not-reject',
        severity: eff === 'none' ? 'warning' : 'info',
        title:
          eff === 'none'
            ? 'DMARC is monitoring only (p=none)'
            : `DMARC policy is ${eff}${pct !== undefined && pct < 100 ? ` at ${pct}%` : ''}`,
        detail: report.nextStep.explanation,
        current: record,
        fix: `Next step: ${target}.`,
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
        title: `DMARC policy inherited from ${orgDomain}`,
        detail: `${domain} has no record of its own; the organisational domain's ${sp ? 'sp=' : 'p='}${eff} applies (RFC 7489 §6.6.3).`,
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
        title: 'DMARC enforces reject',
        detail: record,
        current: record
      })
    )
  return { report, findings }
}
