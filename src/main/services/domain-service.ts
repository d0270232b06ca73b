import type { Handlers } from '../../shared/api'
import type { domainApi } from '../../shared/contract/domain'
import type { Repos, ServiceContext } from './context'

/** Use-cases for the domain methods of the contract. */
export function createDomainHandlers(_ctx: ServiceContext, _repos: Repos): Pick<Handlers, keyof typeof domainApi> {
  return {}
}
