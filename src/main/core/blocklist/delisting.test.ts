import { describe, expect, it } from 'vitest'
import { DelistRequest } from '../../../shared/schemas/blocklist'
import { getList } from './catalogue'
import { makeList } from './__fixtures__/fixtures'
import {
  applyRecheck,
  canTransition,
  createDelistRequest,
  InvalidTransitionError,
  isOverdue,
  transition
} from './delisting'

/** Injected clock: starts at a fixed instant and only moves when told to. */
function clock(start = '2026-03-01T10:00:00.000Z') {
  let t = Date.parse(start)
  return {
    now: () => new Date(t),
    advanceHours: (h: number) => {
      t += h * 3_600_000
    }
  }
}

const listed = [{ status: 'listed' as const, polarity: 'block' as const, codes: ['127.0.0.2'] }]
const clean = [{ status: 'clean' as const, codes: [] }]

describe('delisting state machine', () => {
  const list = makeList('bl', 'bl.example', {
    removal: { method: 'self-service', url: 'https://bl.example/rm', expectedDelayHours: 24 }
  })

  it('walks listed → requested → pending → delisted with a timeline entry per change', () => {
    const c = clock()
    let r = createDelistRequest({ id: 'r1', list, target: '192.0.2.1', now: c.now() })
    c.advanceHours(1)
    r = transition(r, { type: 'request', reference: 'ticket 42' }, c.now())
    c.advanceHours(2)
    r = transition(r, { type: 'acknowledge' }, c.now())
    c.advanceHours(3)
    r = applyRecheck(r, clean, c.now())
    expect(r.status).toBe('pending')
    c.advanceHours(3)
    r = applyRecheck(r, clean, c.now())
    expect(r.status).toBe('delisted')
    expect(r.reference).toBe('ticket 42')
    expect(r.timeline.map((e) => [e.from, e.to])).toEqual([
      ['listed', 'listed'],
      ['listed', 'requested'],
      ['requested', 'pending'],
      ['pending', 'pending'],
      ['pending', 'delisted']
    ])
    expect(r.timeline[1].at).toBe('2026-03-01T11:00:00.000Z')
    expect(r.timeline[4].at).toBe('2026-03-01T19:00:00.000Z')
    expect(DelistRequest.safeParse(r).success).toBe(true)
  })

  it('needs two clean re-checks in a row: a listed answer in between resets the streak', () => {
    const c = clock()
    let r = transition(
      createDelistRequest({ id: 'r', list, target: '192.0.2.1', now: c.now() }),
      { type: 'request' },
      c.now()
    )
    r = applyRecheck(r, clean, c.now())
    r = applyRecheck(r, listed, c.now())
    expect(r.cleanStreak).toBe(0)
    r = applyRecheck(r, clean, c.now())
    expect(r.status).toBe('requested')
    r = applyRecheck(r, clean, c.now())
    expect(r.status).toBe('delisted')
  })

  it('requires every check of the list to be clean; errors and refusals are inconclusive', () => {
    const c = clock()
    let r = transition(
      createDelistRequest({ id: 'r', list, target: '192.0.2.1', now: c.now() }),
      { type: 'request' },
      c.now()
    )
    r = applyRecheck(
      r,
      [
        { status: 'clean', codes: [] },
        { status: 'error', codes: [] }
      ],
      c.now()
    )
    r = applyRecheck(r, [{ status: 'refused', codes: ['127.255.255.254'] }], c.now())
    expect(r.cleanStreak).toBe(0)
    expect(r.status).toBe('requested')
    expect(r.timeline.at(-1)?.note).toMatch(/inconclusive/)
  })

  it('flags a request as stale when still listed after expectedDelayHours', () => {
    const c = clock()
    let r = transition(
      createDelistRequest({ id: 'r', list, target: '192.0.2.1', now: c.now() }),
      { type: 'request' },
      c.now()
    )
    c.advanceHours(23)
    r = applyRecheck(r, listed, c.now())
    expect(r.stale).toBe(false)
    expect(isOverdue(r, c.now())).toBe(false)
    c.advanceHours(2)
    r = applyRecheck(r, listed, c.now())
    expect(r.stale).toBe(true)
    expect(isOverdue(r, c.now())).toBe(true)
    expect(r.timeline.at(-1)?.note).toMatch(/25 h after the request/)
  })

  it('ends an unrequested automatic listing as expired, and relists when it comes back', () => {
    const c = clock()
    const uce = getList('uceprotect-l1')
    if (!uce) throw new Error('catalogue lacks uceprotect-l1')
    let r = createDelistRequest({ id: 'u', list: uce, target: '192.0.2.1', now: c.now() })
    expect(r.automatic).toBe(true)
    expect(r.expectedDelayHours).toBe(168)
    r = applyRecheck(r, clean, c.now())
    r = applyRecheck(r, clean, c.now())
    expect(r.status).toBe('expired')
    r = applyRecheck(r, listed, c.now())
    expect(r.status).toBe('listed')
  })

  it('rejects invalid transitions', () => {
    const c = clock()
    const r = createDelistRequest({ id: 'r', list, target: '192.0.2.1', now: c.now() })
    expect(() => transition(r, { type: 'acknowledge' }, c.now())).toThrow(InvalidTransitionError)
    expect(() => transition(r, { type: 'confirm' }, c.now())).toThrow(/cannot confirm/)
    expect(canTransition('delisted', 'request')).toBe(false)
    expect(canTransition('rejected', 'retry')).toBe(true)
    const rejected = transition(
      transition(r, { type: 'request' }, c.now()),
      { type: 'reject', note: 'no fix shown' },
      c.now()
    )
    expect(transition(rejected, { type: 'retry' }, c.now()).status).toBe('requested')
  })

  it('never re-checks provider blocks over DNS; they change only by hand', () => {
    const c = clock()
    const ms = getList('microsoft')
    if (!ms) throw new Error('catalogue lacks microsoft')
    let r = createDelistRequest({ id: 'm', list: ms, target: '192.0.2.1', now: c.now() })
    expect(r.manual).toBe(true)
    expect(applyRecheck(r, clean, c.now())).toBe(r)
    r = transition(r, { type: 'request' }, c.now())
    r = transition(r, { type: 'confirm', note: 'Microsoft support: mitigated' }, c.now())
    expect(r.status).toBe('delisted')
  })
})
