import { getDomain } from 'tldts'
import type { DmarcPlan, DmarcStage, FixSnippet } from '../../../shared/schemas/fix'
import { line, quoteTxt, snippet, splitTxt } from './snippet'

/**
 * DMARC rollout planner (RFC 7489): p=none with aggregate reports first, then quarantine, then reject, each
 * stage dated. When reports go to another organisational domain, the destination must publish the external
 * reporting authorisation record "<domain>._report._dmarc.<dest>" with "v=DMARC1" (RFC 7489 §7.1).
 */

export interface PlanDmarcInput {
  domain: string
  /** Aggregate report address, "reports@example.net" or "mailto:reports@example.net". */
  ruaAddress: string
  /** First day of the plan, ISO date (YYYY-MM-DD). */
  startDate: string
  alignment: { adkim: 'r' | 's'; aspf: 'r' | 's' }
  currentRecord?: string
  /** Days per stage; defaults: monitor 28, quarantine steps 14 each. */
  monitorDays?: number
  stepDays?: number
  /** Ramp quarantine with pct=25/50/100 (pct is dropped by DMARCbis; receivers may ignore it). */
  stagedPct?: boolean
  /** Policy for subdomains; defaults to following p (no sp tag). */
  subdomainPolicy?: 'none' | 'quarantine' | 'reject'
}

