import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempBackend } from '../host/test-backend'

const open: { close(): void }[] = []
afterEach(() => open.splice(0).forEach((b) => b.close()))
const fresh = (host: 'web' | 'cli' = 'web') => {
  const b = tempBackend(host)
  open.push(b)
  return b
}

describe('db.restore', () => {
  it('replaces the live cases with a backup, after saving the current database', async () => {
    const b = fresh()
    await b.dispatch('cases.create', { title: 'Kept in the backup' })
    const backup = (await b.dispatch('db.backup', {})) as { ok: true; data: { path: string } }
    await b.dispatch('cases.create', { title: 'Created after the backup' })
    const bytes = readFileSync(backup.data.path)
    const r = (await b.dispatch('db.restore', {
      file: { name: 'b.sqlite', base64: bytes.toString('base64') }
    })) as {
      ok: true
      data: { safetyBackup: string; cases: number }
    }
    expect(r.ok).toBe(true)
    expect(r.data.cases).toBe(1)
    expect(existsSync(r.data.safetyBackup)).toBe(true)
    const list = (await b.dispatch('cases.list', {})) as { data: { title: string }[] }
    expect(list.data.map((c) => c.title)).toEqual(['Kept in the backup'])
    // Search (FTS) follows the restored content too.
    const found = (await b.dispatch('cases.list', { query: 'kept' })) as { data: unknown[] }
    expect(found.data).toHaveLength(1)
  })

  it('refuses a file that is not a Delivery Desk backup and leaves the data alone', async () => {
    const b = fresh('cli')
    await b.dispatch('cases.create', { title: 'Still here' })
    const junk = join(b.dataDir, 'junk.sqlite')
    writeFileSync(junk, 'not a database '.repeat(100))
    const r = await b.dispatch('db.restore', { path: junk })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const png = await b.dispatch('db.restore', {
      file: { name: 'x.png', base64: Buffer.from('89504e47', 'hex').toString('base64') }
    })
    expect(png.ok).toBe(false)
    const list = (await b.dispatch('cases.list', {})) as { data: { title: string }[] }
    expect(list.data.map((c) => c.title)).toEqual(['Still here'])
  })

  it('takes file paths from the command line only, never over IPC or HTTP', async () => {
    const b = fresh('web')
    const backup = await b.dispatch('db.backup', { path: '/tmp/anywhere.sqlite' })
    expect(backup).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /command line/ } })
    const restore = await b.dispatch('db.restore', { path: '/etc/hostname' })
    expect(restore).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /command line/ } })
    expect(await b.dispatch('db.backup', {})).toMatchObject({ ok: true })
  })

  it('requires exactly one source', async () => {
    expect(await fresh().dispatch('db.restore', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
  })
})
