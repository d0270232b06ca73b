import { MIN_INDEXED_LENGTH } from './substring-index'

/**
 * A lowercase ASCII string that every match of a case-insensitive regex must contain, read from the regex
 * source, or undefined when none can be read safely. Used to skip regexes that cannot match a text: a substring
 * test on the lowercased text is far cheaper than running the regex, and hundreds of regexes per text add up.
 *
 * Conservative by construction (undefined or a shorter string is always safe, a wrong string never is):
 * - a top-level `|` gives up (each alternative would need its own literal);
 * - groups, character classes, `.`, anchors and escapes such as `\d` or `\b` end a run of literal characters;
 * - a character followed by a quantifier (`?`, `*`, `+`, `{`) is left out and ends the run;
 * - only ASCII characters count: with the `i` flag and without `u`, an ASCII pattern character matches only the
 *   same ASCII letter in either case (ECMA-262 Canonicalize keeps non-ASCII characters from mapping to ASCII),
 *   and lowercasing a text maps those letters one to one.
 * The longest run is returned.
 */
const QUANTIFIER_BOUNDS = /^\{\d+(?:,\d*)?\}/

/** The regex must be compiled without the u or v flag (see above); the callers compile with 'i' alone. */
export function requiredLiteral(source: string, minLength = MIN_INDEXED_LENGTH): string | undefined {
  const runs: string[] = []
  let run = ''
  const end = (): void => {
    if (run) runs.push(run)
    run = ''
  }
  const quantifierAt = (i: number): boolean => i < source.length && '?*+{'.includes(source[i])
  let i = 0
  while (i < source.length) {
    const c = source[i]
    if (c === '|') return undefined
    if (c === '{') {
      // A quantifier's bounds ("{0,80}") are not characters of the text. Without the u flag a "{" that does not
      // form {n}, {n,} or {n,m} is a literal brace (Annex B), and skipping to a "}" could jump over a "|": give up.
      const bounds = QUANTIFIER_BOUNDS.exec(source.slice(i, i + 24))
      if (!bounds) return undefined
      end()
      i += bounds[0].length
      continue
    }
    if (c === '(' || c === '[') {
      end()
      i = skipGroup(source, i)
      if (i < 0) return undefined
      continue
    }
    let lit: string | undefined
    let next = i + 1
    if (c === '\\') {
      const e = source[i + 1]
      if (e === undefined) return undefined
      next = i + 2
      // escapes with arguments (\x41, \u0041, \cJ, \k<name>, \p{L}) or back-references: give up
      if (/[xuckpP0-9]/.test(e)) return undefined
      // an escaped punctuation character is itself; \d, \b, \n, \s ... are not plain characters
      if (!/[A-Za-z]/.test(e)) lit = e
    } else if (!'.^$?*+}])'.includes(c)) lit = c
    if (lit !== undefined && lit.charCodeAt(0) < 128 && !quantifierAt(next)) {
      run += lit.toLowerCase()
    } else end()
    i = next
  }
  end()
  const best = runs.reduce((a, b) => (b.length > a.length ? b : a), '')
  return best.length >= minLength ? best : undefined
}

/** Index just past the group or class opening at `start` (escapes and nested groups/classes respected); -1 if unclosed. */
function skipGroup(source: string, start: number): number {
  let depth = 0
  let inClass = false
  for (let i = start; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') {
        inClass = false
        if (depth === 0) return i + 1
      }
      continue
    }
    if (c === '[') inClass = true
    else if (c === '(') depth++
    else if (c === ')') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return -1
}
