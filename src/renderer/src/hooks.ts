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
