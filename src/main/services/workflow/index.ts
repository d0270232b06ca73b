import type { Handlers } from '../../../shared/api'
import type { workflowApi } from '../../../shared/contract/workflow'
import type { Repos, ServiceContext } from '../context'
import { createCaseFindings, type WorkflowPeers } from './case-findings'
import { createFixes } from './fixes'
import { createReports, type ReportDeps } from './report'
import { createVerify } from './verify'

export { REPORT_EVENT, type WorkflowPeers } from './case-findings'
export type WorkflowServiceDeps = ReportDeps

type WorkflowHandlers = Pick<Handlers, keyof typeof workflowApi>

/**
 * The workflow's use-cases (findings and causes, Verify, Fix, Report) over the case's data. The domain, blocklist
 * and diagnose use-cases it calls are the instances the rest of the app uses (services/index.ts), so a cancel or
 * a progress event reaches the scan Verify started like any other.
 */
export function createWorkflowService(
  ctx: ServiceContext,
  repos: Repos,
  peers: WorkflowPeers,
  deps: WorkflowServiceDeps = {}
) {
  const caseFindings = createCaseFindings(ctx, repos, peers)
  const verify = createVerify(ctx, repos, peers, caseFindings)
  const fixes = createFixes(ctx, repos, caseFindings)
  const reports = createReports(ctx, repos, peers, caseFindings, fixes, verify, deps)
  const handlers: WorkflowHandlers = {
    'findings.list': async ({ caseId }) => caseFindings.list(caseId),
    'findings.causes': async ({ caseId }) => caseFindings.causes(caseId),
    'findings.accept': async ({ caseId, findingId, note }) => caseFindings.accept(caseId, findingId, note),
    'findings.reopen': async ({ caseId, findingId }) => caseFindings.reopen(caseId, findingId),
    'workflow.status': async ({ caseId }) => {
      const st = await caseFindings.status(caseId)
      return {
        caseId,
        steps: st.steps,
        open: st.open,
        lastVerifiedAt: st.lastVerifiedAt,
        coverage: st.coverage
      }
    },
    'workflow.verify': verify.verify,
    'workflow.lastVerify': async ({ caseId }) => verify.lastVerify(caseId),
    'fix.prefill': async ({ caseId }) => fixes.prefill(caseId),
    'fix.generate': fixes.generate,
    'fix.list': async ({ caseId }) => fixes.list(caseId),
    'fix.delete': async ({ id }) => fixes.remove(id),
    'report.export': reports.exportReport
  }
  return { handlers, caseFindings, verify, fixes, reports }
}
