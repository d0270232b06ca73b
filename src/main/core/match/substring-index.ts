/**
 * Which of a fixed set of substrings occur in a text, in one pass over the text.
 *
 * Asking `text.includes(s)` for hundreds of strings scans the same text hundreds of times. Here the strings are
 * indexed once by their first three characters; one pass over the text looks up the three characters at each
 * position and confirms the few candidates with `startsWith`, so the key only has to narrow them down.
 * Comparison is exact (case-sensitive): callers lowercase both sides when they want case-insensitive matching.
 */

export const MIN_INDEXED_LENGTH = 3

// Ten bits of each of the three characters: a small integer key (a fast Map key); characters that share their low
// bits only add candidates, which startsWith then rejects.
const keyAt = (s: string, i: number): number =>
  ((s.charCodeAt(i) & 0x3ff) << 20) | ((s.charCodeAt(i + 1) & 0x3ff) << 10) | (s.charCodeAt(i + 2) & 0x3ff)

export class SubstringIndex {
  private readonly byKey = new Map<number, { s: string; id: number }[]>()

  /** Strings shorter than MIN_INDEXED_LENGTH cannot be indexed: a programming error, thrown at load time. */
  constructor(readonly strings: readonly string[]) {
    strings.forEach((s, id) => {
      if (s.length < MIN_INDEXED_LENGTH) throw new Error(`SubstringIndex: "${s}" is too short to index`)
      const k = keyAt(s, 0)
      const list = this.byKey.get(k)
      if (list) list.push({ s, id })
      else this.byKey.set(k, [{ s, id }])
    })
  }

  /** found[i] is 1 when strings[i] occurs in `text`. */
  find(text: string): Uint8Array {
    const found = new Uint8Array(this.strings.length)
    for (let i = 0; i + MIN_INDEXED_LENGTH <= text.length; i++) {
      const candidates = this.byKey.get(keyAt(text, i))
      if (!candidates) continue
      for (const c of candidates) if (text.startsWith(c.s, i)) found[c.id] = 1
    }
    return found
  }
}
