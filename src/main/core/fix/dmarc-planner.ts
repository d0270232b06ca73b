import { getDomain } from 'tldts'
import type { DmarcPlan, DmarcStage, FixSnippet } from '../../../shared/schemas/fix'
import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'
import { SaidError } from '../text/said-error'
import { line, quoteTxt, snippet, splitTxt, warningsOf, type Say } from './snippet'

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
  /** The problems in English; `errorTexts` the same as Texts. */
  errors: string[]
  errorTexts: Text[]
} {
  const errorTexts: Text[] = []
  const errors = { push: (t: Text) => errorTexts.push(t) }
  const tags: Record<string, string> = {}
  const parts = record
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
  parts.forEach((p, i) => {
    const eq = p.indexOf('=')
    if (eq < 0) {
      errors.push(text('fixgen:dmarc.parse.notPair', { part: p }))
      return
    }
    const k = p.slice(0, eq).trim().toLowerCase()
    const v = p.slice(eq + 1).trim()
    if (i === 0 && (k !== 'v' || v !== 'DMARC1')) errors.push(text('fixgen:dmarc.parse.version'))
    tags[k] = v
  })
  if (!tags.p) errors.push(text('fixgen:dmarc.parse.noPolicy'))
  else if (!['none', 'quarantine', 'reject'].includes(tags.p))
    errors.push(text('fixgen:dmarc.parse.badPolicy', { p: tags.p }))
  if (tags.pct && !/^(100|[1-9]?\d)$/.test(tags.pct)) errors.push(text('fixgen:dmarc.parse.badPct'))
  for (const k of ['adkim', 'aspf'])
    if (tags[k] && !['r', 's'].includes(tags[k]))
      errors.push(text('fixgen:dmarc.parse.badAlignment', { tag: k }))
  return {
    valid: errorTexts.length === 0,
    tags,
    errors: errorTexts.map((t) => renderText('en', t)),
    errorTexts
  }
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) throw new SaidError(text('fixgen:dmarc.badDate', { date: iso }))
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

function normaliseRua(addr: string): { uri: string; domain: string } {
  const a = addr.trim().replace(/^mailto:/i, '')
  const at = a.lastIndexOf('@')
  if (at < 1 || at === a.length - 1) throw new SaidError(text('fixgen:dmarc.badAddress', { address: addr }))
  return { uri: `mailto:${a}`, domain: a.slice(at + 1).toLowerCase() }
}

export function planDmarc(input: PlanDmarcInput): DmarcPlan {
  const domain = input.domain.trim().replace(/\.$/, '').toLowerCase()
  const warnings: Say[] = []
  const rua = normaliseRua(input.ruaAddress)
  const monitor = input.monitorDays ?? 28
  const step = input.stepDays ?? 14
  if (input.currentRecord) {
    const cur = parseDmarc(input.currentRecord)
    for (const problem of cur.errorTexts) warnings.push(text('fixgen:dmarc.warn.currentProblem', { problem }))
    if (cur.tags.p === 'reject') warnings.push(text('fixgen:dmarc.warn.alreadyReject'))
    if (cur.tags.ruf) warnings.push(text('fixgen:dmarc.warn.ruf'))
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
  stages.push(
    stage(
      text('fixgen:dmarc.stage.monitor'),
      text('fixgen:dmarc.stage.monitorHow', { days: monitor, domain }),
      {
        policy: 'none',
        startDate: addDays(input.startDate, day),
        record: tail('none')
      }
    )
  )
  day += monitor
  const pcts = input.stagedPct ? [25, 50, 100] : [100]
  for (const pct of pcts) {
    stages.push(
      stage(
        pct < 100 ? text('fixgen:dmarc.stage.quarantinePct', { pct }) : text('fixgen:dmarc.stage.quarantine'),
        pct < 100
          ? text('fixgen:dmarc.stage.quarantinePctHow', { pct })
          : text('fixgen:dmarc.stage.quarantineHow'),
        {
          policy: 'quarantine',
          pct: pct < 100 ? pct : undefined,
          startDate: addDays(input.startDate, day),
          record: tail('quarantine', pct)
        }
      )
    )
    day += step
  }
  stages.push(
    stage(text('fixgen:dmarc.stage.reject'), text('fixgen:dmarc.stage.rejectHow'), {
      policy: 'reject',
      startDate: addDays(input.startDate, day),
      record: tail('reject')
    })
  )
  if (input.alignment.adkim === 's' || input.alignment.aspf === 's')
    warnings.push(text('fixgen:dmarc.warn.strict'))

  const name = `_dmarc.${domain}`
  const snippets: FixSnippet[] = stages.map((s, i) =>
    snippet(
      `dmarc-stage-${i + 1}`,
      text('fixgen:dmarc.stageTitle', { stage: s.nameText ?? s.name, date: s.startDate }),
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
        text('fixgen:dmarc.externalTitle', { dest: rua.domain, domain }),
        'dns-txt',
        [line('v=DMARC1', text('fixgen:dmarc.externalLine', { dest: rua.domain, domain }))],
        { name: authName, record: 'v=DMARC1', text: `${authName}. 3600 IN TXT "v=DMARC1"` }
      )
    )
    warnings.push(text('fixgen:dmarc.warn.external', { dest: rua.domain, name: authName }))
  }
  return { domain, stages, snippets, ...warningsOf(warnings) }
}

/** A stage of the rollout: its name and what it does as Texts, with their English beside them. */
function stage(name: Text, explanation: Text, rest: Omit<DmarcStage, 'name' | 'explanation'>): DmarcStage {
  return {
    name: renderText('en', name),
    nameText: name,
    ...rest,
    explanation: renderText('en', explanation),
    explanationText: explanation
  }
}

function explainTag(tag: string, domain: string): Text {
  const [k, v] = tag.split('=')
  switch (k) {
    case 'v':
      return text('fixgen:dmarc.tag.v')
    case 'p':
      return text(
        v === 'none'
          ? 'fixgen:dmarc.tag.pNone'
          : v === 'quarantine'
            ? 'fixgen:dmarc.tag.pQuarantine'
            : 'fixgen:dmarc.tag.pReject'
      )
    case 'sp':
      return text('fixgen:dmarc.tag.sp', { domain })
    case 'pct':
      return text('fixgen:dmarc.tag.pct', { pct: v })
    case 'rua':
      return text('fixgen:dmarc.tag.rua')
    case 'adkim':
      return text(v === 's' ? 'fixgen:dmarc.tag.adkimStrict' : 'fixgen:dmarc.tag.adkimRelaxed')
    case 'aspf':
      return text(v === 's' ? 'fixgen:dmarc.tag.aspfStrict' : 'fixgen:dmarc.tag.aspfRelaxed')
    default:
      return text('fixgen:dmarc.tag.other')
  }
}
