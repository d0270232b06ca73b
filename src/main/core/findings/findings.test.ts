import { describe, expect, it } from 'vitest'
import type { Finding } from '../../../shared/schemas/common'
import { domainObservation, evidenceObservation, reconcile, scanObservation, stepFor, stepProgress } from '.'

const f = (id: string, extra: Partial<Finding> = {}): Finding => ({
  id,
  severity: 'error',
  title: id,
  detail: '',
  evidence: [],
  ...extra
})

describe('stepFor', () => {
  it('maps listings to delist, generator remedies to fix, could-not-check to diagnose', () => {
    expect(stepFor(f('bl.listed:spamcop:192.0.2.1', { remedy: 'delist' }))).toBe('delist')
    expect(stepFor(f('dmarc.missing', { remedy: 'dmarc-planner' }))).toBe('fix')
    expect(stepFor(f('spf.could-not-check', { fix: 'Re-run' }))).toBe('diagnose')
    expect(stepFor(f('bl.error:spamcop'))).toBe('diagnose')
    expect(stepFor(f('content.url-shortener'))).toBe('fix')
    expect(stepFor(f('verdict.blocklist', { remedy: 'delist' }))).toBe('delist')
  })
})

describe('reconcile', () => {
  const ev = evidenceObservation(1, '2025-01-01T00:00:00.000Z', {
    findings: [f('auth.dmarc-fail'), f('verdict.authentication')]
  })
  const report = (at: string, findings: Finding[]) => ({ domain: 'example.com', checkedAt: at, findings })

  it('dedups by id and keeps first/last seen', () => {
    const d1 = domainObservation(report('2025-01-02T00:00:00.000Z', [f('spf.missing'), f('spf.missing')]))
    const r = reconcile([], [ev, d1])
    expect(r.observed.map((o) => o.finding.id).sort()).toEqual([
      'auth.dmarc-fail',
      'spf.missing',
      'verdict.authentication'
    ])
    expect(r.resolved).toEqual([])
  })

  it('a later domain run without the finding resolves it; one that could not check does not', () => {
    const known = [
      {
        id: 'spf.missing',
        source: 'domain:example.com',
        status: 'open' as const,
        lastSeen: '2025-01-02T00:00:00.000Z'
      }
    ]
    const gone = domainObservation(report('2025-01-03T00:00:00.000Z', []))
    expect(reconcile(known, [gone]).resolved).toEqual([
      { id: 'spf.missing', at: '2025-01-03T00:00:00.000Z', source: 'domain:example.com' }
    ])
    const blind = domainObservation(report('2025-01-03T00:00:00.000Z', [f('spf.could-not-check')]))
    const r = reconcile(known, [blind])
    expect(r.resolved).toEqual([])
    expect(r.unknown.map((u) => u.id)).toEqual(['spf.missing'])
    // An older run replayed after the newer one changes nothing.
    const old = domainObservation(report('2025-01-01T00:00:00.000Z', []))
    expect(reconcile(known, [old]).resolved).toEqual([])
  })

  it('evidence findings are history: no later source can clear them by omission except its own re-check', () => {
    const known = [
      {
        id: 'auth.dmarc-fail',
        source: 'evidence:1',
        status: 'open' as const,
        lastSeen: '2025-01-01T00:00:00.000Z'
      }
    ]
    const d = domainObservation(report('2025-01-03T00:00:00.000Z', []))
    expect(reconcile(known, [ev, d]).resolved).toEqual([])
  })

  it('listings clear only on a clean answer from the same list for the same target', () => {
    const id = 'bl.listed:spamcop:192.0.2.1'
    const known = [{ id, source: 'blocklist', status: 'open' as const, lastSeen: '2025-01-01T00:00:00.000Z' }]
    const scan = (status: string, target = '192.0.2.1') =>
      scanObservation({
        checkedAt: '2025-01-02T00:00:00.000Z',
        findings: [],
        reports: [{ target, results: [{ list: 'spamcop', status } as any] }]
      })
    expect(reconcile(known, [scan('clean')]).resolved.map((r) => r.id)).toEqual([id])
    expect(reconcile(known, [scan('error')]).resolved).toEqual([])
    expect(reconcile(known, [scan('error')]).unknown.map((u) => u.id)).toEqual([id])
    expect(reconcile(known, [scan('refused')]).resolved).toEqual([])
    expect(reconcile(known, [scan('clean', '192.0.2.2')]).resolved).toEqual([])
  })

  it('a later sighting reopens a resolved finding; accepted stays accepted', () => {
    const d = domainObservation(report('2025-01-05T00:00:00.000Z', [f('spf.missing')]))
    const resolved = [
      {
        id: 'spf.missing',
        source: 'domain:example.com',
        status: 'resolved' as const,
        lastSeen: '2025-01-02T00:00:00.000Z'
      }
    ]
    expect(reconcile(resolved, [d]).observed[0].seenAt).toBe('2025-01-05T00:00:00.000Z')
    const accepted = [{ ...resolved[0], status: 'accepted' as const }]
    expect(reconcile(accepted, [domainObservation(report('2025-01-06T00:00:00.000Z', []))]).resolved).toEqual(
      []
    )
  })
})

describe('stepProgress', () => {
  it('counts done/remaining per step and needs evidence, a verify and an export', () => {
    const steps = stepProgress({
      findings: [
        { step: 'fix', status: 'open', actionable: true },
        { step: 'fix', status: 'accepted', actionable: true },
        { step: 'delist', status: 'resolved', actionable: true },
        { step: 'diagnose', status: 'open', actionable: false }
      ],
      evidenceCount: 1,
      verified: false,
      exports: 0
    })
    const by = Object.fromEntries(steps.map((s) => [s.step, s]))
    expect(by.fix).toMatchObject({ done: 1, remaining: 1, complete: false })
    expect(by.delist).toMatchObject({ done: 1, remaining: 0, complete: true })
    expect(by.diagnose).toMatchObject({ remaining: 0, complete: true })
    expect(by.verify).toMatchObject({ complete: false, pending: 'not-verified' })
    expect(by.report).toMatchObject({ complete: false, pending: 'not-exported' })
    const empty = stepProgress({ findings: [], evidenceCount: 0, verified: false, exports: 0 })
    expect(empty[0]).toMatchObject({ step: 'diagnose', complete: false, pending: 'no-evidence' })
  })
})
