import type { BlocklistEntry, Catalogue, TargetReport } from '../../../shared/schemas/blocklist'
import type { Finding, Severity } from '../../../shared/schemas/common'
import { loadCatalogue } from './catalogue'

/**
 * Findings from a sweep, in the shared Finding shape (src/shared/schemas/common.ts).
 *   bl.listed:<list>:<target>   one per block listing, severity from the list's weight
 *   bl.allow:<list>:<target>    allow-list membership (good news)
 *   bl.refused:<list>           the list refused our resolver: its silence means nothing
 *   bl.unreliable:<list>        the list failed its RFC 5782 §5 self-test
 *   bl.error:<list>             timeouts/SERVFAIL: could not check
 */

const SEVERITY: Record<BlocklistEntry['weight']['level'], Severity> = {
  high: 'critical',
  medium: 'warning',
  low: 'info'
}

export function removalText(list: BlocklistEntry): string {
  const r = list.removal
  const how: Record<typeof r.method, string> = {
    'self-service': 'Request removal yourself',
    automatic: 'The listing expires automatically once the cause stops',
    'paid-express': 'Removal is sold as paid express delisting',
    contact: 'Contact the operator to request removal',
    none: 'There is no removal process for a single sender'
  }
  const parts = [
    `${how[r.method]}${r.url ? ` at ${r.url}` : ''}.`,
    r.alternatives?.length ? `Also possible: ${r.alternatives.join(', ')}.` : '',
    r.expiry ? `Expiry: ${r.expiry}.` : '',
    r.notes ?? '',
    'Fix the cause first (compromised account or host, open relay, backscatter, missing rDNS), or you will be relisted.'
  ]
  return parts.filter(Boolean).join(' ')
}

const REFUSED_DETAIL =
  'Spamhaus and URIBL/SURBL refuse queries that arrive through large public resolvers (8.8.8.8, 1.1.1.1, 9.9.9.9, ' +
  'OpenDNS, many cloud and ISP resolvers): the free public mirrors are limited per querying organisation, and a shared ' +
  'resolver hides who is asking and exceeds the limit. They answer an error code (Spamhaus 127.255.255.254/.255, ' +
  'URIBL/SURBL 127.0.0.1) or sometimes NXDOMAIN, so through such a resolver "not listed" proves nothing.'
const REFUSED_FIX =
  'Use a free Spamhaus DQS key (Settings → Blocklists; queries go to <key>.zen.dq.spamhaus.net) or point Delivery Desk ' +
  'at your own recursive resolver (e.g. unbound on the mail server, not forwarding to a public service). The same ' +
  'applies to your MTA: a receiver using a public resolver for DNSBLs may be rejecting mail on these error codes.'

export function sweepFindings(reports: TargetReport[], catalogue: Catalogue = loadCatalogue()): Finding[] {
  const byId = new Map(catalogue.lists.map((l) => [l.id, l]))
  const findings: Finding[] = []
  const perList = new Map<string, { status: string; targets: string[]; reasons: Set<string> }>()

  for (const report of reports) {
    for (const r of report.results) {
      const list = byId.get(r.list)
      if (!list) continue
      if (r.status === 'listed' && r.polarity === 'block') {
        const evidence = [{ source: `dns:${r.query}`, text: `A ${r.codes.join(', ')}` }]
        if (r.txt) evidence.push({ source: `dns:${r.query} TXT`, text: r.txt })
        findings.push({
          id: `bl.listed:${list.id}:${report.target}`,
          severity: SEVERITY[list.weight.level],
          title: `${report.target} is listed on ${list.name}`,
          detail: `${list.name} (${r.zone}) answered ${r.codes.join(', ')}: ${r.meanings.join('; ')}. ${list.weight.note}`,
          evidence,
          current: r.codes.join(', '),
          fix: removalText(list),
          remedy: 'delist'
        })
      } else if (r.status === 'listed' && r.polarity === 'allow') {
        findings.push({
          id: `bl.allow:${list.id}:${report.target}`,
          severity: 'ok',
          title: `${report.target} is on the ${list.name} allow-list`,
          detail: `${list.name} answered ${r.codes.join(', ')}: ${r.meanings.join('; ')}.`,
          evidence: [{ source: `dns:${r.query}`, text: `A ${r.codes.join(', ')}` }]
        })
      } else if (r.status === 'refused' || r.status === 'unreliable' || r.status === 'error') {
        const key = `${r.status}:${list.id}`
        const agg = perList.get(key) ?? { status: r.status, targets: [], reasons: new Set<string>() }
        agg.targets.push(report.target)
        if (r.reason) agg.reasons.add(r.reason)
        perList.set(key, agg)
      }
    }
  }

  for (const [key, agg] of perList) {
    const list = byId.get(key.slice(key.indexOf(':') + 1)) as BlocklistEntry
    const reasons = [...agg.reasons].join(' ')
    const evidence = [{ source: 'blocklist', text: reasons || agg.status }]
    if (agg.status === 'refused') {
      findings.push({
        id: `bl.refused:${list.id}`,
        severity: 'warning',
        title: `${list.name} refused this resolver`,
        detail: `${reasons} ${REFUSED_DETAIL}`.trim(),
        evidence,
        fix:
          list.keyProvider === 'dqs' || list.id.startsWith('spamhaus')
            ? REFUSED_FIX
            : REFUSED_FIX.replace(/Use a free Spamhaus DQS key[^)]*\) or point/, 'Point'),
        remedy: 'resolver-settings'
      })
    } else if (agg.status === 'unreliable') {
      findings.push({
        id: `bl.unreliable:${list.id}`,
        severity: 'warning',
        title: `${list.name} gave no usable answer`,
        detail: `${reasons} Results from this list are ignored, neither "listed" nor "clean".`,
        evidence
      })
    } else {
      findings.push({
        id: `bl.error:${list.id}`,
        severity: 'warning',
        title: `Could not check ${list.name}`,
        detail: `${reasons} Affected: ${agg.targets.join(', ')}. This is not a "not listed".`,
        evidence,
        fix: 'Retry later, or use another resolver.'
      })
    }
  }
  return findings
}
