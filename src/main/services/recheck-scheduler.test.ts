import { describe, expect, it } from 'vitest'
import { createRecheckScheduler, type SchedulerTimers } from './recheck-scheduler'

/** A hand-driven clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0
  let seq = 0
  const pending = new Map<number, { at: number; fn: () => void }>()
  const timers: SchedulerTimers = {
    setTimeout(fn, ms) {
      const id = ++seq
      pending.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout: (h) => void pending.delete(h as number)
  }
  return {
    timers,
    pending,
    /** Advance the clock and fire what is due, in order. */
    advance(ms: number) {
      now += ms
      for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now) {
          pending.delete(id)
          t.fn()
        }
      }
    }
  }
}

const flush = () => new Promise((r) => setImmediate(r))

describe('recheck scheduler', () => {
  it('runs every interval, reading the interval again after each round', async () => {
    const clock = fakeTimers()
    let minutes = 30
    let runs = 0
    const s = createRecheckScheduler({
      run: async () => void runs++,
      intervalMinutes: () => minutes,
      timers: clock.timers
    })
    s.start()
    clock.advance(29 * 60_000)
    await flush()
    expect(runs).toBe(0)
    clock.advance(60_000)
    await flush()
    expect(runs).toBe(1)
    minutes = 5
    clock.advance(30 * 60_000) // the next round was already scheduled 30 min out
    await flush()
    expect(runs).toBe(2)
    clock.advance(5 * 60_000)
    await flush()
    expect(runs).toBe(3)
    expect(s.rounds).toBe(3)
    s.stop()
    clock.advance(60 * 60_000)
    await flush()
    expect(runs).toBe(3)
    expect(clock.pending.size).toBe(0)
  })

  it('never overlaps rounds, and "check now" restarts the interval', async () => {
    const clock = fakeTimers()
    let release!: () => void
    let runs = 0
    const s = createRecheckScheduler({
      run: () => {
        runs++
        return new Promise<void>((r) => (release = r))
      },
      intervalMinutes: () => 10,
      timers: clock.timers
    })
    s.start()
    const a = s.tick()
    const b = s.tick()
    expect(a).toBe(b)
    expect(s.running).toBe(true)
    clock.advance(10 * 60_000) // the timer fires while the round is still running: no second round
    expect(runs).toBe(1)
    release()
    await a
    expect(s.running).toBe(false)
    expect(clock.pending.size).toBe(1)
  })

  it('keeps going after a failed round', async () => {
    const clock = fakeTimers()
    const errors: unknown[] = []
    let runs = 0
    const s = createRecheckScheduler({
      run: async () => {
        runs++
        throw new Error('resolver down')
      },
      intervalMinutes: () => 1,
      timers: clock.timers,
      onError: (e) => errors.push(e)
    })
    s.start()
    clock.advance(60_000)
    await flush()
    clock.advance(60_000)
    await flush()
    expect(runs).toBe(2)
    expect(errors).toHaveLength(2)
  })
})
