import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../db/migrate'
import { migrations } from '../db/migrations'
import { tempBackend } from '../host/test-backend'

const BOUNCE = readFileSync(join(__dirname, '../../../e2e/data/relay-listed.eml'))

/** Case search (issue 10): recipients, addresses, IPs, hosts and list names find the case, not only its title. */
describe('case search', () => {
  let close = () => undefined as void
  afterEach(() => close())

  it('finds a case by recipient, sender address, IP, receiving host and the list its bounce names', async () => {
    const b = tempBackend('web')
    close = () => b.close()
    const api = async (m: string, i: unknown): Promise<any> => {
      const r = await b.dispatch(m as never, i as never)
      if (!r.ok) throw new Error(r.error.message)
      return r.data
    }
    const c = await api('cases.create', { title: 'Untitled' })
    await api('cases.create', { title: 'Another case' })
    await api('evidence.add', {
      caseId: c.id,
      files: [{ name: 'b.eml', size: BOUNCE.length, base64: BOUNCE.toString('base64') }]
    })
    for (const q of [
      'buyer@retailer.example',
      'sales@acme-widgets.example',
      '203.0.113.77',
      'mx1.retailer.example',
      'Spamhaus ZEN'
    ]) {
      const hits = await api('cases.list', { query: q })
      expect(
        hits.map((h: any) => h.id),
        q
      ).toEqual([c.id])
    }
    expect(await api('cases.list', { query: 'nobody@nowhere.example' })).toEqual([])
    // Removing the evidence removes its terms.
    const detail = await api('cases.get', { id: c.id })
    await api('evidence.delete', { id: detail.evidence[0].id })
    expect(await api('cases.list', { query: 'buyer@retailer.example' })).toEqual([])
  })

  it('indexes evidence stored before the migration', () => {
    const db = new Database(':memory:')
    migrate(
      db,
      migrations.filter((m) => m.id < 7)
    )
    db.prepare("INSERT INTO cases (title, created_at, updated_at) VALUES ('old', 'x', 'x')").run()
    db.prepare(
      `INSERT INTO evidence (case_id, name, kind, sha256, size, content, subject, analysis, created_at)
       VALUES (1, 'b.eml', 'bounce', 'h', 1, x'00', NULL, ?, 'x')`
    ).run(JSON.stringify({ bounce: { recipients: [{ recipient: 'old@example.org' }] } }))
    migrate(db, migrations)
    const hit = db
      .prepare(`SELECT case_id FROM search_index WHERE search_index MATCH '"old@example.org"'`)
      .get() as { case_id: number }
    expect(hit.case_id).toBe(1)
  })
})
