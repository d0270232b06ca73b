import type { BlocklistEntry, Catalogue, TargetReport } from '../../../shared/schemas/blocklist'
import type { Finding, Severity } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
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

/** Key of a list under kb:bl.<id> (shared/text.ts blocklistCatalogue): ids and codes hold dots, i18next nests on them. */
const k = (s: string): string => s.replace(/\./g, '_')

/** The removal procedure as a Text (catalogue notes and expiry in the reader's language). */
export function removalTextOf(list: BlocklistEntry): Text {
  const r = list.removal
  const parts: Text[] = [
    text(r.url ? `listing:removal.${r.method}Url` : `listing:removal.${r.method}`, {
      url: r.url
    })
  ]
  if (r.alternatives?.length)
    parts.push(
      text('listing:removal.alternatives', {
        alternatives: r.alternatives
          .map((m) => text(`listing:method.${m}`))
          .reduce((acc, t) => text('listing:meanings', { a: acc, b: t }))
      })
    )
  if (r.expiry) parts.push(text('listing:removal.expiry', { expiry: text(`kb:bl.${k(list.id)}.expiry`) }))
  if (r.notes) parts.push(text(`kb:bl.${k(list.id)}.removalNotes`))
  parts.push(text('listing:removal.fixCause'))
  return parts.slice(1).reduce<Text>((acc, t) => text('listing:sentences', { a: acc, b: t }), parts[0])
}

export function removalText(list: BlocklistEntry): string {
  return renderText('en', removalTextOf(list))
}

/** Catalogue keys a return code matches: exact, wildcard ("127.0.*.*"), or each bit of a bitmask list's last octet. */
function codeKeys(map: Record<string, string>, code: string, bitmask?: boolean): string[] {
  if (bitmask) {
    const last = Number(code.split('.')[3])
    const bits = Object.keys(map).filter((key) => {
      const bit = Number(key.split('.')[3])
      return bit > 0 && (bit & (bit - 1)) === 0 && (last & bit) !== 0
    })
    if (bits.length) return bits
  }
  if (map[code]) return [code]
  const parts = code.split('.')
  const wild = Object.keys(map).find(
    (key) => key.includes('*') && key.split('.').every((p, i) => p === '*' || p === parts[i])
  )
  return wild ? [wild] : []
}

/** What the list's answer codes mean, from the catalogue, in the reader's language. */
function meaningsText(list: BlocklistEntry, codes: string[]): Text {
  const ts = codes.flatMap((c) => {
    const keys = codeKeys(list.returnCodes, c, list.bitmask)
    return keys.length
      ? keys.map((key) => text(`kb:bl.${k(list.id)}.codes.${k(key)}`))
      : [text('listing:undocumented', { code: c })]
  })
  if (ts.length === 0) return text('listing:undocumented', { code: codes.join(', ') })
  return ts.slice(1).reduce<Text>((acc, t) => text('listing:meanings', { a: acc, b: t }), ts[0])
}

export function sweepFindings(reports: TargetReport[], catalogue: Catalogue = loadCatalogue()): Finding[] {
  const byId = new Map(catalogue.lists.map((l) => [l.id, l]))
  const findings: Finding[] = []
  const perList = new Map<
    string,
    { status: string; targets: string[]; reasons: Set<string>; failures: Set<string> }
  >()

  for (const report of reports) {
    for (const r of report.results) {
      const list = byId.get(r.list)
      if (!list) continue
      if (r.status === 'listed' && r.polarity === 'block') {
        const evidence = [{ source: `dns:${r.query}`, text: `A ${r.codes.join(', ')}` }]
        if (r.txt) evidence.push({ source: `dns:${r.query} TXT`, text: r.txt })
        findings.push(
          textFinding({
            id: `bl.listed:${list.id}:${report.target}`,
            severity: SEVERITY[list.weight.level],
            title: text('listing:listed.title', { target: report.target, list: list.name }),
            detail: [
              text('listing:listed.detail', {
                list: list.name,
                zone: r.zone,
                codes: r.codes.join(', '),
                meanings: meaningsText(list, r.codes)
              }),
              text(`kb:bl.${k(list.id)}.weight`)
            ],
            evidence,
            current: r.codes.join(', '),
            fix: removalTextOf(list),
            remedy: 'delist'
          })
        )
      } else if (r.status === 'listed' && r.polarity === 'allow') {
        findings.push(
          textFinding({
            id: `bl.allow:${list.id}:${report.target}`,
            severity: 'ok',
            title: text('listing:allow.title', { target: report.target, list: list.name }),
            detail: text('listing:allow.detail', {
              list: list.name,
              codes: r.codes.join(', '),
              meanings: meaningsText(list, r.codes)
            }),
            evidence: [{ source: `dns:${r.query}`, text: `A ${r.codes.join(', ')}` }]
          })
        )
      } else if (r.status === 'refused' || r.status === 'unreliable' || r.status === 'error') {
        const key = `${r.status}:${list.id}`
        const agg = perList.get(key) ?? {
          status: r.status,
          targets: [],
          reasons: new Set<string>(),
          failures: new Set<string>()
        }
        agg.targets.push(report.target)
        if (r.failure) agg.failures.add(r.failure)
        if (r.reason) agg.reasons.add(r.reason)
        perList.set(key, agg)
      }
    }
  }

  for (const [key, agg] of perList) {
    const list = byId.get(key.slice(key.indexOf(':') + 1)) as BlocklistEntry
    const reasons = [...agg.reasons].join(' ')
    // The sweep's technical reason (codes, DNS status, self-test) is kept verbatim as evidence; the words around it
    // are Texts.
    const evidence = [{ source: 'blocklist', text: reasons || agg.status }]
    if (agg.status === 'refused') {
      findings.push(
        textFinding({
          id: `bl.refused:${list.id}`,
          severity: 'warning',
          title: text('listing:refused.title', { list: list.name }),
          detail: text('listing:refused.detail'),
          evidence,
          fix: text(
            list.keyProvider === 'dqs' || list.id.startsWith('spamhaus')
              ? 'listing:refused.fixDqs'
              : 'listing:refused.fix'
          ),
          remedy: 'resolver-settings'
        })
      )
    } else if (agg.status === 'unreliable') {
      findings.push(
        textFinding({
          id: `bl.unreliable:${list.id}`,
          severity: 'warning',
          title: text('listing:unreliable.title', { list: list.name }),
          detail: text('listing:unreliable.detail'),
          evidence
        })
      )
    } else {
      const failures = [...agg.failures]
      findings.push(
        textFinding({
          id: `bl.error:${list.id}`,
          severity: 'warning',
          title: text('listing:error.title', { list: list.name }),
          detail: [
            ...(failures.length === 1 ? [text(`listing:failure.${failures[0]}`)] : []),
            text('listing:error.detail', { targets: agg.targets.join(', ') })
          ],
          evidence,
          fix: text('listing:error.fix')
        })
      )
    }
  }
  return findings
}
