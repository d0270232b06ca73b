// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { installDomShims, renderUi } from '../../test/render'

vi.mock('../../api/transport', async () => {
  class ApiError extends Error {
    constructor(
      public code: string,
      message: string,
      public params?: Record<string, string | number>,
      public issues?: { path: string; message: string }[],
      public text?: { code: string; params?: Record<string, string> }
    ) {
      super(message)
    }
  }
  return {
    ApiError,
    // What the dispatcher answers for a schema refusal: English wording, and the fields it refused.
    call: async (_method: string, input: { said?: boolean }) => {
      // A generator's own refusal, said as a Text.
      if (input.said)
        throw new ApiError(
          'INVALID_INPUT',
          '"reports.example.net" is not an email address.',
          undefined,
          undefined,
          {
            code: 'fixgen:dmarc.badAddress',
            params: { address: 'reports.example.net' }
          }
        )
      throw new ApiError(
        'INVALID_INPUT',
        'Invalid input for fix.generate: input.domain: Too small',
        undefined,
        [
          { path: 'input.domain', message: 'Too small: expected string to have >=3 characters' },
          { path: 'input.ruaAddress', message: 'Invalid email address' }
        ]
      )
    },
    onEvent: () => () => undefined
  }
})
const { GenForm } = await import('./gen-form')
const { call } = await import('../../api/transport')

beforeAll(installDomShims)
afterEach(cleanup)

describe('GenForm', () => {
  it("names the refused fields in the reader's language, not the schema's English", async () => {
    await renderUi(
      <GenForm testId="gen-run" onRun={() => call('fix.generate', {} as never).then(() => undefined)}>
        <span />
      </GenForm>,
      'fr'
    )
    fireEvent.click(screen.getByTestId('gen-run'))
    const error = await screen.findByTestId('gen-error')
    expect(error.textContent).toBe('Vérifiez ces champs : domain, ruaAddress')
  })

  it("says a generator's own refusal in the reader's language", async () => {
    await renderUi(
      <GenForm
        testId="gen-run"
        onRun={() => call('fix.generate', { said: true } as never).then(() => undefined)}
      >
        <span />
      </GenForm>,
      'fr'
    )
    fireEvent.click(screen.getByTestId('gen-run'))
    expect((await screen.findByTestId('gen-error')).textContent).toBe(
      "« reports.example.net » n'est pas une adresse e-mail."
    )
  })
})
