import type { ParsedInput } from '../../../shared/api'
import { AppError } from '../../../shared/result'
import type { DomainReport } from '../../../shared/schemas/domain'
import type { FixKind, FixOutput, FixPrefill, StoredFix } from '../../../shared/schemas/workflow'
import { text } from '../../../shared/text'
import { senderHelo } from '../../core/diagnose/parties'
import { lintMessage, runGenerator } from '../../core/findings/fixes'
import { SaidError } from '../../core/text/said-error'
import { keepMechanisms, spfServices } from '../../core/fix'
import { createFixRepo } from '../../db/repos/fixes'
import type { Repos, ServiceContext } from '../context'
import { dnsClientFor } from '../dns'
import { readerLanguage } from '../reader-language'
import type { CaseFindings } from './case-findings'

/** The Fix step: generator inputs derived from the case, the generators themselves, and the stored fixes. */
export function createFixes(ctx: ServiceContext, repos: Repos, caseFindings: CaseFindings) {
  const fixes = createFixRepo(ctx.db, ctx.now)
  const { mustCase, analysesOf } = caseFindings

  function latestDomain(caseId: number, domain: string | null): DomainReport | undefined {
    if (!domain) return undefined
    const r = repos.checkRuns.latest<DomainReport>(caseId, 'domain', domain.toLowerCase())
    return r?.result?.spf ? r.result : undefined
  }

  function prefill(caseId: number): FixPrefill {
    const c = mustCase(caseId)
    const report = latestDomain(caseId, c.sendingDomain)
    const currentSpf = report?.spf.record ?? null
    const services = currentSpf
      ? spfServices
          .filter((s) =>
            s.mechanisms.every((m) => currentSpf.toLowerCase().split(/\s+/).includes(m.toLowerCase()))
          )
          .map((s) => s.id)
      : []
    const serviceMechs = spfServices.filter((s) => services.includes(s.id)).flatMap((s) => s.mechanisms)
    const ptrNames: Record<string, string> = {}
    for (const p of report?.ptr ?? []) if (p.names[0]) ptrNames[p.ip] = p.confirmedName ?? p.names[0]
    const helo =
      analysesOf(caseId)
        .map((x) => senderHelo(x.analysis))
        .find((h): h is string => !!h) ?? null
    return {
      domain: c.sendingDomain,
      ips: c.sendingIps,
      currentSpf,
      currentDmarc: report?.dmarc.inherited ? null : (report?.dmarc.record ?? null),
      keepMechanisms: currentSpf ? keepMechanisms(currentSpf, serviceMechs) : [],
      services,
      selectors: (report?.dkim ?? []).filter((d) => d.state === 'pass').map((d) => d.selector),
      ptrNames,
      helo,
      catalogue: spfServices.map((s) => ({
        id: s.id,
        name: s.name,
        typicalLookups: s.typicalLookups,
        verified: s.verified,
        accountSpecific: !!s.accountSpecific,
        mechanisms: s.mechanisms
      })),
      lintable: repos.evidence
        .listForCase(caseId)
        .filter((e) => e.kind === 'message' || e.kind === 'bounce')
        .map((e) => ({ id: e.id, name: e.name }))
    }
  }

  async function generate(
    input: ParsedInput<'fix.generate'>
  ): Promise<{ fix: StoredFix; privateKeyPem?: string }> {
    const { caseId, kind } = input
    mustCase(caseId)
    let result: { title: string; output: FixOutput; privateKeyPem?: string }
    try {
      result = await runGenerator(input, {
        language: readerLanguage(repos.settings.get().language),
        client: () => dnsClientFor(repos.settings.get()),
        lintEvidence: async (id) => {
          const ev = repos.evidence.get(id)
          if (!ev || ev.caseId !== caseId)
            throw new AppError('NOT_FOUND', `Evidence ${id} is not part of case ${caseId}.`)
          const bytes = repos.evidence.content(id)
          return { name: ev.name, findings: bytes ? await lintMessage(new Uint8Array(bytes)) : [] }
        },
        caseEvidence: () =>
          repos.evidence
            .listForCase(caseId)
            .filter((e) => e.kind === 'message' || e.kind === 'bounce')
            .map((e) => e.id)
      })
    } catch (e) {
      if (e instanceof AppError) throw e
      // Generators throw for bad input (invalid selector, not an e-mail address, bad date), said as a Text.
      throw new AppError(
        'INVALID_INPUT',
        (e as Error).message,
        undefined,
        undefined,
        e instanceof SaidError ? e.text : undefined
      )
    }
    const fix = fixes.add(
      caseId,
      kind as FixKind,
      result.title,
      input.input as Record<string, unknown>,
      result.output
    )
    repos.notes.event(caseId, text('timeline:fix.generated', { kind: text(`workflow:kind.${kind}`) }))
    repos.cases.touch(caseId)
    ctx.emit('case:changed', { caseId })
    // The private key goes back to the caller once and is saved by the user; it is not in `fix` nor in the DB.
    return result.privateKeyPem ? { fix, privateKeyPem: result.privateKeyPem } : { fix }
  }

  function remove(id: number) {
    const f = fixes.get(id)
    const deleted = fixes.delete(id)
    if (f && deleted) {
      repos.notes.event(f.caseId, text('timeline:fix.removed', { kind: text(`workflow:kind.${f.kind}`) }))
      ctx.emit('case:changed', { caseId: f.caseId })
    }
    return { deleted }
  }

  const list = (caseId: number) => {
    mustCase(caseId)
    return fixes.listForCase(caseId)
  }

  return { prefill, generate, list, remove }
}
export type Fixes = ReturnType<typeof createFixes>
