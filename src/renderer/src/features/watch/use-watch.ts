import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventPayload } from '@shared/events'
import type { WatchRunResult } from '@shared/contract/watch'
import { useApi, useInvalidateMethods } from '../../api/query'
import { call, onEvent } from '../../api/transport'

/**
 * The Watch view's data access: targets, one target's history, alerts (through the query layer, refreshed on
 * `watch:changed`, see api/query.ts), and runs with progress and cancel.
 */

export const useWatchTargets = () => useApi('watch.list', {})

export const useWatchHistory = (target: string | null) =>
  useApi('watch.history', { target: target ?? '' }, { enabled: !!target })

export const useWatchAlerts = (target: string | null) => useApi('watch.alerts', target ? { target } : {})

/** After the view changed the watchlist itself (add, remove, a run it started). */
export function useReloadWatch(): () => void {
  const invalidate = useInvalidateMethods()
  return () => void invalidate('watch.')
}

const newTask = () => `watch-ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export function useWatchRun(onDone: (r: WatchRunResult) => void) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  const task = useRef<string | null>(null)
  const done = useRef(onDone)
  done.current = onDone
  useEffect(
    () =>
      onEvent((name, payload) => {
        if (name !== 'progress') return
        const p = payload as EventPayload<'progress'>
        if (p.taskId === task.current) setProgress({ done: p.done, total: p.total })
      }),
    []
  )
  const run = useCallback(async () => {
    const taskId = newTask()
    task.current = taskId
    setProgress({ done: 0, total: 0 })
    try {
      done.current(await call('watch.run', { taskId }))
    } finally {
      task.current = null
      setProgress(null)
    }
  }, [])
  const cancel = useCallback(() => {
    if (task.current) void call('watch.cancel', { taskId: task.current })
  }, [])
  return { run, cancel, progress }
}
