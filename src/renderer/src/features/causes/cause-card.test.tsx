// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CaseCause, CaseFinding } from '@shared/schemas/workflow'
import { installDomShims, renderUi } from '../../test/render'

const calls: { method: string; input: unknown }[] = []
vi.mock('../../api/transport', () => ({
  call: async (method: string, input: unknown) => {
    calls.push({ method, input })
    return {}
  },
  onEvent: () => () => undefined
}))
const { CauseCard } = await import('./cause-card')

beforeAll(installDomShims)
afterEach(() => {
  cleanup()
  calls.length = 0
})

const AR = 'spf=fail smtp.mailfrom=wf-shop.example; dkim=fail header.d=wf-shop.example; dmarc=fail'

function finding(id: string, over: Partial<CaseFinding> = {}): CaseFinding {
  return {
    id,
    severity: 'error',
    title: `English ${id}`,
    detail: 'detail',
    evidence: [{ source: 'Authentication-Results', text: AR }],
    source: 'evidence:1',
    step: 'fix',
    actionable: true,
    status: 'open',
    note: null,
    firstSeen: '2026-01-01T00:00:00Z',
    lastSeen: '2026-01-01T00:00:00Z',
    resolvedAt: null,
    rootCause: 'dmarc',
    ...over
  }
}

function cause(over: Partial<CaseCause> = {}): CaseCause {
  const findings = [
    finding('auth.dmarc-fail'),
    finding('dmarc.policy-none'),
    finding('verdict.authentication')
  ]
  return {
    id: 'dmarc',
    kind: 'dmarc',
    step: 'fix',
    status: 'open',
    severity: 'critical',
    actionable: true,
    lead: 'dmarc.policy-none',
    title: 'English DMARC title',
    titleText: { code: 'workflow:causes.acceptTitle' },
    findings,
    note: null,
    firstSeen: '2026-01-01T00:00:00Z',
    lastSeen: '2026-01-01T00:00:00Z',
    resolvedAt: null,
    ...over
  }
}

describe('CauseCard', () => {
  it('shows one title for the cause and its findings with verbatim evidence only on demand', async () => {
    await renderUi(<CauseCard caseId={1} cause={cause()} onChanged={() => undefined} />, 'fr')
    const card = screen.getByTestId('cause-card')
    expect(card.getAttribute('data-cause')).toBe('dmarc')
    // The title comes from its Text, in French; the English rendering is not shown.
    expect(screen.getByTestId('cause-title').textContent).toBe('Accepter cette cause racine')
    expect(card.textContent).not.toContain('English DMARC title')
    expect(screen.queryAllByTestId('cause-finding')).toHaveLength(0)
    const expand = screen.getByTestId('cause-expand')
    expect(expand.getAttribute('aria-expanded')).toBe('false')
    expect(expand.textContent).toContain('3 constats')
    fireEvent.click(expand)
    expect(expand.getAttribute('aria-expanded')).toBe('true')
    const members = screen.getAllByTestId('cause-finding')
    expect(members.map((m) => m.getAttribute('data-finding'))).toEqual([
      'auth.dmarc-fail',
      'dmarc.policy-none',
      'verdict.authentication'
    ])
    expect(screen.getAllByTestId('cause-evidence')[0].textContent).toContain(AR)
  })

  it('accepts the whole cause with a required note, through its lead finding', async () => {
    const onChanged = vi.fn()
    await renderUi(<CauseCard caseId={7} cause={cause()} onChanged={onChanged} />)
    fireEvent.click(screen.getByTestId('accept-cause'))
    fireEvent.click(await screen.findByTestId('accept-confirm'))
    // No note, no call: an accepted cause must say why.
    expect(calls).toEqual([])
    expect(await screen.findByText('Write why this finding is acceptable.')).toBeTruthy()
    fireEvent.change(screen.getByTestId('accept-note'), { target: { value: 'We keep p=none for now' } })
    fireEvent.click(screen.getByTestId('accept-confirm'))
    await waitFor(() => expect(onChanged).toHaveBeenCalled())
    expect(calls).toEqual([
      {
        method: 'findings.accept',
        input: { caseId: 7, findingId: 'dmarc.policy-none', note: 'We keep p=none for now' }
      }
    ])
  })

  it('offers to reopen an accepted cause and shows its note', async () => {
    const onChanged = vi.fn()
    await renderUi(
      <CauseCard caseId={7} cause={cause({ status: 'accepted', note: 'on purpose' })} onChanged={onChanged} />
    )
    expect(screen.getByTestId('cause-status').textContent).toBe('accepted')
    expect(screen.getByTestId('cause-note').textContent).toContain('on purpose')
    expect(screen.queryByTestId('accept-cause')).toBeNull()
    fireEvent.click(screen.getByTestId('reopen-cause'))
    await waitFor(() => expect(onChanged).toHaveBeenCalled())
    expect(calls).toEqual([
      { method: 'findings.reopen', input: { caseId: 7, findingId: 'dmarc.policy-none' } }
    ])
  })
})
