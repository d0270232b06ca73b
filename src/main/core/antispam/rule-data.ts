import saData from '../../../../resources/antispam/spamassassin-rules.json'
import rspamdData from '../../../../resources/antispam/rspamd-symbols.json'
import msData from '../../../../resources/antispam/microsoft.json'
import vendorData from '../../../../resources/antispam/vendors.json'
import type { AntispamRule, AntispamVerdictKind } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'

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

const remedyShort: Record<string, { suffix: string; title: string; fix: string }> = {
  'spf-builder': {
    suffix: 'spf',
    title: 'SPF problems raised the spam score',
    fix: 'Authorise every service that sends as your domain in its SPF record (SPF builder).'
  },
  'dkim-keygen': {
    suffix: 'dkim',
    title: 'DKIM problems raised the spam score',
    fix: 'Sign outgoing mail with DKIM for your From domain and publish the matching key.'
  },
  'dmarc-planner': {
    suffix: 'dmarc',
    title: 'DMARC problems raised the spam score',
    fix: 'Publish a DMARC record and make SPF or DKIM align with the From domain (DMARC planner).'
  },
  'rdns-request': {
    suffix: 'rdns',
    title: 'Reverse DNS / HELO problems raised the spam score',
    fix: 'Ask the owner of the sending IP for a PTR record that matches the server name, and use that name in HELO.'
  },
  delist: {
    suffix: 'blocklisted',
    title: 'Block-list hits raised the spam score',
    fix: 'Check the listed IPs and domains on the Blocklists page, fix the cause, then request removal.'
  },
  'content-lint': {
    suffix: 'content',
    title: 'Content rules raised the spam score',
    fix: 'Run the content check on the message (text part, links, images, shorteners).'
  }
}

/**
 * Groups fired rules that carry a remedy and a positive score into one finding per remedy, so a report with
 * twenty URIBL hits yields one "block-list" finding rather than twenty.
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
    const meta = remedyShort[remedy]
    if (!meta) continue
    const total = list.reduce((s, r) => s + (r.score ?? 0), 0)
    out.push({
      id: `antispam.${prefix}-${meta.suffix}`,
      severity: total >= 1 ? 'warning' : 'info',
      title: `${label}: ${meta.title}`,
      detail: list.map((r) => `${r.name} (+${r.score}): ${r.description}`).join('\n'),
      evidence: list.map((r) => ({ source: header, text: r.name })),
      fix: meta.fix,
      remedy
    })
  }
  return out
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
