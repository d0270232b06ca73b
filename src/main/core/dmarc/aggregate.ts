import { ReportError } from './unpack'
import { parseReportXml } from './xml'

/**
 * DMARC aggregate reports: RFC 7489 Appendix C and the DMARCbis schema (RFC 9990, namespace
 * urn:ietf:params:xml:ns:dmarc-2.0: adds np, testing, discovery_method and drops pct). Both are read into one
 * shape; result words are lower-cased because reporters write "PASS" (parsedmarc does the same).
 */

export interface AuthDkim {
  domain: string
  selector?: string
  result: string
}
export interface AuthSpf {
  domain: string
  scope?: string
  result: string
}

export interface AggregateRecord {
  sourceIp: string
  count: number
  disposition: string
  /** policy_evaluated: the DMARC-aligned outcomes (RFC 7489 Appendix C "DMARCResultType"). */
  dkim: string
  spf: string
  reasons: { type: string; comment?: string }[]
  headerFrom: string
  envelopeFrom?: string
  envelopeTo?: string
  authDkim: AuthDkim[]
  authSpf: AuthSpf[]
}

export interface AggregateReport {
  kind: 'aggregate'
  xmlNamespace: string | null
  version: string | null
  orgName: string
  email?: string
  reportId: string
  generator?: string
  begin: number
  end: number
  errors: string[]
  policy: {
    domain: string
    p: string
    sp?: string
    np?: string
    pct?: number
    adkim: string
    aspf: string
    fo?: string
    testing?: string
    discoveryMethod?: string
  }
  records: AggregateRecord[]
}

type Node = Record<string, unknown>
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {})
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v])
const str = (v: unknown): string => {
  if (v === undefined || v === null) return ''
  // The parser makes every <dkim>/<spf> an array (auth_results repeats them); policy_evaluated has one each.
  if (Array.isArray(v)) return str(v[0])
  if (typeof v === 'object') return str((v as Node)['#text'])
  return String(v).trim()
}
const opt = (v: unknown): string | undefined => str(v) || undefined
const low = (v: unknown): string => str(v).toLowerCase()

function need(value: string, field: string, file: string): string {
  if (!value)
    throw new ReportError(
      'dmarc.missingField',
      { file, field },
      `${file} is not a usable aggregate report: <${field}> is missing or empty.`
    )
  return value
}

function int(value: string, field: string, file: string): number {
  if (!/^\s*\d+\s*$/.test(value))
    throw new ReportError(
      'dmarc.badNumber',
      { file, field, value },
      `${file}: <${field}> should be a whole number, not "${value}".`
    )
  return Number(value)
}

export function parseAggregate(xml: string, file: string): AggregateReport {
  const fb = parseReportXml(xml, file)
  const meta = obj(fb.report_metadata)
  const pol = obj(fb.policy_published)
  const range = obj(meta.date_range)
  const records: AggregateRecord[] = []
  arr(fb.record).forEach((raw) => {
    const r = obj(raw)
    const row = obj(r.row)
    const pe = obj(row.policy_evaluated)
    const ids = obj(r.identifiers)
    const auth = obj(r.auth_results)
    records.push({
      sourceIp: need(str(row.source_ip), 'source_ip', file),
      count: int(str(row.count) || '0', 'count', file),
      disposition: low(pe.disposition) || 'none',
      dkim: low(pe.dkim) || 'fail',
      spf: low(pe.spf) || 'fail',
      reasons: arr(pe.reason)
        .map((x) => ({ type: low(obj(x).type), comment: opt(obj(x).comment) }))
        .filter((x) => x.type),
      headerFrom: low(ids.header_from),
      envelopeFrom: opt(ids.envelope_from)?.toLowerCase(),
      envelopeTo: opt(ids.envelope_to)?.toLowerCase(),
      authDkim: arr(auth.dkim).map((x) => ({
        domain: low(obj(x).domain),
        selector: opt(obj(x).selector),
        result: low(obj(x).result) || 'none'
      })),
      authSpf: arr(auth.spf).map((x) => ({
        domain: low(obj(x).domain),
        scope: opt(obj(x).scope)?.toLowerCase(),
        result: low(obj(x).result) || 'none'
      }))
    })
  })
  const pct = opt(pol.pct)
  return {
    kind: 'aggregate',
    xmlNamespace: opt(fb['@xmlns']) ?? null,
    version: opt(fb.version) ?? null,
    orgName: str(meta.org_name),
    email: opt(meta.email),
    reportId: need(str(meta.report_id), 'report_id', file),
    generator: opt(meta.generator),
    begin: int(need(str(range.begin), 'date_range/begin', file), 'date_range/begin', file),
    end: int(need(str(range.end), 'date_range/end', file), 'date_range/end', file),
    errors: arr(meta.error).map(str).filter(Boolean),
    policy: {
      domain: need(low(pol.domain), 'policy_published/domain', file),
      p: low(pol.p) || 'none',
      sp: opt(pol.sp)?.toLowerCase(),
      np: opt(pol.np)?.toLowerCase(),
      pct: pct && /^\d+$/.test(pct) ? Number(pct) : undefined,
      // RFC 7489 §6.3: alignment defaults to relaxed when the tag is absent.
      adkim: low(pol.adkim) || 'r',
      aspf: low(pol.aspf) || 'r',
      fo: opt(pol.fo),
      testing: opt(pol.testing)?.toLowerCase(),
      discoveryMethod: opt(pol.discovery_method)?.toLowerCase()
    },
    records
  }
}
