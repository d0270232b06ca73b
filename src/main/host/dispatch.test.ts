import { afterEach, describe, expect, it } from 'vitest'
import { api, methods } from '../../shared/api'
import { AppError } from '../../shared/result'
import { createServices } from '../services'
import { createDispatcher } from './dispatch'
import { tempBackend, SAMPLE_EML } from './test-backend'

const backends: { close(): void }[] = []
afterEach(() => backends.splice(0).forEach((b) => b.close()))
const fresh = () => {
  const b = tempBackend()
  backends.push(b)
  return b
}

describe('contract', () => {
  it('every method has an implementation, and names are domain.verb', () => {
    const b = fresh()
    const handlers = createServices(b.ctx)
    expect(Object.keys(handlers).sort()).toEqual([...methods].sort())
    for (const m of methods) expect(m).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/)
  })

  it('outputs of real calls validate against the output schemas', async () => {
    const b = fresh()
    const c = await b.dispatch('cases.create', { title: 'Contract' })
    expect(c.ok).toBe(true)
    const id = (c as { data: { id: number } }).data.id
    const added = await b.dispatch('evidence.add', {
      caseId: id,
      files: [{ name: 'a.eml', base64: Buffer.from(SAMPLE_EML).toString('base64') }]
    })
    expect(api['evidence.add'].output.safeParse((added as { data: unknown }).data).success).toBe(true)
    const got = await b.dispatch('cases.get', { id })
    expect(api['cases.get'].output.safeParse((got as { data: unknown }).data).success).toBe(true)
    const evId = (got as { data: { evidence: { id: number }[] } }).data.evidence[0].id
    const ev = await b.dispatch('evidence.get', { id: evId })
    const parsed = api['evidence.get'].output.safeParse((ev as { data: unknown }).data)
    expect(parsed.error?.issues ?? []).toEqual([])
  })
})

