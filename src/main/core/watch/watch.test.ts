import { describe, expect, it } from 'vitest'
import type { TargetReport } from '../../../shared/schemas/blocklist'
import {
  BACKOFF_MAX_MS,
  diff,
  emptyObservation,
  isBackingOff,
  nextBackoff,
  observeDmarc,
  observeSweep,
  parseWatchTarget,
  type Observation
} from '.'

const names = { zen: 'Spamhaus ZEN', cop: 'SpamCop', wl: 'DNSWL' }
const kinds = { zen: 'block', cop: 'block', wl: 'allow' }

function report(
  target: string,
  results: [string, 'listed' | 'clean' | 'error' | 'refused', string[]?][]
): TargetReport {
  return {
    target,
    type: 'ip4',
    results: results.map(([list, status, codes]) => ({
      list,
      zone: `${list}.example`,
      query: '',
      kind: kinds[list as keyof typeof kinds] as 'block',
      status,
      codes: codes ?? (status === 'listed' ? ['127.0.0.2'] : []),
      meanings: [],
      ms: 1,
      ...(status === 'error' ? { failure: 'timeout' as const, reason: 'timeout' } : {})
    })),
    summary: {
      listed: 0,
      allowListed: 0,
      clean: 0,
      refused: 0,
      unreliable: 0,
      error: 0,
      skipped: [],
      listedOn: [],
      notes: []
    }
  }
}

const sweep = (r: TargetReport[]): Observation => {
  const o = emptyObservation()
  observeSweep(o, r, names, kinds)
  return o
}

describe('watch targets', () => {
  it('accepts IPs, domains and IPv4 ranges up to /24, expanded', () => {
    expect(parseWatchTarget('192.0.2.7')).toMatchObject({ type: 'ip4', value: '192.0.2.7' })
    expect(parseWatchTarget('Example.COM')).toMatchObject({ type: 'domain', value: 'example.com' })
    const r = parseWatchTarget('198.51.100.77/24')
    expect(r).toMatchObject({ type: 'range', value: '198.51.100.0/24' })
    expect(r.addresses).toHaveLength(256)
    expect(r.addresses.at(-1)).toBe('198.51.100.255')
    expect(parseWatchTarget('198.51.100.8/30').addresses).toEqual([
      '198.51.100.8',
      '198.51.100.9',
      '198.51.100.10',
      '198.51.100.11'
    ])
    expect(() => parseWatchTarget('198.51.100.0/23')).toThrow(/larger than a \/24/)
    expect(() => parseWatchTarget('2001:db8::/64')).toThrow(/IPv6 range/)
    expect(() => parseWatchTarget('not a target')).toThrow(/not an IP address/)
  })
})

