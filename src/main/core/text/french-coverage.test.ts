import { beforeAll, describe, expect, it } from 'vitest'
import type { Finding } from '../../../shared/schemas/common'
import type { Text, TextParam } from '../../../shared/text'
import { allFindings, PRODUCERS } from './__fixtures__/producer-inputs'
import { renderText } from './render'

/**
 * Issue 10: a French reader sees no English from the backend outside quoted evidence. Every finding the core
 * producers emit over a varied set of inputs is rendered in French with its params masked (params are data:
 * hosts, records, quoted replies), and the result must not contain English function words. A finding without
 * Texts falls back to its English `title`/`detail`/`fix`, which this test catches.
 */

/**
 * English function words, lower case anywhere and capitalised at a sentence start. Case matters: "From" is the
 * header field's name in French text too ("le domaine From"), "from" is English.
 */
const WORDS =
  'the|is|are|was|were|not|could|would|should|with|your|you|this|that|these|from|does|has|have|been|which|when|than|only|into|will|must|can|cannot|its|it|of|and|to|by|for|no|any|there|their|because|but|yet'
const CAPITALISED =
  'The|This|That|These|Your|You|It|Its|There|Could|Cannot|When|Which|With|Not|No|Is|Are|Was|Has|Have|Does|Only|Use|Remove|Add|Check|Fix|Ask'
const ENGLISH = new RegExp(`(?:^|[\\s("'«,;:])(${WORDS}|${CAPITALISED})(?=$|[\\s)"'»,.;:!?])`)

/** Params masked so only the catalogue's own words are checked; nested Texts are rendered, not masked. */
function mask(t: Text): Text {
  const params: Record<string, TextParam> = {}
  for (const [k, v] of Object.entries(t.params ?? {}))
    params[k] = v !== null && typeof v === 'object' ? mask(v) : '⟨p⟩'
  return { code: t.code, params }
}

function frenchOf(f: Finding): { part: string; text: string }[] {
  const out: { part: string; text: string }[] = []
  out.push({ part: 'title', text: f.titleText ? renderText('fr', mask(f.titleText)) : f.title })
  out.push({
    part: 'detail',
    text: f.detailText ? f.detailText.map((t) => renderText('fr', mask(t))).join(' ') : f.detail
  })
  if (f.fix !== undefined || f.fixText)
    out.push({ part: 'fix', text: f.fixText ? renderText('fr', mask(f.fixText)) : (f.fix ?? '') })
  return out
}

/** English words left in a French rendering, as "id part: word in context". */
export function englishLeft(findings: Finding[]): string[] {
  const bad: string[] = []
  for (const f of findings)
    for (const { part, text } of frenchOf(f)) {
      const m = ENGLISH.exec(text)
      if (m) bad.push(`${f.id} ${part}: "${m[1]}" in ${JSON.stringify(text.slice(0, 140))}`)
    }
  return bad
}

describe('French renderings of backend findings', () => {
  it('the detector sees English and accepts French', () => {
    const en: Finding = {
      id: 'x',
      severity: 'info',
      title: 'Could not check the record',
      detail: '',
      evidence: []
    }
    const fr: Finding = {
      id: 'y',
      severity: 'info',
      title: "Impossible de vérifier l'enregistrement",
      detail: 'Le serveur a refusé le message ; une liste de blocage le mentionne.',
      evidence: []
    }
    expect(englishLeft([en])).toHaveLength(1)
    expect(englishLeft([fr])).toEqual([])
  })

  let all: Record<string, Finding[]>
  beforeAll(async () => {
    all = await allFindings()
  })

  for (const producer of PRODUCERS) {
    it(`${producer}: findings are produced and rendered in French without English words`, () => {
      expect(all[producer].length, `${producer} produced no findings`).toBeGreaterThan(0)
      expect(englishLeft(all[producer])).toEqual([])
    })

    it(`${producer}: every finding carries Texts for its title, detail and fix`, () => {
      const without = all[producer]
        .filter((f) => !f.titleText || !f.detailText || (f.fix !== undefined && !f.fixText))
        .map((f) => f.id)
      expect(without).toEqual([])
    })
  }
})
