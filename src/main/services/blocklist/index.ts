import type { Handlers } from '../../../shared/api'
import type { blocklistApi } from '../../../shared/contract/blocklist'
import type { Repos, ServiceContext } from '../context'
import { createDelistHandlers } from './delist'
import { createBlocklistScan, type BlocklistServiceDeps } from './scan'

export type { BlocklistServiceDeps } from './scan'

/**
 * The blocklist and delisting methods of the contract: the sweep side (./scan.ts) and the delisting tracker
 * (./delist.ts). Each part is built once here; the tracker re-checks through the scan's runSweep, so scans and
 * re-checks share one RFC 5782 §5 self-test cache and one DNS client factory.
 */

type BlocklistHandlers = Pick<Handlers, keyof typeof blocklistApi>

export function createBlocklistHandlers(
  ctx: ServiceContext,
  repos: Repos,
  deps: BlocklistServiceDeps = {}
): BlocklistHandlers {
  const scan = createBlocklistScan(ctx, repos, deps)
  const delist = createDelistHandlers(ctx, repos, { runSweep: scan.runSweep, mustCase: scan.mustCase })
  return { ...scan.handlers, ...delist }
}
