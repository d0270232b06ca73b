import { describe, expect, it, vi } from 'vitest'

vi.mock('./transport', () => ({ call: async () => ({}), onEvent: () => () => undefined }))
const { apiKey, concernsCase, createQueryClient, invalidateCase } = await import('./query')

describe('query keys and case invalidation', () => {
  it('keys a query by method and input', () => {
    expect(apiKey('findings.causes', { caseId: 4 })).toEqual(['findings.causes', { caseId: 4 }])
  })

  it("a case's change concerns its own queries and the lists across cases, not other cases", () => {
    const q = (method: string, input: unknown) => ({ queryKey: [method, input] })
    expect(concernsCase(q('findings.causes', { caseId: 4 }), 4)).toBe(true)
    expect(concernsCase(q('cases.get', { id: 4 }), 4)).toBe(true)
    expect(concernsCase(q('cases.list', {}), 4)).toBe(true)
    expect(concernsCase(q('delist.list', {}), 4)).toBe(true)
    expect(concernsCase(q('findings.causes', { caseId: 5 }), 4)).toBe(false)
    expect(concernsCase(q('cases.get', { id: 5 }), 4)).toBe(false)
    expect(concernsCase(q('evidence.get', { id: 4 }), 4)).toBe(false)
    expect(concernsCase(q('settings.get', {}), 4)).toBe(false)
  })

  it('marks exactly those queries stale', async () => {
    const client = createQueryClient()
    client.setQueryData(['workflow.status', { caseId: 4 }], { open: 1 })
    client.setQueryData(['workflow.status', { caseId: 5 }], { open: 2 })
    await invalidateCase(client, 4)
    expect(client.getQueryState(['workflow.status', { caseId: 4 }])?.isInvalidated).toBe(true)
    expect(client.getQueryState(['workflow.status', { caseId: 5 }])?.isInvalidated).toBe(false)
  })
})
