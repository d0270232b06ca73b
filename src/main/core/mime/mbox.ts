import { decodeBytes, normalizeNewlines } from './text-decode'

/**
 * mbox splitting (RFC 4155 and the mboxrd convention): a message starts at a line beginning with "From ".
 * Body lines that began with "From " were written as ">From " (mboxrd quotes any number of '>'), so we remove one
 * '>' from lines matching /^>+From /. Returns the messages as LF text without the separator line.
 */
export function splitMbox(input: Uint8Array | string): string[] {
  const text = normalizeNewlines(typeof input === 'string' ? input : decodeBytes(input).text)
  const out: string[] = []
  const re = /^From [^\n]*$/gm
  const starts: number[] = []
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) {
    // A separator is preceded by a blank line (or the file start) in well-formed mbox files.
    if (m.index === 0 || text.slice(Math.max(0, m.index - 2), m.index) === '\n\n' || starts.length === 0) {
      starts.push(m.index)
    }
  }
  if (starts.length === 0) return text.trim() ? [text] : []
  for (let i = 0; i < starts.length; i++) {
    const chunk = text.slice(starts[i], starts[i + 1] ?? text.length)
    const nl = chunk.indexOf('\n')
    const body = nl < 0 ? '' : chunk.slice(nl + 1)
    const unescaped = body.replace(/^>(>*From )/gm, '$1').replace(/\n$/, '')
    if (unescaped.trim()) out.push(unescaped)
  }
  return out
}
