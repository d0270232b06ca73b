import type { EvidenceSpan, Finding, Severity } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { renderText, renderTexts } from './render'

/**
 * A finding whose words are Texts (code + params, see shared/text.ts): the UI and the reports render them in the
 * reader's language, and `title`, `detail` and `fix` carry the English rendering for the CLI and older data.
 */
export interface TextFindingInput {
  id: string
  severity: Severity
  title: Text
  /** One Text or several, rendered as one paragraph. */
  detail: Text | Text[]
  fix?: Text
  current?: string
  fixRecord?: string
  remedy?: string
  evidence?: EvidenceSpan[]
}

export function textFinding(f: TextFindingInput): Finding {
  const detail = Array.isArray(f.detail) ? f.detail : [f.detail]
  const out: Finding = {
    id: f.id,
    severity: f.severity,
    titleText: f.title,
    detailText: detail,
    title: renderText('en', f.title),
    detail: renderTexts('en', detail),
    evidence: f.evidence ?? []
  }
  if (f.fix !== undefined) {
    out.fixText = f.fix
    out.fix = renderText('en', f.fix)
  }
  if (f.current !== undefined) out.current = f.current
  if (f.fixRecord !== undefined) out.fixRecord = f.fixRecord
  if (f.remedy !== undefined) out.remedy = f.remedy
  return out
}

/** Several problems as one Text, "a; b; c" in every language (checks:list.join is punctuation, not words). */
export function joinTexts(ts: Text[]): Text {
  return ts.slice(1).reduce<Text>((acc, t) => text('checks:list.join', { a: acc, b: t }), ts[0])
}
