import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../open'
import { createCaseRepo } from './cases'
import { createFindingRepo } from './findings'
import { createFixRepo } from './fixes'

function setup() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'dd-fr-')), 'db.sqlite'))
  let t = Date.parse('2025-01-01T00:00:00Z')
  const now = () => new Date((t += 1000))
  const caseId = createCaseRepo(db, now).create('c').id
  return { db, caseId, findings: createFindingRepo(db, now), fixes: createFixRepo(db, now) }
}
const F = (id: string) => ({ id, severity: 'error' as const, title: id, detail: 'd', evidence: [] })

describe('findings repo', () => {
  it('one row per id, first/last seen kept, older replays ignored, resolved reopens on a later sighting', () => {
    const { caseId, findings } = setup()
    expect(findings.observe(caseId, F('a'), 'domain:x', '2025-01-02T00:00:00.000Z')).toBe('inserted')
    expect(findings.observe(caseId, F('a'), 'domain:x', '2025-01-03T00:00:00.000Z')).toBe('refreshed')
    expect(findings.observe(caseId, F('a'), 'domain:x', '2025-01-01T00:00:00.000Z')).toBe('unchanged')
    expect(findings.list(caseId)).toHaveLength(1)
    expect(findings.get(caseId, 'a')).toMatchObject({
      firstSeen: '2025-01-02T00:00:00.000Z',
      lastSeen: '2025-01-03T00:00:00.000Z'
    })
    expect(findings.resolve(caseId, 'a', '2025-01-04T00:00:00.000Z')).toBe(true)
    expect(findings.observe(caseId, F('a'), 'domain:x', '2025-01-03T12:00:00.000Z')).toBe('refreshed')
    expect(findings.get(caseId, 'a')!.status).toBe('resolved')
    expect(findings.observe(caseId, F('a'), 'domain:x', '2025-01-05T00:00:00.000Z')).toBe('reopened')
    expect(findings.get(caseId, 'a')).toMatchObject({ status: 'open', resolvedAt: null })
  })

  it('accepted findings are not resolved by checks; reopen clears the note', () => {
    const { caseId, findings } = setup()
    findings.observe(caseId, F('b'), 'blocklist', '2025-01-02T00:00:00.000Z')
    expect(findings.accept(caseId, 'b', 'known')).toMatchObject({ status: 'accepted', note: 'known' })
    expect(findings.resolve(caseId, 'b', '2025-01-09T00:00:00.000Z')).toBe(false)
    expect(findings.reopen(caseId, 'b')).toMatchObject({ status: 'open', note: null })
    expect(findings.accept(caseId, 'missing', 'x')).toBeUndefined()
  })

  it('fixes: add, list newest first, delete; cascade with the case', () => {
    const { db, caseId, fixes } = setup()
    const a = fixes.add(caseId, 'spf', 'SPF', { domain: 'x' }, { snippets: [], warnings: [] })
    const b = fixes.add(caseId, 'dmarc', 'DMARC', {}, { snippets: [], warnings: ['w'] })
    expect(fixes.listForCase(caseId).map((f) => f.id)).toEqual([b.id, a.id])
    expect(fixes.get(a.id)).toMatchObject({ kind: 'spf', input: { domain: 'x' } })
    expect(fixes.delete(a.id)).toBe(true)
    db.prepare('DELETE FROM cases WHERE id = ?').run(caseId)
    expect(fixes.listForCase(caseId)).toEqual([])
  })
})
