import type { Handlers } from '../../shared/api'
import type { workflowApi } from '../../shared/contract/workflow'
import type { Repos, ServiceContext } from './context'

/** Use-cases for the workflow methods of the contract. */
export function createWorkflowHandlers(_ctx: ServiceContext, _repos: Repos): Pick<Handlers, keyof typeof workflowApi> {
  return {}
}
