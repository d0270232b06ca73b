import { useCallback, useEffect, useState } from 'react'

/** Minimal hash routing: the app has a handful of views and must also work from file:// in Electron. */
export function useHashRoute(): [string[], (path: string) => void] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean)
  const [parts, setParts] = useState<string[]>(read)
  useEffect(() => {
    const on = () => setParts(read())
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  const go = useCallback((path: string) => {
    location.hash = '#/' + path.replace(/^\//, '')
  }, [])
  return [parts, go]
}

/** Loads data with a reload function; errors are kept for display rather than thrown. */
export function useAsync<T>(
  fn: () => Promise<T>,
  deps: unknown[]
): {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload: () => void
} {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let alive = true
    setState((s) => ({ ...s, loading: true }))
    fn().then(
      (data) => alive && setState({ data, loading: false }),
      (error: Error) => alive && setState({ error, loading: false })
    )
    return () => {
      alive = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}
