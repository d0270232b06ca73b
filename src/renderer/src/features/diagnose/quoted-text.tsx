import { Code, Mark } from '@mantine/core'
import { useState } from 'react'
import type { EvidenceSpan } from '@shared/schemas/common'
import { LONG_TEXT_LIMIT, ShowAllButton, WRAP_ANYWHERE } from '../../components/long-text'

/**
 * A diagnostic or header value with the evidence spans marked. Built from text nodes and <Mark> only: message
 * data never becomes HTML. Overlapping spans are merged so every character is marked at most once. A quote longer
 * than LONG_TEXT_LIMIT is cut (marks past the cut wait for "show all"), like every other value from a message.
 */
export function QuotedText({ text: full, spans }: { text: string; spans: EvidenceSpan[] }) {
  const [expanded, setExpanded] = useState(false)
  const cut = !expanded && full.length > LONG_TEXT_LIMIT
  const text = cut ? full.slice(0, LONG_TEXT_LIMIT) : full
  const ranges = spans
    .filter((s) => s.start !== undefined && s.end !== undefined && s.end > s.start && s.end <= full.length)
    .map((s) => [s.start!, Math.min(s.end!, text.length)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const r of ranges) {
    const last = merged.at(-1)
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([...r])
  }
  const parts: React.ReactNode[] = []
  let i = 0
  merged.forEach(([s, e], k) => {
    parts.push(
      text.slice(i, s),
      <Mark key={k} data-testid="evidence-mark">
        {text.slice(s, e)}
      </Mark>
    )
    i = e
  })
  parts.push(text.slice(i))
  if (cut) parts.push('…')
  return (
    <>
      <Code block style={WRAP_ANYWHERE}>
        {parts}
      </Code>
      {full.length > LONG_TEXT_LIMIT && (
        <ShowAllButton expanded={expanded} length={full.length} onToggle={() => setExpanded((x) => !x)} />
      )}
    </>
  )
}
