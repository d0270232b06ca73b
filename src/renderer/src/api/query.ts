import { QueryClient, useQuery, useQueryClient, type Query, type UseQueryResult } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Input, Method, Output } from '@shared/api'
import { call, onEvent } from './transport'

/**
 * The renderer's data layer: TanStack Query over the one contract. A query's key is its method and input
 * (`['cases.get', {id: 3}]`), so two panels asking the same thing share one request and one cache entry, and the
 * backend's events invalidate exactly the queries they concern (see useBackendInvalidation).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The backend is local: a failed call is a real error to show, not a flaky network to retry.
        retry: false,
        // Freshness comes from the backend's events, not from window focus.
        refetchOnWindowFocus: false
      }
    }
  })
}

export const queryClient = createQueryClient()

export function apiKey<M extends Method>(method: M, input: Input<M>): readonly [M, Input<M>] {
  return [method, input] as const
}

/** Loads one contract method; the key is the method and its input. */
export function useApi<M extends Method>(
  method: M,
  input: Input<M>,
  options: { enabled?: boolean; staleTime?: number } = {}
): UseQueryResult<Output<M>, Error> {
  return useQuery({
    queryKey: apiKey(method, input),
    queryFn: () => call(method, input),
    ...options
  })
}

/** Methods whose answer spans every case: any case change may change them. */
const ACROSS_CASES = new Set<string>(['cases.list', 'delist.list'])

/** Does this query read data of `caseId`? Inputs name a case as `caseId`, or `id` for the case itself. */
export function concernsCase(query: Pick<Query, 'queryKey'>, caseId: number): boolean {
  const [method, input] = query.queryKey as [string, Record<string, unknown> | undefined]
  if (ACROSS_CASES.has(method)) return true
  if (!input || typeof input !== 'object') return false
  if (input.caseId === caseId) return true
  return method === 'cases.get' && input.id === caseId
}

/** Refetches what a case's change touches (after the UI's own call, before or without the backend's event). */
export function invalidateCase(client: QueryClient, caseId: number): Promise<void> {
  return client.invalidateQueries({ predicate: (q) => concernsCase(q, caseId) })
}

/**
 * Subscribes once to the backend's event stream (SSE in the browser, IPC in Electron) and invalidates the queries
 * an event concerns: `case:changed` → every query of that case and the lists across cases; `watch:changed` →
 * the watchlist's queries.
 */
export function useBackendInvalidation(): void {
  const client = useQueryClient()
  useEffect(
    () =>
      onEvent((name, payload) => {
        if (name === 'case:changed') void invalidateCase(client, (payload as { caseId: number }).caseId)
        // A watch run (here or the background schedule) changes targets, history and alerts.
        if (name === 'watch:changed')
          void client.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('watch.') })
      }),
    [client]
  )
}

/** The query client's `invalidateCase`, bound: for panels that changed a case and want fresh data now. */
export function useInvalidateCase(): (caseId: number) => Promise<void> {
  const client = useQueryClient()
  return (caseId) => invalidateCase(client, caseId)
}

/** Refetches every query of the methods starting with `prefix` ("hygiene.", "dmarc."), after a change there. */
export function useInvalidateMethods(): (prefix: string) => Promise<void> {
  const client = useQueryClient()
  return (prefix) => client.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith(prefix) })
}
