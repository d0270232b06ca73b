import { useCallback, useEffect, useRef, useState } from 'react'
import type { Input } from '@shared/api'
import type { ScanResult } from '@shared/contract/blocklist'
import { ApiError, call, onEvent } from '../../api/transport'

export interface ScanProgress {
  done: number
  total: number
}

/**
 * One blocklist scan at a time: runs `blocklist.scan` with a fresh task id, follows its `progress` events
 * (N of M queries) and cancels it through `blocklist.cancel`. A cancelled scan is not an error.
 */
export function useScan(initial: ScanResult | null = null) {
  const [running, setRunning] = useState(false)
  const [progress, setProgress] = useState<ScanProgress | null>(null)
  const [result, setResult] = useState<ScanResult | null>(initial)
  const [error, setError] = useState<string | null>(null)
  const [cancelled, setCancelled] = useState(false)
  const task = useRef<string | null>(null)

  useEffect(
    () =>
      onEvent((name, p) => {
        if (name !== 'progress') return
        const payload = p as { taskId: string; done: number; total: number }
        if (payload.taskId === task.current) setProgress({ done: payload.done, total: payload.total })
      }),
    []
  )

  const run = useCallback(
    async (input: Omit<Input<'blocklist.scan'>, 'taskId'>): Promise<ScanResult | null> => {
      const taskId = `bl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
      task.current = taskId
      setRunning(true)
      setError(null)
      setCancelled(false)
      setProgress({ done: 0, total: 0 })
      try {
        const r = await call('blocklist.scan', { ...input, taskId })
        setResult(r)
        return r
      } catch (e) {
        if (e instanceof ApiError && e.code === 'CANCELLED') setCancelled(true)
        else setError((e as Error).message)
        return null
      } finally {
        task.current = null
        setRunning(false)
        setProgress(null)
      }
    },
    []
  )

  const cancel = useCallback(() => {
    if (task.current) void call('blocklist.cancel', { taskId: task.current })
  }, [])

  return { running, progress, result, setResult, error, cancelled, run, cancel }
}
