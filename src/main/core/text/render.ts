import enAntispam from '../../../../resources/locales/en/antispam.json'
import enAuth from '../../../../resources/locales/en/auth.json'
import enBlocklist from '../../../../resources/locales/en/blocklist.json'
import enChecks from '../../../../resources/locales/en/checks.json'
import enCommon from '../../../../resources/locales/en/common.json'
import enDiagnose from '../../../../resources/locales/en/diagnose.json'
import enDomain from '../../../../resources/locales/en/domain.json'
import enFindings from '../../../../resources/locales/en/findings.json'
import enFixgen from '../../../../resources/locales/en/fixgen.json'
import enLint from '../../../../resources/locales/en/lint.json'
import enListing from '../../../../resources/locales/en/listing.json'
import enParser from '../../../../resources/locales/en/parser.json'
import enReport from '../../../../resources/locales/en/report.json'
import enVerdict from '../../../../resources/locales/en/verdict.json'
import enWorkflow from '../../../../resources/locales/en/workflow.json'
import enDmarc from '../../../../resources/locales/en/dmarc.json'
import enHygiene from '../../../../resources/locales/en/hygiene.json'
import enTimeline from '../../../../resources/locales/en/timeline.json'
import enPrecheck from '../../../../resources/locales/en/precheck.json'
import enWatch from '../../../../resources/locales/en/watch.json'
import frAntispam from '../../../../resources/locales/fr/antispam.json'
import frAuth from '../../../../resources/locales/fr/auth.json'
import frBlocklist from '../../../../resources/locales/fr/blocklist.json'
import frChecks from '../../../../resources/locales/fr/checks.json'
import frCommon from '../../../../resources/locales/fr/common.json'
import frDiagnose from '../../../../resources/locales/fr/diagnose.json'
import frDomain from '../../../../resources/locales/fr/domain.json'
import frFindings from '../../../../resources/locales/fr/findings.json'
import frFixgen from '../../../../resources/locales/fr/fixgen.json'
import frLint from '../../../../resources/locales/fr/lint.json'
import frListing from '../../../../resources/locales/fr/listing.json'
import frParser from '../../../../resources/locales/fr/parser.json'
import frReport from '../../../../resources/locales/fr/report.json'
import frVerdict from '../../../../resources/locales/fr/verdict.json'
import frWorkflow from '../../../../resources/locales/fr/workflow.json'
import frDmarc from '../../../../resources/locales/fr/dmarc.json'
import frHygiene from '../../../../resources/locales/fr/hygiene.json'
import frTimeline from '../../../../resources/locales/fr/timeline.json'
import frPrecheck from '../../../../resources/locales/fr/precheck.json'
import frWatch from '../../../../resources/locales/fr/watch.json'
import type { ReportLanguage } from '../../../shared/schemas/workflow'
import { formatText, kbCatalogue, type Text } from '../../../shared/text'

/**
 * Strings in node, from the same catalogues as the UI (resources/locales/<lang>/<namespace>.json, plus the
 * knowledge base as the "kb" namespace) so translators edit one kind of file and the UI, the reports and the CLI
 * say the same thing. Dates and numbers go through Intl in the report's language.
 */
const namespaces: Record<ReportLanguage, Record<string, unknown>> = {
  en: {
    antispam: enAntispam,
    auth: enAuth,
    blocklist: enBlocklist,
    checks: enChecks,
    common: enCommon,
    diagnose: enDiagnose,
    domain: enDomain,
    findings: enFindings,
    fixgen: enFixgen,
    lint: enLint,
    listing: enListing,
    parser: enParser,
    report: enReport,
    verdict: enVerdict,
    workflow: enWorkflow,
    dmarc: enDmarc,
    hygiene: enHygiene,
    timeline: enTimeline,
    precheck: enPrecheck,
    watch: enWatch,
    kb: kbCatalogue('en')
  },
  fr: {
    antispam: frAntispam,
    auth: frAuth,
    blocklist: frBlocklist,
    checks: frChecks,
    common: frCommon,
    diagnose: frDiagnose,
    domain: frDomain,
    findings: frFindings,
    fixgen: frFixgen,
    lint: frLint,
    listing: frListing,
    parser: frParser,
    report: frReport,
    verdict: frVerdict,
    workflow: frWorkflow,
    dmarc: frDmarc,
    hygiene: frHygiene,
    timeline: frTimeline,
    precheck: frPrecheck,
    watch: frWatch,
    kb: kbCatalogue('fr')
  }
}

export function lookup(cat: unknown, key: string): string | undefined {
  let v: unknown = cat
  // Walk the dotted path ("title.blocklist") without splitting it into a new array on every lookup.
  for (let start = 0; ;) {
    const dot = key.indexOf('.', start)
    const part = dot < 0 ? key.slice(start) : key.slice(start, dot)
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
    if (dot < 0) break
    start = dot + 1
  }
  return typeof v === 'string' ? v : undefined
}

export function interpolate(s: string, vars: Record<string, unknown>): string {
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k in vars && vars[k] !== null ? String(vars[k]) : ''))
}

// One PluralRules per language: building one loads ICU locale data, far dearer than `select` (renderText runs for
// every parser warning and finding).
const pluralRules = new Map<ReportLanguage, Intl.PluralRules>()
function pluralRulesOf(lang: ReportLanguage): Intl.PluralRules {
  let rules = pluralRules.get(lang)
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)))
  return rules
}

/** A Text ("namespace:key" + params) in a language, falling back to English, then to the code itself. */
export function renderText(lang: ReportLanguage, t: Text): string {
  return formatText(t, (code, params) => {
    const colon = code.indexOf(':')
    const ns = colon < 0 ? 'common' : code.slice(0, colon)
    const key = colon < 0 ? code : code.slice(colon + 1)
    // i18next's plural keys (key_one, key_other) chosen by `count` with the language's own rules, as in the UI.
    const plural =
      typeof params.count === 'number' ? `${key}_${pluralRulesOf(lang).select(params.count)}` : null
    const find = (l: ReportLanguage) =>
      (plural
        ? (lookup(namespaces[l][ns], plural) ?? lookup(namespaces[l][ns], `${key}_other`))
        : undefined) ?? lookup(namespaces[l][ns], key)
    return interpolate(find(lang) ?? find('en') ?? code, params)
  })
}

/** Several Texts as one paragraph. */
export function renderTexts(lang: ReportLanguage, ts: Text[]): string {
  return ts.map((t) => renderText(lang, t)).join(' ')
}
