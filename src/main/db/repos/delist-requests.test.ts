import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import { createDelistRequest, getList, transition } from '../../core/blocklist'
import { migrate } from '../migrate'
import { migrations } from '../migrations'
import { createCaseRepo } from './cases'
import { createDelistRequestRepo } from './delist-requests'

let db: Database.Database
const at = new Date('2025-05-12T10:00:00Z')

beforeEach(() => {
  db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, migrations)
})

const spamcop = getList('spamcop')!
const microsoft = getList('microsoft')!

describe('delist_requests repository', () => {
  it('stores the whole request, keyed by its row id, and saves state-machine steps', () => {
    const caseId = createCaseRepo(db).create('c').id
    const repo = createDelistRequestRepo(db)
    const created = repo.create(caseId, {
      ...createDelistRequest({ id: 'ignored', list: spamcop, target: '192.0.2.1', now: at }),
      method: 'automatic',
      notes: 'first'
    })
    expect(created).toMatchObject({
      caseId,
      list: 'spamcop',
      target: '192.0.2.1',
      status: 'listed',
      method: 'automatic',
      notes: 'first'
    })
    expect(created.id).toMatch(/^\d+$/)
    expect(repo.get(created.id)).toEqual(created)

    const requested = { ...created, ...transition(created, { type: 'request', reference: 'T-1' }, at) }
    const saved = repo.save(requested)
    expect(saved).toMatchObject({ status: 'requested', reference: 'T-1', requestedAt: at.toISOString() })
    expect(saved.timeline).toHaveLength(2)
    // The indexed status column follows the JSON.
    expect(db.prepare('SELECT status FROM delist_requests WHERE id = ?').get(Number(saved.id))).toEqual({
      status: 'requested'
    })
    expect(repo.list({ status: 'requested' }).map((r) => r.id)).toEqual([saved.id])
    expect(repo.list({ status: 'listed' })).toEqual([])
    expect(repo.findOpen(caseId, 'spamcop', '192.0.2.1')?.id).toBe(saved.id)
    expect(() => repo.save({ ...saved, id: '999' })).toThrow(/does not exist/)
  })

  it('lists open DNS requests for re-checks (not settled ones, not provider blocks) and filters by case', () => {
    const cases = createCaseRepo(db)
    const a = cases.create('a').id
    const b = cases.create('b').id
    const repo = createDelistRequestRepo(db)
    const open = repo.create(a, createDelistRequest({ id: 'x', list: spamcop, target: '192.0.2.1', now: at }))
    repo.create(b, createDelistRequest({ id: 'x', list: microsoft, target: '192.0.2.1', now: at }))
    const done = repo.create(b, createDelistRequest({ id: 'x', list: spamcop, target: '192.0.2.2', now: at }))
    repo.save({ ...done, status: 'delisted' })
    expect(repo.open().map((r) => r.id)).toEqual([open.id])
    expect(repo.list({ caseId: b }).map((r) => r.list)).toEqual(['microsoft', 'spamcop'])
    expect(repo.findOpen(b, 'spamcop', '192.0.2.2')).toBeUndefined()
  })

  it('goes away with its case, and a damaged row fails loudly instead of showing a wrong status', () => {
    const cases = createCaseRepo(db)
    const c = cases.create('c').id
    const repo = createDelistRequestRepo(db)
    const r = repo.create(c, createDelistRequest({ id: 'x', list: spamcop, target: '192.0.2.1', now: at }))
    db.prepare('UPDATE delist_requests SET data = \'{"list": 5}\' WHERE id = ?').run(Number(r.id))
    expect(() => repo.get(r.id)).toThrow()
    cases.delete(c)
    expect(repo.list()).toEqual([])
  })
})
