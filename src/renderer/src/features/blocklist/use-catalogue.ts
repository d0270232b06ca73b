import { useMemo } from 'react'
import type { CatalogueView } from '@shared/contract/blocklist'
import type { BlocklistEntry } from '@shared/schemas/blocklist'
import { call } from '../../api/transport'
import { useAsync } from '../../hooks'

let cached: Promise<CatalogueView> | undefined

/** The catalogue ships with the app and never changes while it runs: load it once. */
export function useCatalogue() {
  const state = useAsync(() => {
    cached ??= call('blocklist.catalogue', {}).catch((e: unknown) => {
      cached = undefined
      throw e
    })
    return cached
  }, [])
  const index = useMemo(
    () => new Map<string, BlocklistEntry>((state.data?.lists ?? []).map((l) => [l.id, l])),
    [state.data]
  )
  return { catalogue: state.data, index, error: state.error }
}