describe('watch drift', () => {
  it('raises a listing once, and a delisting only on a clean answer', () => {
    const one = diff(
      '192.0.2.7',
      null,
      sweep([
        report('192.0.2.7', [
          ['zen', 'listed'],
          ['cop', 'clean'],
          ['wl', 'listed']
        ])
      ])
    )
    expect(one.alerts.map((a) => [a.kind, a.subject])).toEqual([['listed', 'zen']])
    expect(one.alerts[0].text).toEqual({
      code: 'watch:alert.listed',
      params: { address: '192.0.2.7', list: 'Spamhaus ZEN', codes: '127.0.0.2' }
    })
    const same = diff(
      '192.0.2.7',
      one.next,
      sweep([
        report('192.0.2.7', [
          ['zen', 'listed'],
          ['cop', 'clean']
        ])
      ])
    )
    expect(same.alerts).toEqual([])
    // zen times out: carried as listed, reported as coverage, no delisting
    const timeout = diff(
      '192.0.2.7',
      same.next,
      sweep([
        report('192.0.2.7', [
          ['zen', 'error'],
          ['cop', 'clean']
        ])
      ])
    )
    expect(timeout.alerts).toEqual([])
    expect(timeout.next.listings['zen|192.0.2.7'].state).toBe('listed')
    expect(timeout.coverage).toEqual([{ target: '192.0.2.7', what: 'zen', reason: 'timeout' }])
    expect(timeout.counts.listed).toBe(1)
    const refused = diff('192.0.2.7', timeout.next, sweep([report('192.0.2.7', [['zen', 'refused']])]))
    expect(refused.alerts).toEqual([])
    const clean = diff('192.0.2.7', refused.next, sweep([report('192.0.2.7', [['zen', 'clean']])]))
    expect(clean.alerts.map((a) => [a.kind, a.subject])).toEqual([['delisted', 'zen']])
  })

  it('a record change needs two known values; the first run is the baseline', () => {
    const obs = (spf: string | null | undefined): Observation => ({
      ...emptyObservation(),
      records: {
        spf: spf === undefined ? { known: false, reason: 'DNS did not answer' } : { known: true, value: spf }
      }
    })
    const base = diff('example.com', null, obs('v=spf1 -all'))
    expect(base.alerts).toEqual([])
    const lost = diff('example.com', base.next, obs(undefined))
    expect(lost.alerts).toEqual([])
    expect(lost.next.records.spf).toBe('v=spf1 -all')
    const changed = diff('example.com', lost.next, obs('v=spf1 mx -all'))
    expect(changed.alerts).toMatchObject([
      { kind: 'record-changed', subject: 'spf', before: 'v=spf1 -all', after: 'v=spf1 mx -all' }
    ])
    expect(changed.alerts[0].text.code).toBe('watch:alert.recordChanged')
    expect(diff('example.com', changed.next, obs(null)).alerts[0].text.code).toBe('watch:alert.recordRemoved')
  })

  it('new error findings alert; findings of a mechanism that could not be checked are carried', () => {
    const f = { severity: 'error' as const, title: 'SPF has too many lookups', mechanism: 'spf' }
    const first = diff('example.com', null, { ...emptyObservation(), findings: { 'spf.lookups': f } })
    expect(first.alerts.map((a) => a.kind)).toEqual(['finding-new'])
    const cnc = diff('example.com', first.next, {
      ...emptyObservation(),
      unchecked: { spf: 'DNS did not answer' }
    })
    expect(cnc.next.findings['spf.lookups']).toBeDefined()
    expect(cnc.alerts).toEqual([])
    const back = diff('example.com', cnc.next, { ...emptyObservation(), findings: { 'spf.lookups': f } })
    expect(back.alerts).toEqual([])
    const gone = diff('example.com', back.next, emptyObservation())
    expect(gone.alerts).toEqual([])
    expect(gone.changes).toEqual([{ kind: 'finding-gone', subject: 'spf.lookups' }])
  })

  it('a DMARC pass-rate drop of 10 points alerts once', () => {
    const now = new Date('2025-03-15T12:00:00Z')
    const day = (d: string, messages: number, dmarcPass: number) => ({ day: d, messages, dmarcPass })
    const timeline = [day('2025-03-03', 100, 98), day('2025-03-12', 100, 80)]
    const o = emptyObservation()
    observeDmarc(o, timeline, now)
    expect(o.dmarc).toMatchObject({ rate: 0.8, previous: 0.98, messages: 100, previousMessages: 100 })
    const d1 = diff('example.com', null, o)
    expect(d1.alerts.map((a) => [a.kind, a.before, a.after])).toEqual([['dmarc-drop', '98', '80']])
    expect(diff('example.com', d1.next, o).alerts).toEqual([])
    const few = emptyObservation()
    observeDmarc(few, [day('2025-03-03', 10, 10), day('2025-03-12', 10, 5)], now)
    expect(diff('example.com', null, few).alerts).toEqual([])
  })
})

describe('watch backoff', () => {
  it('backs off a list that refuses, doubling up to 7 days, and resets on an answer', () => {
    const now = new Date('2025-01-01T00:00:00Z')
    const b1 = nextBackoff(undefined, { kind: 'refused', reason: 'excessive queries' }, now)!
    expect(b1).toEqual({ level: 1, until: '2025-01-01T12:00:00.000Z', reason: 'excessive queries' })
    expect(isBackingOff(b1, new Date('2025-01-01T06:00:00Z'))).toBe(true)
    expect(isBackingOff(b1, new Date('2025-01-01T12:00:00Z'))).toBe(false)
    const b2 = nextBackoff(b1, { kind: 'refused', reason: 'x' }, now)!
    expect(b2.until).toBe('2025-01-02T00:00:00.000Z')
    let b = b2
    for (let i = 0; i < 10; i++) b = nextBackoff(b, { kind: 'refused', reason: 'x' }, now)!
    expect(Date.parse(b.until) - now.getTime()).toBe(BACKOFF_MAX_MS)
    expect(nextBackoff(b, { kind: 'other' }, now)).toBe(b)
    expect(nextBackoff(b, { kind: 'answered' }, now)).toBeUndefined()
  })
})
