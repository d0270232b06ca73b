import type { Input, Method, Output, Transport } from '@shared/api'
import type { EventName, EventPayload } from '@shared/events'
import type { Result } from '@shared/result'

/**
 * The UI talks to the backend only through a `Transport`: Electron IPC through the preload bridge, or HTTP to the
 * loopback web host. Both reach the same dispatcher, so the UI behaves the same in the app and in a browser.
 */
type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void

function readToken(): string {
  const meta = document.querySelector('meta[name="delivery-desk-token"]')?.getAttribute('content')
  if (meta) return meta
  return new URLSearchParams(location.search).get('token') ?? ''
}

export function httpTransport(base = ''): { invoke: Transport; on: (l: Listener) => () => void } {
  const token = readToken()
  const invoke: Transport = async (method, input) => {
    try {
      const res = await fetch(`${base}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {})
      })
      const body = (await res.json()) as Result<never>
      return body
    } catch (e) {
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `The Delivery Desk backend is not reachable (${(e as Error).message}).`
        }
      }
    }
  }
  // One EventSource for the whole page, shared by every subscriber: browsers allow only six HTTP/1.1
  // connections per host, and one stream per component would starve the API calls.
  const listeners = new Set<Listener>()
  let es: EventSource | null = null
  const names: EventName[] = ['progress', 'case:changed', 'toast']
  const on = (listener: Listener) => {
    listeners.add(listener)
    if (!es) {
      es = new EventSource(`${base}/events?token=${encodeURIComponent(token)}`)
      for (const n of names) {
        es.addEventListener(n, (ev: MessageEvent) => {
          const payload = JSON.parse(ev.data as string)
          for (const l of [...listeners]) l(n, payload)
        })
      }
    }
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0 && es) {
        es.close()
        es = null
      }
    }
  }
  return { invoke, on }
}

const bridge = window.deliveryDesk ?? httpTransport()
export const transport: Transport = bridge.invoke
export const onEvent = bridge.on
export const isElectron = !!window.deliveryDesk

export class ApiError extends Error {
  code: string
  /** Parameters of `code` for a translated message (TEXT IS DATA), when the backend gives them. */
  params?: Record<string, string | number>
  constructor(code: string, message: string, params?: Record<string, string | number>) {
    super(message)
    this.code = code
    this.params = params
  }
}

/** Calls a method and throws `ApiError` on a failed result: handy with react state/effects. */
export async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const r = await transport(method, input)
  if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.params)
  return r.data
}
