import type { Handlers } from '../../shared/api'
import type { diagnoseApi } from '../../shared/contract/diagnose'
import type { Repos, ServiceContext } from './context'

/** Use-cases for the diagnose methods of the contract. */
export function createDiagnoseHandlers(_ctx: ServiceContext, _repos: Repos): Pick<Handlers, keyof typeof diagnoseApi> {
  return {}
}
