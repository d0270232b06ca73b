/**
 * eval:dmarc — the app's report reader against parsedmarc's sample reports (../shared/corpus/dmarc-aggregate,
 * dmarc-failure) and their expected answers. Prints the agreement per check and in total, and every
 * disagreement with the field, the expected and our value. Exit code 1 when anything disagrees.
 *
 * Usage: npx tsx scripts/eval-dmarc.ts [CORPUS_DIR=../shared/corpus] [--verbose]
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  readReportBytes,
  type AggregateReport,
  type FailureReport,
  type ReadResult
} from '../src/main/core/dmarc'

const args = process.argv.slice(2)
const verbose = args.includes('--verbose')
const root = resolve(args.find((a) => !a.startsWith('--')) ?? join(__dirname, '../../shared/corpus'))

interface Tally {
  ok: number
  total: number
  misses: string[]
}
const tallies = new Map<string, Tally>()
function check(
  group: string,
  what: string,
  expected: unknown,
  actual: unknown,
  eq = (a: unknown, b: unknown) => a === b
) {
  const t = tallies.get(group) ?? { ok: 0, total: 0, misses: [] }
  t.total++
  if (eq(expected, actual)) t.ok++
  else t.misses.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  tallies.set(group, t)
  if (verbose) console.log(`  ${eq(expected, actual) ? 'ok ' : 'BAD'} ${what}`)
}
const ci = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase()

async function read(file: string): Promise<ReadResult> {
  return readReportBytes(new Uint8Array(readFileSync(file)), file.slice(root.length + 1))
}

function summaryOf(r: AggregateReport) {
  const by: Record<string, number> = {}
  for (const rec of r.records) {
    const k = `${rec.disposition}/${rec.dkim}/${rec.spf}`
    by[k] = (by[k] ?? 0) + rec.count
  }
  return {
    xml_namespace: r.xmlNamespace,
    org_name: r.orgName,
    report_id: r.reportId,
    date_begin: String(r.begin),
    date_end: String(r.end),
    policy_domain: r.policy.domain,
    p: r.policy.p,
    sp: r.policy.sp ?? null,
    pct: r.policy.pct === undefined ? null : String(r.policy.pct),
    adkim: r.policy.adkim,
    aspf: r.policy.aspf,
    np: r.policy.np ?? null,
    record_count: r.records.length,
    message_count: r.records.reduce((n, x) => n + x.count, 0),
    'messages_by_disposition/dkim/spf': by
  }
}

/** Lower-cases the keys of the disposition/dkim/spf map: RFC 7489 tokens are lower-case, "Pass" means pass. */
const lowerKeys = (o: Record<string, number> | null | undefined) =>
  o
    ? JSON.stringify(
        Object.fromEntries(
          Object.entries(o)
            .map(([k, v]) => [k.toLowerCase(), v])
            .sort()
        )
      )
    : null