export function parseDmarc(record: string): {
  valid: boolean
  tags: Record<string, string>
  errors: string[]
} {
  const errors: string[] = []
  const tags: Record<string, string> = {}
  const parts = record
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
  parts.forEach((p, i) => {
    const eq = p.indexOf('=')
    if (eq < 0) {
      errors.push(`"${p}" is not a tag=value pair.`)
      return
    }
    const k = p.slice(0, eq).trim().toLowerCase()
    const v = p.slice(eq + 1).trim()
    if (i === 0 && (k !== 'v' || v !== 'DMARC1'))
      errors.push('The record must start with "v=DMARC1" (RFC 7489 §6.3).')
    tags[k] = v
  })
  if (!tags.p) errors.push('The p= tag is required (RFC 7489 §6.3).')
  else if (!['none', 'quarantine', 'reject'].includes(tags.p))
    errors.push(`p=${tags.p} is not none, quarantine or reject.`)
  if (tags.pct && !/^(100|[1-9]?\d)$/.test(tags.pct)) errors.push('pct must be 0–100.')
  for (const k of ['adkim', 'aspf'])
    if (tags[k] && !['r', 's'].includes(tags[k])) errors.push(`${k} must be r or s.`)
  return { valid: errors.length === 0, tags, errors }
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) throw new Error(`Invalid start date "${iso}" (expected YYYY-MM-DD).`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

function normaliseRua(addr: string): { uri: string; domain: string } {
  const a = addr.trim().replace(/^mailto:/i, '')
  const at = a.lastIndexOf('@')
  if (at < 1 || at === a.length - 1) throw new Error(`"${addr}" is not an email address.`)
  return { uri: `mailto:${a}`, domain: a.slice(at + 1).toLowerCase() }
}

export function planDmarc(input: PlanDmarcInput): DmarcPlan {
  const domain = input.domain.trim().replace(/\.$/, '').toLowerCase()
  const warnings: string[] = []
  const rua = normaliseRua(input.ruaAddress)
  const monitor = input.monitorDays ?? 28
  const step = input.stepDays ?? 14
  if (input.currentRecord) {
    const cur = parseDmarc(input.currentRecord)
    if (!cur.valid) warnings.push(`The current record has problems: ${cur.errors.join(' ')}`)
    if (cur.tags.p === 'reject')
      warnings.push(
        'The domain already publishes p=reject; the plan below restarts from monitoring only if you really need to.'
      )
    if (cur.tags.ruf)
      warnings.push(
        'The current record asks for failure reports (ruf=); few receivers send them and they may contain personal data. Kept out of the plan.'
      )
  }
  const tail = (p: string, pct?: number): string => {
    const parts = [`v=DMARC1`, `p=${p}`]
    if (input.subdomainPolicy) parts.push(`sp=${input.subdomainPolicy}`)
    if (pct !== undefined && pct < 100) parts.push(`pct=${pct}`)
    parts.push(`rua=${rua.uri}`)
    if (input.alignment.adkim === 's') parts.push('adkim=s')
    if (input.alignment.aspf === 's') parts.push('aspf=s')
    return parts.join('; ')
  }
  const stages: DmarcStage[] = []
  let day = 0
  stages.push({
    name: 'Monitor',
    policy: 'none',
    startDate: addDays(input.startDate, day),
    record: tail('none'),
    explanation: `Collect aggregate reports for ${monitor} days without affecting delivery. Find every service that sends as ${domain} and make SPF or DKIM pass in alignment for each.`
  })
  day += monitor
  const pcts = input.stagedPct ? [25, 50, 100] : [100]
  for (const pct of pcts) {
    stages.push({
      name: pct < 100 ? `Quarantine ${pct}%` : 'Quarantine',
      policy: 'quarantine',
      pct: pct < 100 ? pct : undefined,
      startDate: addDays(input.startDate, day),
      record: tail('quarantine', pct),
      explanation:
        pct < 100
          ? `Receivers apply quarantine to about ${pct}% of failing mail. DMARCbis drops pct and replaces it with a testing flag (t=), so treat this as a hint only.`
          : 'Failing mail goes to spam folders. Watch the reports for legitimate sources that still fail.'
    })
    day += step
  }
  stages.push({
    name: 'Reject',
    policy: 'reject',
    startDate: addDays(input.startDate, day),
    record: tail('reject'),
    explanation:
      'Failing mail is rejected. Keep reading the reports: new services that send as your domain will bounce until they are aligned.'
  })
  if (input.alignment.adkim === 's' || input.alignment.aspf === 's')
    warnings.push(
      'Strict alignment requires the exact From domain; mail from subdomains or ESP return-paths under a subdomain will fail. Relaxed (default) is enough for most domains.'
    )

  const name = `_dmarc.${domain}`
  const snippets: FixSnippet[] = stages.map((s, i) =>
    snippet(
      `dmarc-stage-${i + 1}`,
      `${s.name} (from ${s.startDate})`,
      'dns-txt',
      s.record.split('; ').map((tag) => line(tag, explainTag(tag, domain))),
      { name, record: s.record, text: `${name}. 3600 IN TXT ${quoteTxt(splitTxt(s.record))}` }
    )
  )

  const orgOf = (d: string): string => getDomain(d) ?? d
  if (orgOf(rua.domain) !== orgOf(domain)) {
    const authName = `${domain}._report._dmarc.${rua.domain}`
    snippets.push(
      snippet(
        'dmarc-external-report-auth',
        `Authorise ${rua.domain} to receive reports for ${domain}`,
        'dns-txt',
        [
          line(
            'v=DMARC1',
            `Published by ${rua.domain}: says it accepts DMARC reports about ${domain}. Without it receivers drop the rua address (RFC 7489 §7.1).`
          )
        ],
        { name: authName, record: 'v=DMARC1', text: `${authName}. 3600 IN TXT "v=DMARC1"` }
      )
    )
    warnings.push(
      `Reports go to another domain (${rua.domain}); its owner must publish ${authName} TXT "v=DMARC1". Report services usually publish a wildcard for this.`
    )
  }
  return { domain, stages, snippets, warnings }
}

function explainTag(tag: string, domain: string): string {
  const [k, v] = tag.split('=')
  switch (k) {
    case 'v':
      return 'DMARC version; must be first (RFC 7489 §6.3).'
    case 'p':
      return v === 'none'
        ? 'Policy none: monitoring only, receivers deliver as usual.'
        : v === 'quarantine'
          ? 'Policy quarantine: receivers put failing mail in spam.'
          : 'Policy reject: receivers refuse failing mail.'
    case 'sp':
      return `Policy for subdomains of ${domain}.`
    case 'pct':
      return `Apply the policy to ${v}% of failing mail (removed in DMARCbis).`
    case 'rua':
      return 'Where receivers send daily aggregate (XML) reports.'
    case 'adkim':
      return v === 's' ? 'Strict DKIM alignment: d= must equal the From domain.' : 'Relaxed DKIM alignment.'
    case 'aspf':
      return v === 's'
        ? 'Strict SPF alignment: the envelope domain must equal the From domain.'
        : 'Relaxed SPF alignment.'
    default:
      return 'DMARC tag.'
  }
}
