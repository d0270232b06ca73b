import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventPayload } from '@shared/events'
import type { WatchRunResult } from '@shared/contract/watch'
import { call, onEvent } from '../../api/transport'
import { useAsync } from '../../hooks'

/** The Watch view's data access: targets, one target's history, alerts, and runs with progress and cancel. */

export function useWatchTargets(tick: number) {
  return useAsync(() => call('watch.list', {}), [tick])
}

export function useWatchHistory(target: string | null, tick: number) {
  return useAsync(() => (target ? call('watch.history', { target }) : Promise.resolve(null)), [target, tick])
}

export function useWatchAlerts(target: string | null, tick: number) {
  return useAsync(() => call('watch.alerts', target ? { target } : {}), [target, tick])
}

/** Reloads when a run finishes, here or in the background schedule. */
export function useWatchChanged(onChange: () => void) {
  const cb = useRef(onChange)
  cb.current = onChange
  useEffect(
    () =>
      onEvent((name) => {
        if (name === 'watch:changed') cb.current()
      }),
    []
  )
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
