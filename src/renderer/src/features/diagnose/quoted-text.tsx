import { Code, Mark } from '@mantine/core'
import type { EvidenceSpan } from '@shared/schemas/common'

/**
 * A diagnostic or header value with the evidence spans marked. Built from text nodes and <Mark> only: message
 * data never becomes HTML. Overlapping spans are merged so every character is marked at most once.
 */
export function QuotedText({ text, spans }: { text: string; spans: EvidenceSpan[] }) {
  const ranges = spans
    .filter((s) => s.start !== undefined && s.end !== undefined && s.end > s.start && s.end <= text.length)
    .map((s) => [s.start!, s.end!] as [number, number])
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
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {parts}
    </Code>
  )
}
