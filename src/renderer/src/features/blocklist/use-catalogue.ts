import { useMemo } from 'react'
import type { BlocklistEntry } from '@shared/schemas/blocklist'
import { useApi } from '../../api/query'

/** The catalogue ships with the app and never changes while it runs: load it once and keep it. */
export function useCatalogue() {
  const state = useApi('blocklist.catalogue', {}, { staleTime: Infinity })
  const index = useMemo(
    () => new Map<string, BlocklistEntry>((state.data?.lists ?? []).map((l) => [l.id, l])),
    [state.data]
  )
  return { catalogue: state.data, index, error: state.error }
}
