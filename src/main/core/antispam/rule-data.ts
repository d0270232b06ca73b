import saData from '../../../../resources/antispam/spamassassin-rules.json'
import rspamdData from '../../../../resources/antispam/rspamd-symbols.json'
import msData from '../../../../resources/antispam/microsoft.json'
import vendorData from '../../../../resources/antispam/vendors.json'
import type { AntispamRule, AntispamVerdictKind } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'

/**
 * Typed access to the meaning tables in resources/antispam/*.json. The tables are data so that rule texts can be
 * corrected without touching the decoders.
 */
export interface RuleInfo {
  category?: string
  description: string
  remedy?: string
}

export const saRules: Record<string, RuleInfo> = saData.rules
export const rspamdSymbols: Record<string, RuleInfo> = rspamdData.symbols
export const rspamdActions: Record<string, { meaning: string; verdict: string }> = rspamdData.actions
export const microsoft = msData
export const vendors = vendorData

export function asVerdict(v: string | undefined): AntispamVerdictKind {
  return v === 'spam' || v === 'bulk' || v === 'phish' || v === 'clean' ? v : 'unknown'
}

/** Verdict strength, used to combine several signals of one vendor (phish beats spam beats bulk beats clean). */
export const verdictRank: Record<AntispamVerdictKind, number> = {
  unknown: 0,
  clean: 1,
  bulk: 2,
  spam: 3,
  phish: 4
}

export function strongest(...verdicts: AntispamVerdictKind[]): AntispamVerdictKind {
  return verdicts.reduce<AntispamVerdictKind>((a, b) => (verdictRank[b] > verdictRank[a] ? b : a), 'unknown')
}

const remedyShort: Record<string, string> = {
  'spf-builder': 'spf',
  'dkim-keygen': 'dkim',
  'dmarc-planner': 'dmarc',
  'rdns-request': 'rdns',
  delist: 'blocklisted',
  'content-lint': 'content'
}

/** "The rules that scored most: A (+3), B (+1)" as a Text. */
export function topRules(rules: AntispamRule[]): Text {
  const top = rules
    .filter((r) => (r.score ?? 0) > 0)
    .slice(0, 5)
    .map((r) => `${r.name} (+${r.score})`)
    .join(', ')
  return top ? text('antispam:topRules', { rules: top }) : text('antispam:topRulesNone')
}

/**
 * Groups fired rules that carry a remedy and a positive score into one finding per remedy, so a report with
 * twenty URIBL hits yields one "block-list" finding rather than twenty. A rule's description is the vendor
 * catalogue's (resources/antispam), passed as a param.
 */
export function remedyFindings(
  prefix: string,
  label: string,
  header: string,
  rules: AntispamRule[]
): Finding[] {
  const groups = new Map<string, AntispamRule[]>()
  for (const r of rules) {
    if (!r.remedy || (r.score ?? 0) <= 0) continue
    const list = groups.get(r.remedy) ?? []
    list.push(r)
    groups.set(r.remedy, list)
  }
  const out: Finding[] = []
  for (const [remedy, list] of groups) {
    const suffix = remedyShort[remedy]
    if (!suffix) continue
    const total = list.reduce((s, r) => s + (r.score ?? 0), 0)
    out.push(
      textFinding({
        id: `antispam.${prefix}-${suffix}`,
        severity: total >= 1 ? 'warning' : 'info',
        title: text(`antispam:remedy.${suffix}.title`, { label }),
        detail: list.map((r) =>
          text(r.description ? 'antispam:rule' : 'antispam:ruleBare', {
            name: r.name,
            score: r.score ?? 0,
            description: r.description
          })
        ),
        evidence: list.map((r) => ({ source: header, text: r.name })),
        fix: text(`antispam:remedy.${suffix}.fix`),
        remedy
      })
    )
  }
  return out
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