describe('dispatcher', () => {
  it('refuses unknown methods', async () => {
    const r = await fresh().dispatch('cases.hack', {})
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
    const proto = await fresh().dispatch('__proto__', {})
    expect(proto).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('rejects wrong types, extra keys and oversized strings with field paths', async () => {
    const b = fresh()
    const wrong = await b.dispatch('cases.get', { id: 'one' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect((wrong as { error: { issues: { path: string }[] } }).error.issues[0].path).toBe('id')
    expect(await b.dispatch('cases.create', { title: 'x'.repeat(301) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
    expect(await b.dispatch('cases.create', { title: 'ok', admin: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
    expect(await b.dispatch('cases.create', null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
  })

  it('turns AppError into its code and unexpected errors into INTERNAL without throwing', async () => {
    const logged: unknown[] = []
    const handlers = Object.fromEntries(
      methods.map((m) => [
        m,
        async () => {
          throw new Error('boom')
        }
      ])
    ) as never
    const d = createDispatcher(
      {
        ...(handlers as object),
        'cases.list': async () => {
          throw new AppError('NOT_FOUND', 'nope')
        }
      } as never,
      (e) => logged.push(e)
    )
    expect(await d('cases.list', {})).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'nope' } })
    expect(await d('cases.create', { title: 't' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(logged).toHaveLength(1)
  })

  it('reports a missing case as NOT_FOUND', async () => {
    expect(await fresh().dispatch('cases.get', { id: 12345 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })
})

describe('evidence.add', () => {
  it('saves good files, reports bad ones per file, and keeps going', async () => {
    const b = fresh()
    const c = (await b.dispatch('cases.create', { title: 'Mixed drop' })) as { data: { id: number } }
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    const r = (await b.dispatch('evidence.add', {
      caseId: c.data.id,
      files: [
        { name: 'good.eml', base64: Buffer.from(SAMPLE_EML).toString('base64') },
        { name: 'image.eml', base64: png.toString('base64') },
        { name: 'empty.eml', base64: '' }
      ]
    })) as {
      ok: true
      data: { added: { name: string }[]; errors: { file: string; code: string; message: string }[] }
    }
    expect(r.data.added.map((a) => a.name)).toEqual(['good.eml'])
    expect(r.data.errors.map((e) => [e.file, e.code])).toEqual([
      ['image.eml', 'NOT_A_MESSAGE'],
      ['empty.eml', 'EMPTY_FILE']
    ])
    expect(r.data.errors[0].message).toMatch(/PNG/i)
  })

  it('refuses files over the configured size limit before decoding them', async () => {
    const b = fresh()
    await b.dispatch('settings.set', { maxFileMb: 1 })
    const c = (await b.dispatch('cases.create', { title: 'Big' })) as { data: { id: number } }
    const big = Buffer.alloc(1024 * 1024 + 10, 'a').toString('base64')
    const r = (await b.dispatch('evidence.add', {
      caseId: c.data.id,
      files: [{ name: 'big.eml', base64: big }]
    })) as {
      data: { added: unknown[]; errors: { code: string; message: string }[] }
    }
    expect(r.data.added).toEqual([])
    expect(r.data.errors[0].code).toBe('TOO_LARGE')
    expect(r.data.errors[0].message).toContain('big.eml')
  })

  it('accepts pasted headers as evidence and records the drop in the timeline', async () => {
    const b = fresh()
    const c = (await b.dispatch('cases.create', { title: 'Paste' })) as { data: { id: number } }
    const headers = SAMPLE_EML.split('\r\n\r\n')[0]
    const r = (await b.dispatch('evidence.add', { caseId: c.data.id, text: headers })) as {
      data: { added: { kind: string }[] }
    }
    expect(r.data.added).toHaveLength(1)
    const detail = (await b.dispatch('cases.get', { id: c.data.id })) as {
      data: { notes: { body: string; kind: string }[]; case: { sendingIps: string[] } }
    }
    expect(detail.data.notes.some((n) => n.kind === 'event' && /Evidence added/.test(n.body))).toBe(true)
  })

  it('app events in the timeline cannot be edited or deleted', async () => {
    const b = fresh()
    const c = (await b.dispatch('cases.create', { title: 'Events' })) as { data: { id: number } }
    const detail = (await b.dispatch('cases.get', { id: c.data.id })) as {
      data: { notes: { id: number; kind: string }[] }
    }
    const ev = detail.data.notes.find((n) => n.kind === 'event')!
    expect(await b.dispatch('notes.update', { id: ev.id, body: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' }
    })
    expect(await b.dispatch('notes.delete', { id: ev.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' }
    })
  })
})

describe('case titles', () => {
  it('a placeholder title becomes the first verdict, but never overrides a title the admin typed', async () => {
    const b = fresh()
    const auto = (await b.dispatch('cases.create', { title: 'Rejection case 1', autoTitle: true })) as {
      data: { id: number }
    }
    const smtp = '550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'
    await b.dispatch('evidence.add', { caseId: auto.data.id, text: smtp })
    const renamed = (await b.dispatch('cases.get', { id: auto.data.id })) as {
      data: { case: { title: string; autoTitle: boolean } }
    }
    expect(renamed.data.case.title).not.toBe('Rejection case 1')
    expect(renamed.data.case.autoTitle).toBe(false)

    const manual = (await b.dispatch('cases.create', { title: 'Placeholder', autoTitle: true })) as {
      data: { id: number }
    }
    await b.dispatch('cases.update', { id: manual.data.id, title: 'Our own name' })
    await b.dispatch('evidence.add', { caseId: manual.data.id, text: smtp })
    const kept = (await b.dispatch('cases.get', { id: manual.data.id })) as {
      data: { case: { title: string } }
    }
    expect(kept.data.case.title).toBe('Our own name')
  })
})

describe('evidence.reanalyze', () => {
  it('re-runs the analysis from the stored bytes and records it in the timeline', async () => {
    const b = fresh()
    const c = (await b.dispatch('cases.create', { title: 'Re-analyse' })) as { data: { id: number } }
    await b.dispatch('evidence.add', {
      caseId: c.data.id,
      files: [{ name: 'a.eml', base64: Buffer.from(SAMPLE_EML).toString('base64') }]
    })
    const detail = (await b.dispatch('cases.get', { id: c.data.id })) as {
      data: { evidence: { id: number }[] }
    }
    const id = detail.data.evidence[0].id
    // Simulate an analysis stored by an older version: the hops are missing.
    b.ctx.db
      .prepare("UPDATE evidence SET analysis = json_set(analysis, '$.hops', json('[]')) WHERE id = ?")
      .run(id)
    const r = (await b.dispatch('evidence.reanalyze', { caseId: c.data.id })) as {
      data: { updated: number; failed: unknown[] }
    }
    expect(r.data).toEqual({ updated: 1, failed: [] })
    const ev = (await b.dispatch('evidence.get', { id })) as { data: { analysis: { hops: unknown[] } } }
    expect(ev.data.analysis.hops).toHaveLength(2)
    const after = (await b.dispatch('cases.get', { id: c.data.id })) as {
      data: { notes: { body: string }[] }
    }
    expect(after.data.notes.some((n) => /re-analysed: 1 of 1/.test(n.body))).toBe(true)
  })
})
