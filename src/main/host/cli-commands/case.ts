import type { CaseDetail } from '../../../shared/contract/core'
import type {
  CaseCause,
  CoverageNote,
  ReportLanguage,
  StepProgress,
  VerifyResult
} from '../../../shared/schemas/workflow'
import { renderText } from '../../core/text/render'
import type { CliCommand, CliRunContext } from './types'
import { fileUpload } from './upload'

/**
 * `case new`, `case show` and `case check`: the workflow without the UI.
 *
 * `case check ID [--resolver HOST:PORT]` runs the Verify step (domain check, sweep of the case's targets,
 * re-verification of every message) and prints where the case stands. Exit codes, for cron and scripts:
 * - 0: every root cause is resolved or accepted;
 * - 3: causes remain open (see `steps` and `causes`);
 * - 1: the check could not run (no such case, a bad resolver).
 */

interface Standing {
  steps: StepProgress[]
  causes: CaseCause[]
  coverage: CoverageNote[]
}

/** The case's standing in the shape scripts read: steps as the report has them, one row per finding. */
async function standing(ctx: CliRunContext, caseId: number): Promise<Standing | string> {
  const status = await ctx.backend.dispatch('workflow.status', { caseId })
  if (!status.ok) return status.error.message
  const causes = await ctx.backend.dispatch('findings.causes', { caseId })
  if (!causes.ok) return causes.error.message
  const st = status.data as { steps: StepProgress[] }
  const cs = causes.data as { causes: CaseCause[]; coverage: CoverageNote[] }
  return { steps: st.steps, causes: cs.causes, coverage: cs.coverage }
}

const findingRows = (causes: CaseCause[]) =>
  causes.flatMap((c) =>
    c.findings.map((f) => ({
      code: f.id,
      rootCause: c.id,
      status: f.status,
      step: c.step,
      severity: f.severity,
      title: f.title
    }))
  )

const causeRows = (causes: CaseCause[]) =>
  causes.map((c) => ({
    id: c.id,
    kind: c.kind,
    status: c.status,
    step: c.step,
    severity: c.severity,
    actionable: c.actionable,
    title: c.title,
    findings: c.findings.length
  }))

function humanStanding(s: Standing, lang: ReportLanguage): string {
  const lines: string[] = []
  lines.push(
    s.steps
      .map((st) => `${st.step}: ${st.complete ? 'complete' : `${st.remaining} open`} (${st.done} done)`)
      .join(' · ')
  )
  for (const c of s.causes.filter((x) => x.actionable))
    lines.push(
      `  [${c.status}] ${c.step.padEnd(8)} ${c.titleText ? renderText(lang, c.titleText) : c.title} (${c.id})`
    )
  for (const n of s.coverage)
    lines.push(`  coverage: ${renderText(lang, n.text)}${n.advice ? ` ${renderText(lang, n.advice)}` : ''}`)
  return lines.join('\n')
}

export const caseCommand: CliCommand = {
  name: 'case',
  usage: 'case new|show|check ...',
  summary:
    'case new --title T [--evidence FILE]...: create a case from evidence; case show ID: the case with its ' +
    'steps, root causes and findings; case check ID [--resolver HOST:PORT]: run Verify (exit 0 when every ' +
    'cause is closed, 3 when some remain open)',
  async run(ctx) {
    const [sub, idArg] = ctx.rest
    const lang: ReportLanguage = ctx.flag('--lang') === 'fr' ? 'fr' : 'en'
    if (sub === 'new') {
      const title = ctx.flag('--title')
      if (!title) return ctx.fail('case new needs --title')
      const created = await ctx.backend.dispatch('cases.create', { title })
      if (!created.ok) return ctx.fail(created.error.message, created.error.code)
      const id = (created.data as { id: number }).id
      const errors: unknown[] = []
      const files = ctx.flagAll('--evidence')
      if (files.length) {
        const uploads = []
        for (const f of files) {
          try {
            uploads.push(fileUpload(f))
          } catch (e) {
            errors.push({ file: f, code: 'NOT_FOUND', message: `${f}: ${(e as Error).message}` })
          }
        }
        const added = await ctx.backend.dispatch('evidence.add', { caseId: id, files: uploads })
        if (!added.ok) return ctx.fail(added.error.message, added.error.code)
        errors.push(...(added.data as { errors: unknown[] }).errors)
      }
      ctx.print(
        { id, errors },
        () => `Created case #${id}` + (errors.length ? `\n${JSON.stringify(errors, null, 2)}` : '')
      )
      return errors.length ? 1 : 0
    }
    const caseId = Number(idArg)
    if (!Number.isInteger(caseId) || caseId <= 0)
      return ctx.fail(`case ${sub ?? ''} needs a case number, e.g. "case ${sub ?? 'show'} 3"`)
    if (sub === 'show') {
      const res = await ctx.backend.dispatch('cases.get', { id: caseId })
      if (!res.ok) return ctx.fail(res.error.message, res.error.code)
      const s = await standing(ctx, caseId)
      if (typeof s === 'string') return ctx.fail(s)
      const detail = res.data as CaseDetail
      ctx.print(
        {
          ...detail,
          steps: s.steps,
          causes: causeRows(s.causes),
          findings: findingRows(s.causes),
          coverage: s.coverage.map((n) => ({ ...n, message: renderText(lang, n.text) }))
        },
        () =>
          [
            `#${detail.case.id} ${detail.case.title} (${detail.case.status})`,
            `evidence: ${detail.evidence.map((e) => e.name).join(', ') || 'none'}`,
            humanStanding(s, lang)
          ].join('\n')
      )
      return 0
    }
    if (sub === 'check') {
      const resolver = ctx.flag('--resolver')
      const res = await ctx.backend.dispatch('workflow.verify', {
        caseId,
        ...(resolver ? { resolver } : {})
      })
      if (!res.ok) return ctx.fail(res.error.message, res.error.code)
      const s = await standing(ctx, caseId)
      if (typeof s === 'string') return ctx.fail(s)
      const v = res.data as VerifyResult
      const open = s.causes.filter((c) => c.actionable && c.status === 'open').length
      ctx.print(
        {
          caseId,
          checkedAt: v.checkedAt,
          checks: v.checks,
          counts: v.counts,
          open,
          steps: s.steps,
          causes: causeRows(s.causes),
          findings: findingRows(s.causes),
          coverage: s.coverage.map((n) => ({ ...n, message: renderText(lang, n.text) }))
        },
        () =>
          [
            `Case #${caseId} checked at ${v.checkedAt}: ${v.checks.map((c) => `${c.check} ${c.state}`).join(', ')}`,
            humanStanding(s, lang)
          ].join('\n')
      )
      return open ? 3 : 0
    }
    return ctx.fail(`unknown: case ${sub ?? ''}. Try "case new", "case show ID" or "case check ID".`)
  }
}
