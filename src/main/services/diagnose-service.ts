import { text } from '../../shared/text'
import type { Handlers } from '../../shared/api'
import type { diagnoseApi } from '../../shared/contract/diagnose'
import { AppError } from '../../shared/result'
import { Analysis } from '../../shared/schemas/analysis'
import { messageBody, reverifyAnalysis } from '../core/diagnose'
import { triageCase } from '../core/diagnose/triage'
import { decodeBase64 } from './cases-service'
import type { Repos, ServiceContext } from './context'
import { dnsClientFor } from './dns'

const notFound = (id: number) =>
  new AppError('NOT_FOUND', `Evidence ${id} does not exist (it may have been deleted).`)

const word = (s: string | undefined) => s ?? text('timeline:auth.notChecked')

/** Use-cases for the diagnose methods of the contract. */
export function createDiagnoseHandlers(
  ctx: ServiceContext,
  repos: Repos
): Pick<Handlers, keyof typeof diagnoseApi> {
  return {
    'evidence.reverify': async ({ id, resolver }) => {
      const ev = repos.evidence.get(id)
      const content = repos.evidence.content(id)
      if (!ev || !content) throw notFound(id)
      // Analyses stored by older versions lack the typed fields: parse leniently, defaults fill them in.
      const parsed = Analysis.safeParse(ev.analysis)
      if (!parsed.success)
        throw new AppError(
          'PARSE_ERROR',
          `The stored analysis of ${ev.name} is unreadable; remove and re-add the file.`
        )
      const settings = repos.settings.get()
      const client = dnsClientFor(settings, resolver)
      const taskId = `reverify:${id}`
      const label = `Re-verifying ${ev.name}`
      const updated = await reverifyAnalysis(parsed.data, new Uint8Array(content), {
        client,
        now: ctx.now(),
        onProgress: (done, total) => ctx.emit('progress', { taskId, label, done, total })
      })
      const auth = updated.kind === 'bounce' ? updated.original?.auth : updated.auth
      repos.evidence.setAnalysis(id, updated)
      if (auth?.now) {
        const n = auth.now
        repos.notes.event(
          ev.caseId,
          text(n.dnsAvailable ? 'timeline:auth.reverified' : 'timeline:auth.reverifiedNoDns', {
            name: ev.name,
            // Mechanism results are RFC 8601 keywords (pass, fail, softfail…): quoted as they are, not translated.
            spf: word(n.spf.result),
            dkim: n.dkim.map((d) => d.result).join('/') || text('timeline:auth.none'),
            dmarc: word(n.dmarc.result)
          })
        )
        ctx.emit('case:changed', { caseId: ev.caseId })
      }
      return updated
    },
    'evidence.body': async ({ id }) => {
      const content = repos.evidence.content(id)
      if (!content) throw notFound(id)
      return messageBody(new Uint8Array(content))
    },
    'diagnose.analyze': async ({ file, resolver }) => {
      const settings = repos.settings.get()
      const bytes = decodeBase64(file.base64, file.name, settings.maxFileMb)
      const items = await ctx.analyze(bytes, file.name, { settings })
      if (resolver === undefined) return { analyses: items.map((i) => i.analysis) }
      const client = dnsClientFor(settings, resolver)
      const analyses: Analysis[] = []
      for (const it of items)
        analyses.push(await reverifyAnalysis(it.analysis, it.content, { client, now: ctx.now() }))
      return { analyses }
    },
    'cases.triage': async ({ caseId }) => {
      if (!repos.cases.get(caseId))
        throw new AppError('NOT_FOUND', `Case ${caseId} does not exist (it may have been deleted).`)
      const items = repos.evidence.listForCase(caseId).map((e) => {
        // Lenient like evidence.reverify: older analyses get their defaults; an unreadable one is counted apart.
        const parsed = Analysis.safeParse(repos.evidence.get(e.id)?.analysis)
        return { id: e.id, analysis: parsed.success ? parsed.data : undefined }
      })
      return triageCase(items)
    }
  }
}