async function aggregate() {
  const dir = join(root, 'dmarc-aggregate')
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    files: {
      file: string
      upstream_expected_report_type?: string
      upstream_assertions?: Record<string, unknown> | string
      contained_xml?: { container: string; summary_strict_parse?: Record<string, unknown> | null }[]
    }[]
  }
  for (const f of expected.files) {
    const res = await read(join(dir, f.file))
    const aggs = res.reports.filter((r): r is AggregateReport & { source: string } => r.kind === 'aggregate')
    const asserted = typeof f.upstream_assertions === 'object' ? f.upstream_assertions : {}
    if (asserted.expected && String(asserted.expected).includes('ParserError')) {
      check(
        'invalid samples rejected with a clear error',
        f.file,
        true,
        res.reports.length === 0 && res.errors.length === 1
      )
      if (res.errors[0]) console.log(`  rejected ${f.file}: [${res.errors[0].code}] ${res.errors[0].error}`)
      continue
    }
    const type =
      f.upstream_expected_report_type ?? (asserted.report_type as string | undefined) ?? 'aggregate'
    check(
      'report type (upstream)',
      `${f.file} parses as ${type}`,
      true,
      aggs.length > 0 && res.errors.length === 0
    )
    if (res.errors.length) console.log(`  ${f.file}: ${res.errors.map((e) => e.error).join('; ')}`)
    const ours = aggs[0]
    if (!ours) continue
    const s = summaryOf(ours)
    for (const c of f.contained_xml ?? []) {
      const exp = c.summary_strict_parse
      if (!exp) continue
      for (const [k, v] of Object.entries(exp)) {
        if (k === 'version') continue
        if (k === 'messages_by_disposition/dkim/spf') {
          if (v === null) continue
          check(
            'fields (strict parse)',
            `${f.file} ${k}`,
            lowerKeys(v as Record<string, number>),
            lowerKeys(s[k])
          )
        } else if (k === 'adkim' || k === 'aspf')
          // Absent in the XML (null in the strict parse) means relaxed: RFC 7489 §6.3 defaults, applied at parse.
          check('fields (strict parse)', `${f.file} ${k}`, v === null ? 'r' : String(v).toLowerCase(), s[k])
        else if (k === 'p' || k === 'sp' || k === 'np')
          check('fields (strict parse)', `${f.file} ${k}`, v === null ? null : String(v).toLowerCase(), s[k])
        else check('fields (strict parse)', `${f.file} ${k}`, v, s[k as keyof typeof s])
      }
    }
    for (const [k, v] of Object.entries(asserted)) {
      if (k === 'report_type' || k === 'note') continue
      const rec = ours.records[0]
      const actual: Record<string, unknown> = {
        'report_metadata.org_name': ours.orgName,
        'report_metadata.org_email': ours.email,
        'report_metadata.report_id': ours.reportId,
        'report_metadata.generator': ours.generator ?? null,
        xml_namespace: ours.xmlNamespace,
        xml_schema: ours.version,
        'policy_published.domain': ours.policy.domain,
        'policy_published.p': ours.policy.p,
        'policy_published.sp': ours.policy.sp,
        'policy_published.np': ours.policy.np ?? null,
        'policy_published.pct': ours.policy.pct === undefined ? null : String(ours.policy.pct),
        'policy_published.fo': ours.policy.fo ?? null,
        'policy_published.testing': ours.policy.testing ?? null,
        'policy_published.discovery_method': ours.policy.discoveryMethod ?? null,
        'policy_published.adkim': ours.policy.adkim,
        'policy_published.aspf': ours.policy.aspf,
        'len(records)': ours.records.length,
        'records[0].source.ip_address': rec?.sourceIp,
        'records[0].count': rec?.count,
        'records[0].policy_evaluated.disposition': rec?.disposition,
        'records[0].policy_evaluated.dkim': rec?.dkim,
        'records[0].policy_evaluated.spf': rec?.spf,
        'records[0].auth_results.dkim[0]': rec?.authDkim[0] && {
          domain: rec.authDkim[0].domain,
          selector: rec.authDkim[0].selector,
          result: rec.authDkim[0].result
        },
        'records[0].auth_results.spf[0]': rec?.authSpf[0] && {
          domain: rec.authSpf[0].domain,
          result: rec.authSpf[0].result
        },
        'records[0].auth_results.dkim[0].result': rec?.authDkim[0]?.result,
        'records[0].auth_results.spf[0].result': rec?.authSpf[0]?.result
      }
      // "r (default, absent in XML)": RFC 7489 §6.3 defaults, which we apply at parse time.
      const want = typeof v === 'string' && v.startsWith('r (default') ? 'r' : v
      // parsedmarc reports org_name "outlook.com" for "Outlook.com": DNS names compare case-insensitively.
      const eq =
        k === 'report_metadata.org_name'
          ? ci
          : (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
      check('upstream assertions', `${f.file} ${k}`, want, actual[k], eq)
    }
  }
  // extract_report: the three containers of nice-input must give the same report; changed-input must not.
  const ex = join(dir, 'extract_report')
  const base = JSON.stringify(
    (await read(join(ex, 'nice-input.xml'))).reports.map(({ source: _s, ...r }) => r)
  )
  for (const v of ['nice-input.xml.gz', 'nice-input.xml.zip'])
    check(
      'extract_report',
      `${v} equals nice-input.xml`,
      base,
      JSON.stringify((await read(join(ex, v))).reports.map(({ source: _s, ...r }) => r))
    )
  const changed = JSON.stringify(
    (await read(join(ex, 'changed-input.xml'))).reports.map(({ source: _s, ...r }) => r)
  )
  check('extract_report', 'changed-input.xml differs from nice-input.xml', true, changed !== base)
}

async function failure() {
  const dir = join(root, 'dmarc-failure')
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    files: {
      file: string
      feedback_report_fields_parsed_here: Record<string, string> | null
      upstream_assertions?: Record<string, string>
    }[]
  }
  for (const f of expected.files) {
    const res = await read(join(dir, f.file))
    const ours = res.reports.find((r): r is FailureReport & { source: string } => r.kind === 'failure')
    check(
      'failure reports: type (upstream)',
      `${f.file} parses as failure`,
      true,
      !!ours && res.errors.length === 0
    )
    if (!ours) continue
    const fields = f.feedback_report_fields_parsed_here
    if (fields) {
      const map: [string, unknown][] = [
        ['Feedback-Type', ours.feedbackType],
        ['Source-IP', ours.sourceIp],
        ['Reported-Domain', ours.reportedDomain],
        ['Auth-Failure', ours.authFailure],
        ['Delivery-Result', ours.deliveryResult],
        ['Arrival-Date', ours.arrivalDate],
        ['Authentication-Results', ours.authenticationResults],
        ['Original-Mail-From', ours.originalMailFrom ?? '']
      ]
      for (const [k, v] of map) check('failure reports: ARF fields', `${f.file} ${k}`, fields[k], v)
    }
    const a = f.upstream_assertions
    if (a?.feedback_type)
      check(
        'failure reports: upstream assertions',
        `${f.file} feedback_type`,
        a.feedback_type,
        ours.feedbackType
      )
    if (a?.['source.ip_address'])
      check(
        'failure reports: upstream assertions',
        `${f.file} source ip`,
        a['source.ip_address'],
        ours.sourceIp
      )
  }
}

async function main() {
  await aggregate()
  await failure()
  let ok = 0
  let total = 0
  console.log(`\neval:dmarc on ${root}`)
  for (const [group, t] of tallies) {
    ok += t.ok
    total += t.total
    console.log(`${group.padEnd(45)} ${t.ok}/${t.total} (${((t.ok / t.total) * 100).toFixed(1)}%)`)
    for (const m of t.misses) console.log(`    DISAGREE ${m}`)
  }
  console.log(`${'total'.padEnd(45)} ${ok}/${total} (${((ok / total) * 100).toFixed(1)}%)`)
  process.exitCode = ok === total ? 0 : 1
}
void main()
