/**
 * A bounded work queue: `concurrency` workers pull the next task from one shared iterator as soon as they are
 * free, so a slow zone never holds back a whole "chunk" the way Promise.all over slices would. Nothing new starts
 * after the signal aborts; the returned promise then rejects with the abort reason without waiting for the
 * tasks already in flight (their answers are simply dropped).
 */
export async function runQueue<T>(
  items: Iterable<T>,
  worker: (item: T) => Promise<void>,
  opts: { concurrency: number; signal?: AbortSignal }
): Promise<void> {
  const { signal } = opts
  const concurrency = Math.max(1, Math.floor(opts.concurrency))
  signal?.throwIfAborted()
  const it = items[Symbol.iterator]()
  let failed: unknown
  let hasFailed = false

  const runWorker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted || hasFailed) return
      const next = it.next()
      if (next.done) return
      try {
        await worker(next.value)
      } catch (err) {
        if (!hasFailed) {
          hasFailed = true
          failed = err
        }
        return
      }
    }
  }

  const workers = Promise.all(Array.from({ length: concurrency }, runWorker))
  if (!signal) {
    await workers
  } else {
    let onAbort: (() => void) | undefined
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError'))
      signal.addEventListener('abort', onAbort, { once: true })
    })
    try {
      await Promise.race([workers, aborted])
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort)
    }
    signal.throwIfAborted()
  }
  if (hasFailed) throw failed
}

/** Resolve after `ms`, or reject early when the signal aborts. */
export function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  onTimeout: () => T,
  signal?: AbortSignal
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false
    const done = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
      fn()
    }
    const abort = (): void => done(() => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError')))
    const timer = setTimeout(() => done(() => resolve(onTimeout())), ms)
    signal?.addEventListener('abort', abort, { once: true })
    p.then(
      (v) => done(() => resolve(v)),
      (e: unknown) => done(() => reject(e))
    )
  })
}
