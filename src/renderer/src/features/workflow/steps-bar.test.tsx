// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CaseSummary } from '@shared/schemas/case'
import type { WorkflowStatus } from '@shared/schemas/workflow'
import { installDomShims, renderUi } from '../../test/render'

const status: WorkflowStatus = {
  caseId: 3,
  steps: [
    { step: 'diagnose', done: 2, remaining: 0, complete: true },
    { step: 'fix', done: 1, remaining: 3, complete: false },
    { step: 'delist', done: 0, remaining: 1, complete: false },
    { step: 'verify', done: 0, remaining: 0, complete: false, pending: 'not-verified' },
    { step: 'report', done: 0, remaining: 0, complete: false, pending: 'not-exported' }
  ],
  open: 4,
  lastVerifiedAt: null,
  coverage: []
}
const asked: unknown[] = []
vi.mock('../../api/transport', () => ({
  call: async (method: string, input: unknown) => {
    asked.push([method, input])
    return status
  },
  onEvent: () => () => undefined
}))
const { StepsBar } = await import('./steps-bar')

beforeAll(installDomShims)
afterEach(cleanup)

const summary = { id: 3, title: 'x' } as CaseSummary

describe('StepsBar', () => {
  it('shows each step with what is done and what remains, and marks the active and complete ones', async () => {
    await renderUi(<StepsBar caseSummary={summary} active="fix" onSelect={() => undefined} />)
    expect(await screen.findByText('1 done · 3 to do')).toBeTruthy()
    expect(asked).toContainEqual(['workflow.status', { caseId: 3 }])
    expect(screen.getByTestId('step-diagnose').getAttribute('data-complete')).toBe('true')
    expect(screen.getByTestId('step-fix').getAttribute('data-complete')).toBe('false')
    expect(screen.getByTestId('step-fix').getAttribute('aria-current')).toBe('step')
    expect(screen.getByTestId('step-delist').getAttribute('aria-current')).toBeNull()
    expect(screen.getByTestId('step-verify-counts').textContent).toBe('Not verified yet')
  })

  it('opens a step when it is clicked', async () => {
    const onSelect = vi.fn()
    await renderUi(<StepsBar caseSummary={summary} active="diagnose" onSelect={onSelect} />)
    fireEvent.click(await screen.findByTestId('step-delist'))
    expect(onSelect).toHaveBeenCalledWith('delist')
  })
})
