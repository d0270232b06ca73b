// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Analysis } from '@shared/schemas/analysis'
import type { Verdict } from '@shared/schemas/verdict'
import { installDomShims, renderUi } from '../../test/render'
import { VerdictCard } from './verdict-card'

beforeAll(installDomShims)
afterEach(cleanup)

const REPLY = '550 5.7.1 Service unavailable, Client host [198.51.100.77] blocked using Spamhaus'

function verdict(over: Partial<Verdict> = {}): Verdict {
  return {
    cause: 'blocklist',
    titleText: { code: 'verdict:title.blocklist' },
    title: 'ENGLISH TITLE',
    summary: 'English summary',
    confidence: 0.9,
    evidence: [{ source: 'diagnostic:jane@example.net', text: REPLY, start: 60, end: 80 }],
    quotes: [{ source: 'diagnostic:jane@example.net', text: REPLY }],
    nextSteps: [],
    urls: [],
    listedOn: [],
    ip: '198.51.100.77',
    secondary: [],
    ...over
  }
}
const analysis = (v?: Verdict) => ({ kind: 'bounce', verdict: v }) as unknown as Analysis

describe('VerdictCard', () => {
  it('says so when there is no verdict', async () => {
    await renderUi(<VerdictCard analysis={analysis(undefined)} />)
    expect(screen.getByTestId('verdict-card').getAttribute('data-cause')).toBe('none')
  })

  it('renders the title from its Text in the chosen language, and quotes the reply verbatim', async () => {
    await renderUi(<VerdictCard analysis={analysis(verdict())} />, 'fr')
    const card = screen.getByTestId('verdict-card')
    expect(card.getAttribute('data-cause')).toBe('blocklist')
    // The English rendering is only a fallback: with a Text, the catalogue's French wins.
    expect(card.textContent).not.toContain('ENGLISH TITLE')
    expect(card.textContent).toContain("L'IP ou le domaine d'envoi figure sur une liste de blocage")
    // The receiver's words are evidence: shown exactly as they were, never translated.
    expect(card.textContent).toContain('blocked using Spamhaus')
    expect(screen.getByTestId('verdict-cause').textContent).not.toBe('')
  })

  it('falls back to the English title of an analysis stored before Texts existed', async () => {
    await renderUi(<VerdictCard analysis={analysis(verdict({ titleText: undefined }))} />)
    expect(screen.getByTestId('verdict-card').textContent).toContain('ENGLISH TITLE')
  })
})
