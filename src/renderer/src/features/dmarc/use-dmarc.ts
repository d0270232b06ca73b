import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventPayload } from '@shared/events'
import type { IngestResult, ReportProblem } from '@shared/schemas/dmarc'
import type { FixPrefill } from '@shared/schemas/workflow'
import { call, onEvent } from '../../api/transport'
import { useApi } from '../../api/query'
import { readDroppedFiles } from '../diagnose/read-files'

/**
 * The DMARC view's data access, in one place: domains with reports, the per-domain summary and readiness, source
 * marks, and the ingest of dropped files with progress and cancel (issue 13).
 */

export function useDmarcDomains() {
  return useApi('dmarc.domains', {})
}

export function useDmarcSummary(domain: string | null, since: string | null) {
  return useApi('dmarc.summary', { domain: domain ?? '', ...(since ? { since } : {}) }, { enabled: !!domain })
}

export function useReadiness(domain: string | null, target: 'quarantine' | 'reject', days: number) {
  return useApi('dmarc.readiness', { domain: domain ?? '', target, days }, { enabled: !!domain })
}

export const markSource = (domain: string, source: string, legitimate: boolean | null) =>
  call('dmarc.markSource', { domain, source, legitimate })

const newTask = () => `dmarc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** Reads dropped files in the renderer, sends them in one ingest call, and follows its progress events. */
export function useIngest(onDone: (r: IngestResult) => void) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  const [result, setResult] = useState<IngestResult | null>(null)
  const [errors, setErrors] = useState<ReportProblem[]>([])
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

  const ingest = useCallback(async (files: File[]) => {
    if (!files.length) return
    const taskId = newTask()
    task.current = taskId
    setResult(null)
    setErrors([])
    setProgress({ done: 0, total: files.length })
    try {
      const settings = await call('settings.get', {})
      const { uploads, refused } = await readDroppedFiles(files, settings.maxFileMb)
      const tooLarge: ReportProblem[] = refused.map((r) => ({
        file: r.file,
        code: 'dmarc.fileTooLarge',
        params: { file: r.file, limitMb: settings.maxFileMb },
        error: r.message
      }))
      if (!uploads.length) {
        setErrors(tooLarge)
        return
      }
      const res = await call('dmarc.ingest', { files: uploads, taskId })
      setResult(res)
      setErrors([...tooLarge, ...res.errors])
      done.current(res)
    } catch (e) {
      const err = e as Error & { code?: string }
      setErrors([
        {
          file: files.map((f) => f.name).join(', '),
          code: err.code === 'CANCELLED' ? 'dmarc.cancelled' : 'dmarc.failed',
          params: { detail: err.message },
          error: err.message
        }
      ])
    } finally {
      if (task.current === taskId) {
        task.current = null
        setProgress(null)
      }
    }
  }, [])

  const cancel = useCallback(() => {
    if (task.current) void call('dmarc.cancel', { taskId: task.current })
  }, [])

  return { ingest, cancel, progress, result, errors }
}

/**
 * The Fix step's generators prefilled from the domain's DMARC reports: the services and own IPs of the sources
 * marked legitimate go into the SPF builder, and a staged pct rollout into the DMARC planner when legitimate
 * mail still fails somewhere. Without reports (or on error) the prefill is returned unchanged.
 */
export function usePrefillFromReports(prefill: FixPrefill | undefined) {
  const domain = prefill?.domain ?? null
  const inputs = useApi('dmarc.fixInputs', { domain: domain ?? '' }, { enabled: !!domain })
  // Without reports (or on error) the prefill stands: only wait while a domain's inputs are loading.
  if (!prefill || (domain && inputs.isPending && !inputs.error)) return undefined
  const r = inputs.error ? null : inputs.data
  if (!r || (!r.services.length && !r.ips.length && !r.verdict)) return prefill
  const services = r.services.filter((id) => !prefill.services.includes(id))
  const ips = r.ips.filter((ip) => !prefill.ips.includes(ip))
  return {
    ...prefill,
    services: [...prefill.services, ...services],
    ips: [...prefill.ips, ...ips],
    stagedPct: r.stagedPct,
    fromReports: { services, ips }
  }
}
