/**
 * Background re-checks of listed targets with open delisting requests, while the app runs.
 *
 * Every `intervalMinutes()` (Settings → recheckMinutes, default 30, read again after each round so a change
 * applies without a restart) it calls `run` (the service's delist.checkNow). Rounds never overlap: a round that
 * is still running when the timer fires is not doubled, because two rounds at once would count one DNS state
 * twice towards the "clean twice in a row" rule (core/blocklist/delisting.ts).
 *
 * The timer is injected so tests drive it with a fake clock; the default uses node's timers, unref'd so a
 * pending re-check never keeps a CLI or test process alive.
 */

export interface SchedulerTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const nodeTimers: SchedulerTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout)
}

export interface RecheckSchedulerOptions {
  run: () => Promise<unknown>
  intervalMinutes: () => number
  timers?: SchedulerTimers
  /** A failed round is reported and the schedule goes on (a resolver outage must not stop re-checks for good). */
  onError?: (e: unknown) => void
}

export interface RecheckScheduler {
  start(): void
  stop(): void
  /** Runs one round now (or joins the running one) and reschedules the next a full interval later. */
  tick(): Promise<void>
  readonly running: boolean
  /** Rounds completed (successfully or not) since start. */
  readonly rounds: number
}

export function createRecheckScheduler(opts: RecheckSchedulerOptions): RecheckScheduler {
  const timers = opts.timers ?? nodeTimers
  let handle: unknown
  let started = false
  let current: Promise<void> | undefined
  let rounds = 0

  const schedule = () => {
    if (!started) return
    if (handle !== undefined) timers.clearTimeout(handle)
    const minutes = Math.max(1, opts.intervalMinutes())
    handle = timers.setTimeout(() => {
      handle = undefined
      void tick()
    }, minutes * 60_000)
  }

  function tick(): Promise<void> {
    if (current) return current
    current = (async () => {
      try {
        await opts.run()
      } catch (e) {
        opts.onError?.(e)
      } finally {
        rounds++
        current = undefined
        schedule()
      }
    })()
    return current
  }

  return {
    start() {
      if (started) return
      started = true
      schedule()
    },
    stop() {
      started = false
      if (handle !== undefined) timers.clearTimeout(handle)
      handle = undefined
    },
    tick,
    get running() {
      return current !== undefined
    },
    get rounds() {
      return rounds
    }
  }
}
