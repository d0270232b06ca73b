import { useCallback, useEffect, useRef, useState } from 'react'
import type { PrecheckResult } from '@shared/contract/precheck'
import type { EventPayload } from '@shared/events'
import { call, onEvent } from '../../api/transport'
import { readDroppedFiles } from '../diagnose/read-files'

const newTask = () => `precheck-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export type PrecheckError =
  { key: 'tooLarge'; params: Record<string, string | number> } | { key: 'error'; params: { message: string } }

/** Runs the pre-send check of one dropped file with progress and cancel; keeps the file to check it again. */
export function usePrecheck() {
  const [result, setResult] = useState<PrecheckResult | null>(null)
  const [error, setError] = useState<PrecheckError | null>(null)
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  const task = useRef<string | null>(null)
  const lastFile = useRef<File | null>(null)

  useEffect(
    () =>
      onEvent((name, payload) => {
        if (name !== 'progress') return
        const p = payload as EventPayload<'progress'>
        if (p.taskId === task.current) setProgress({ done: p.done, total: p.total })
      }),
    []
  )

  const run = useCallback(async (file: File | null, ip: string) => {
    if (!file) return
    lastFile.current = file
    const taskId = newTask()
    task.current = taskId
    setError(null)
    setProgress({ done: 0, total: 1 })
    try {
      const settings = await call('settings.get', {})
      const { uploads, refused } = await readDroppedFiles([file], settings.maxFileMb)
      if (!uploads.length) {
        setResult(null)
        setError({
          key: 'tooLarge',
          params: { file: refused[0]?.file ?? file.name, limitMb: settings.maxFileMb }
        })
        return
      }
      const r = await call('precheck.run', {
        file: uploads[0],
        taskId,
        ...(ip.trim() ? { ip: ip.trim() } : {})
      })
      if (task.current === taskId) setResult(r)
    } catch (e) {
      if (task.current === taskId) setError({ key: 'error', params: { message: (e as Error).message } })
    } finally {
      if (task.current === taskId) {
        task.current = null
        setProgress(null)
      }
    }
  }, [])

  const cancel = useCallback(() => {
    if (task.current) void call('precheck.cancel', { taskId: task.current })
  }, [])

  return {
    run,
    rerun: (ip: string) => run(lastFile.current, ip),
    cancel,
    result,
    error,
    progress,
    hasFile: () => !!lastFile.current
  }
}
