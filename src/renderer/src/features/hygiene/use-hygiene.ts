import { useCallback, useEffect, useRef, useState } from 'react'
import type { Input, Output } from '@shared/api'
import { emptySummary, type IngestSummary } from '@shared/contract/hygiene'
import { ApiError, call, onEvent } from '../../api/transport'
import { useApi } from '../../api/query'

/**
 * All of the Sending health view's data access lives in these hooks (TanStack Query, keyed by method and input).
 * After an ingest, a release or a rule change the view invalidates the `hygiene.` queries so the lists reload.
 */
export function useHygieneData() {
  const stats = useApi('hygiene.stats', {})
  const sources = useApi('hygiene.sources', {})
  return { stats, sources }
}

export function useSuppressions(filter: Input<'hygiene.suppressions'>) {
  return useApi('hygiene.suppressions', filter)
}

export interface UiError {
  code: string
  params: Record<string, string | number>
  message: string
}
const toUiError = (e: unknown): UiError =>
  e instanceof ApiError
    ? { code: e.code, params: e.params ?? {}, message: e.message }
    : { code: 'generic', params: { message: (e as Error).message }, message: (e as Error).message }

type Summary = IngestSummary & { sourceId?: number }

/** One ingest at a time, with progress events and cancel; a cancelled run keeps what it read. */
export function useIngest(onDone: () => void) {
  const [running, setRunning] = useState(false)
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  const [summary, setSummary] = useState<Summary | null>(null)
  const [error, setError] = useState<UiError | null>(null)
  const task = useRef<string | null>(null)
  const stop = useRef(false)

  useEffect(
    () =>
      onEvent((name, p) => {
        if (name !== 'progress') return
        const payload = p as { taskId: string; done: number; total: number }
        if (payload.taskId === task.current) setProgress({ done: payload.done, total: payload.total })
      }),
    []
  )

  const start = () => {
    const id = `hy-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
    task.current = id
    stop.current = false
    setRunning(true)
    setError(null)
    setSummary(null)
    setProgress({ done: 0, total: 0 })
    return id
  }
  const end = () => {
    task.current = null
    setRunning(false)
    setProgress(null)
    onDone()
  }

  /** Files picked in the browser (a folder with webkitdirectory, or files), sent in batches of 50. */
  const ingestFiles = useCallback(
    async (files: File[], label: string) => {
      const taskId = start()
      const acc: Summary = emptySummary()
      try {
        for (let i = 0; i < files.length; i += 50) {
          if (stop.current) {
            acc.cancelled = true
            break
          }
          const batch = await Promise.all(
            files.slice(i, i + 50).map(async (f) => ({
              name: f.webkitRelativePath || f.name,
              size: f.size,
              base64: await toBase64(f)
            }))
          )
          const r = await call('hygiene.ingestFiles', { files: batch, label, taskId })
          for (const k of Object.keys(r) as (keyof Summary)[]) {
            if (typeof r[k as keyof typeof r] === 'number')
              (acc[k] as number) += r[k as keyof typeof r] as number
          }
          acc.errors.push(...r.errors)
          acc.notices.push(...r.notices)
          setProgress({ done: Math.min(i + 50, files.length), total: files.length })
        }
        setSummary(acc)
      } catch (e) {
        setError(toUiError(e))
      } finally {
        end()
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    []
  )

  const ingestImap = useCallback(
    async (input: Omit<Input<'hygiene.ingestImap'>, 'taskId'>) => {
      const taskId = start()
      try {
        setSummary(await call('hygiene.ingestImap', { ...input, taskId }))
      } catch (e) {
        setError(toUiError(e))
      } finally {
        end()
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    []
  )

  const cancel = useCallback(() => {
    stop.current = true
    if (task.current) void call('hygiene.cancel', { taskId: task.current })
  }, [])

  return { running, progress, summary, error, ingestFiles, ingestImap, cancel }
}

async function toBase64(f: File): Promise<string> {
  const buf = new Uint8Array(await f.arrayBuffer())
  let s = ''
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000))
  return btoa(s)
}

export async function releaseAddress(email: string, note: string) {
  return call('hygiene.release', { email, note })
}
export async function exportList(format: 'csv' | 'json'): Promise<Output<'hygiene.export'>> {
  return call('hygiene.export', { format })
}
export async function saveVolumes(csv: string) {
  return call('hygiene.setVolumes', { csv })
}
export async function openClusterCase(key: string) {
  return call('hygiene.openCase', { key })
}
export function useRules() {
  return useApi('hygiene.rules', {})
}
export async function saveRules(rules: Input<'hygiene.setRules'>) {
  return call('hygiene.setRules', rules)
}
