import { z } from 'zod'

/** Events pushed from the backend to the UI (webContents.send in Electron, SSE in the web host). */
export const events = {
  progress: z.object({
    taskId: z.string(),
    label: z.string(),
    done: z.number().int(),
    total: z.number().int()
  }),
  'case:changed': z.object({ caseId: z.number().int() }),
  toast: z.object({
    level: z.enum(['info', 'success', 'warning', 'error']),
    title: z.string(),
    message: z.string()
  }),
  /** A watch run finished (issue 14): the Watch view reloads its targets, history and alerts. */
  'watch:changed': z.object({ alerts: z.number().int() })
} as const

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>
export type EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => void
