import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventPayload } from '@shared/events'
import type { DomainReport } from '@shared/schemas/domain'
import { onEvent } from '../../api/transport'
import { newTaskId } from './domain-ui'

export interface CheckProgress {
  done: number
  total: number
  label: string
}

/**
 * Runs one domain check at a time and follows its `progress` events (matched by the task id we pass in), so the
 * view can draw a progress bar per mechanism. A failed run keeps the previous report on screen.
 */
export function useDomainCheck(run: (taskId: string) => Promise<DomainReport>) {
  const [running, setRunning] = useState(false)
  const [progress, setProgress] = useState<CheckProgress | null>(null)
  const [error, setError] = useState<string | null>(null)
  const task = useRef<string | null>(null)
  const runRef = useRef(run)
  runRef.current = run

  useEffect(
    () =>
      onEvent((name, payload) => {
        if (name !== 'progress') return
        const p = payload as EventPayload<'progress'>
        if (p.taskId === task.current) setProgress({ done: p.done, total: p.total, label: p.label })
      }),
    []
  )

  const start = useCallback(async (): Promise<DomainReport | null> => {
    const taskId = newTaskId()
    task.current = taskId
    setRunning(true)
    setError(null)
    setProgress({ done: 0, total: 8, label: '' })
    try {
      return await runRef.current(taskId)
    } catch (e) {
      setError((e as Error).message)
      return null
    } finally {
      if (task.current === taskId) {
        task.current = null
        setRunning(false)
        setProgress(null)
      }
    }
  }, [])

  return { start, running, progress, error, clearError: () => setError(null) }
}
