import type { Handlers } from '../../shared/api'
import type { blocklistApi } from '../../shared/contract/blocklist'
import type { Repos, ServiceContext } from './context'

/** Use-cases for the blocklist methods of the contract. */
export function createBlocklistHandlers(_ctx: ServiceContext, _repos: Repos): Pick<Handlers, keyof typeof blocklistApi> {
  return {}
}
