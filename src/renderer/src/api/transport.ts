import type { Input, Method, Output, Transport } from '@shared/api'
import type { EventName, EventPayload } from '@shared/events'
import type { Result } from '@shared/result'
import type { Text } from '@shared/text'

/**
 * The UI talks to the backend only through a `Transport`: Electron IPC through the preload bridge, or HTTP to the
 * loopback web host. Both reach the same dispatcher, so the UI behaves the same in the app and in a browser.
 */
type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void

const TOKEN_KEY = 'delivery-desk-token'

/**
 * The web host's per-launch token. The printed URL carries it once; the host hands it over in a meta tag. It is
 * kept in sessionStorage (this tab, this origin and port only) so a reload still works, and removed from the
 * address bar so it does not stay in history or get copied along with the URL.
 */
function readToken(): string {
  const meta = document.querySelector('meta[name="delivery-desk-token"]')?.getAttribute('content')
  if (meta) sessionStorage.setItem(TOKEN_KEY, meta)
  const url = new URL(location.href)
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
  }
  return meta ?? sessionStorage.getItem(TOKEN_KEY) ?? ''
}

/**
 * Server-sent events read with fetch, because EventSource cannot send an Authorization header and the host
 * takes the token only there. Frames are `event: NAME` / `data: JSON` blocks ended by a blank line
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation). Reconnects
 * after a drop, as EventSource would.
 */
function streamEvents(
  url: string,
  token: string,
  emit: (name: string, data: string) => void,
  signal: AbortSignal
): void {
  const run = async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal })
    if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`)
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
    let buf = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buf += value.replace(/\r\n?/g, '\n')
      let end: number
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end)
        buf = buf.slice(end + 2)
        let name = 'message'
        const data: string[] = []
        for (const line of frame.split('\n')) {
          if (line.startsWith('event:')) name = line.slice(6).trim()
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
        }
        if (data.length) emit(name, data.join('\n'))
      }
    }
  }
  const loop = () =>
    run()
      .catch(() => undefined)
      .then(() => {
        if (!signal.aborted) setTimeout(loop, 3000)
      })
  loop()
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
  // One event stream for the whole page, shared by every subscriber: browsers allow only six HTTP/1.1
  // connections per host, and one stream per component would starve the API calls.
  const listeners = new Set<Listener>()
  let stream: AbortController | null = null
  const names = new Set<string>(['progress', 'case:changed', 'toast'] satisfies EventName[])
  const on = (listener: Listener) => {
    listeners.add(listener)
    if (!stream) {
      stream = new AbortController()
      streamEvents(
        `${base}/events`,
        token,
        (name, data) => {
          if (!names.has(name)) return
          const payload = JSON.parse(data)
          for (const l of [...listeners]) l(name as EventName, payload)
        },
        stream.signal
      )
    }
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0 && stream) {
        stream.abort()
        stream = null
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
  /** INVALID_INPUT: the fields the input schema refused. */
  issues?: { path: string; message: string }[]
  /** The message as a Text for the reader's language, when the backend gives one. */
  text?: Text
  constructor(
    code: string,
    message: string,
    params?: Record<string, string | number>,
    issues?: { path: string; message: string }[],
    text?: Text
  ) {
    super(message)
    this.code = code
    this.params = params
    this.issues = issues
    this.text = text
  }
}

/** Calls a method and throws `ApiError` on a failed result: handy with react state/effects. */
export async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
  const r = await transport(method, input)
  if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.params, r.error.issues, r.error.text)
  return r.data
}
