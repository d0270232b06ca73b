import type { ParsedInput } from '../../../shared/api'
import { AppError } from '../../../shared/result'
import type { ReportFormat, ReportLanguage } from '../../../shared/schemas/workflow'
import { text } from '../../../shared/text'
import { buildHtml, buildJson, buildMarkdown, type ReportData } from '../../core/report'
import { findChromium, htmlToPdf } from '../chromium-pdf'
import type { Repos, ServiceContext } from '../context'
import { readerLanguage } from '../reader-language'
import { REPORT_EVENT, type CaseFindings, type WorkflowPeers } from './case-findings'
import type { Fixes } from './fixes'

export interface ReportDeps {
  /** Path of a Chromium for PDF export; null disables it (tests of the UNSUPPORTED path). */
  chromium?: string | null
  /** How long headless Chromium may take to print a report (default 60 s, or DELIVERY_DESK_PDF_TIMEOUT_MS). */
  pdfTimeoutMs?: number
}

/** The Report step: everything the case recorded, as HTML, PDF, Markdown or JSON, in English or French. */
export function createReports(
  ctx: ServiceContext,
  repos: Repos,
  peers: WorkflowPeers,
  caseFindings: CaseFindings,
  fixes: Fixes,
  verify: { lastVerify: (caseId: number) => import('../../../shared/schemas/workflow').VerifyResult | null },
  deps: ReportDeps = {}
) {
  const { mustCase, analysesOf, latestScan } = caseFindings

  const languageFor = (given: ReportLanguage | undefined): ReportLanguage =>
    given ?? readerLanguage(repos.settings.get().language)

  async function reportData(caseId: number, contact?: string): Promise<ReportData> {
    const c = mustCase(caseId)
    const st = await caseFindings.status(caseId)
    const scanRun = latestScan(caseId)
    const catalogue = await peers['blocklist.catalogue']({}).catch(() => null)
    const nameOf = (id: string) => catalogue?.lists.find((l) => l.id === id)?.name ?? id
    const delist = await caseFindings.delistRequests(caseId)
    return {
      generatedAt: ctx.now().toISOString(),
      version: ctx.version,
      case: repos.cases.get(caseId) ?? c,
      evidence: analysesOf(caseId).map(({ summary, analysis }) => ({
        ...summary,
        from:
          analysis.kind === 'bounce'
            ? (analysis.original?.summary.from ?? analysis.summary?.from ?? null)
            : (analysis.summary?.from ?? null),
        verdict: analysis.verdict,
        hops:
          analysis.kind === 'bounce' && analysis.original?.hops?.length
            ? analysis.original.hops
            : (analysis.hops ?? [])
      })),
      findings: caseFindings.stored(caseId),
      causes: st.causes,
      coverage: st.coverage,
      steps: st.steps,
      fixes: fixes.list(caseId),
      scan: scanRun
        ? {
            checkedAt: scanRun.result.checkedAt,
            listed: scanRun.result.reports.flatMap((r) =>
              r.results
                .filter((x) => x.status === 'listed' && x.polarity === 'block')
                .map((x) => ({
                  list: x.list,
                  name: nameOf(x.list),
                  target: r.target,
                  codes: x.codes,
                  meanings: x.meanings
                }))
            ),
            couldNotCheck: [
              ...new Set(
                scanRun.result.reports.flatMap((r) =>
                  r.results
                    .filter(
                      (x) => x.status === 'error' || x.status === 'refused' || x.status === 'unreliable'
                    )
                    .map((x) => nameOf(x.list))
                )
              )
            ]
          }
        : null,
      delist: delist.map((d) => ({
        list: d.list,
        listName: d.listName,
        target: d.target,
        status: d.status,
        requestedAt: d.requestedAt,
        reference: d.reference,
        removalUrl: d.removalUrl
      })),
      verify: verify.lastVerify(caseId),
      notes: repos.notes.listForCase(caseId),
      listNames: Object.fromEntries((catalogue?.lists ?? []).map((l) => [l.id, l.name])),
      contact
    }
  }

  const MIME: Record<ReportFormat, string> = {
    html: 'text/html;charset=utf-8',
    pdf: 'application/pdf',
    md: 'text/markdown;charset=utf-8',
    json: 'application/json'
  }

  async function exportReport(input: ParsedInput<'report.export'>) {
    const { caseId, format, variant } = input
    const lang = languageFor(input.language)
    const data = await reportData(caseId, input.contact)
    let bytes: Uint8Array
    if (format === 'json') bytes = Buffer.from(buildJson(data, variant, lang), 'utf8')
    else if (format === 'md') bytes = Buffer.from(buildMarkdown(data, variant, lang), 'utf8')
    else {
      const html = buildHtml(data, variant, lang)
      if (format === 'html') bytes = Buffer.from(html, 'utf8')
      else if (ctx.printToPdf) bytes = await ctx.printToPdf(html)
      else {
        const chromium = deps.chromium === undefined ? findChromium() : deps.chromium
        if (!chromium)
          throw new AppError(
            'UNSUPPORTED',
            'PDF export needs Chromium, which is not installed here (set CHROMIUM_PATH). Export HTML and print it to PDF from your browser instead.'
          )
        try {
          bytes = await htmlToPdf(html, chromium, {
            timeoutMs: deps.pdfTimeoutMs ?? (Number(process.env.DELIVERY_DESK_PDF_TIMEOUT_MS) || undefined)
          })
        } catch (e) {
          throw new AppError(
            'UNSUPPORTED',
            `${(e as Error).message} Export HTML and print it from your browser instead.`
          )
        }
      }
    }
    const slug =
      data.case.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'case'
    const fileName = `delivery-desk-${caseId}-${slug}${variant === 'operator' ? '-delisting' : ''}.${format}`
    if (!input.preview) {
      repos.notes.event(
        caseId,
        text(REPORT_EVENT, {
          format: format.toUpperCase(),
          variant: text(`timeline:report.variant.${variant}`),
          language: lang.toUpperCase()
        })
      )
      ctx.emit('case:changed', { caseId })
    }
    return { fileName, mimeType: MIME[format], base64: Buffer.from(bytes).toString('base64') }
  }

  return { reportData, exportReport }
}
