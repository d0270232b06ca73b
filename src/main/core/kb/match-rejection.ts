import { z } from 'zod'
import data from '../../../../resources/rejections.json'
import { RejectionEntry, type MatchRejectionOptions, type RejectionMatch } from '../../../shared/schemas/kb'
import { requiredLiteral } from '../match/required-literal'
import { SubstringIndex } from '../match/substring-index'

/**
 * Matches an SMTP rejection text (reply line, DSN Diagnostic-Code or NDR text) against the provider knowledge
 * base in resources/rejections.json. Entries are validated once with zod and their regexes compiled once;
 * a broken entry fails loudly at load time rather than silently never matching.
 */

interface Compiled {
  entry: RejectionEntry
  regexes: RegExp[]
  /** Per regex: the index in `literals` of a substring every match contains (lowercase), if one is known. */
  needs: (number | undefined)[]
}

let compiled: Compiled[] | undefined
/**
 * The required substrings of all patterns (required-literal.ts). Running some 270 regexes over every reply is the
 * cost of matching; one pass over the lowercased reply (SubstringIndex) tells which of them cannot match.
 */
let literals: SubstringIndex | undefined

export function getRejectionEntries(): RejectionEntry[] {
  return load().map((c) => c.entry)
}

function load(): Compiled[] {
  if (compiled) return compiled
  const entries = z.array(RejectionEntry).parse((data as { entries: unknown }).entries)
  const ids = new Set<string>()
  const literalIds = new Map<string, number>()
  // Both built before either is kept: a failure here must not leave one set without the other.
  const built = entries.map((entry) => {
    if (ids.has(entry.id)) throw new Error(`rejections.json: duplicate id ${entry.id}`)
    ids.add(entry.id)
    const needs = entry.patterns.map((p) => {
      const lit = requiredLiteral(p)
      if (lit === undefined) return undefined
      if (!literalIds.has(lit)) literalIds.set(lit, literalIds.size)
      return literalIds.get(lit)
    })
    return { entry, regexes: entry.patterns.map((p) => new RegExp(p, 'i')), needs }
  })
  literals = new SubstringIndex([...literalIds.keys()])
  compiled = built
  return compiled
}

/** Enhanced status code (RFC 3463 §2: class.subject.detail) and reply code (RFC 5321 §4.2) found in the text. */
export function extractCodes(text: string): { status?: string; replyCode?: number } {
  const status = /(?:^|[\s(#;:[-])([245])\.(\d{1,3})\.(\d{1,3})(?=$|[\s),;:\]-])/.exec(text)
  const reply = /(?:^|[\s:;#(])([245]\d\d)(?=[\s-])/.exec(text)
  return {
    status: status ? `${status[1]}.${status[2]}.${status[3]}` : undefined,
    replyCode: reply ? Number(reply[1]) : undefined
  }
}

/**
 * Multi-line SMTP replies (RFC 5321 §4.2.1) repeat "550-5.7.1 " at the start of every line, and DSNs re-wrap
 * them, so phrases get split ("not have a 550-5.7.1 PTR record"). Matching runs on a copy with those
 * continuation prefixes removed and whitespace collapsed; `map` turns offsets in the copy back into offsets in
 * the original text, so highlighting still points at what the user pasted.
 */
export function normaliseReply(text: string): { text: string; map: number[] } {
  const first = /^\s*([245]\d\d)[- ]/.exec(text)?.[1]
  let drop: Uint8Array | undefined
  if (first) {
    const re = new RegExp(`(?<=\\S)\\s+${first}[- ](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s+)?`, 'g')
    for (const m of text.matchAll(re)) {
      drop ??= new Uint8Array(text.length)
      // Keep one space where the marker was, drop the rest.
      for (let i = (m.index ?? 0) + 1; i < (m.index ?? 0) + m[0].length; i++) drop[i] = 1
    }
  }
  // Kept characters are copied in runs (one slice per run rather than one concatenation per character).
  let out = ''
  let runStart = -1
  const flush = (end: number): void => {
    if (runStart >= 0) out += text.slice(runStart, end)
    runStart = -1
  }
  const map: number[] = []
  let lastSpace = false
  for (let i = 0; i < text.length; i++) {
    if (drop?.[i]) {
      flush(i)
      continue
    }
    const c = text.charCodeAt(i)
    const space = isWhiteSpace(c)
    if (space && lastSpace) {
      flush(i)
      continue
    }
    if (space && c !== 0x20) {
      flush(i)
      out += ' '
    } else if (runStart < 0) runStart = i
    map.push(i)
    lastSpace = space
  }
  flush(text.length)
  return { text: out, map }
}

/** The code units `\s` matches (ECMA-262 WhiteSpace and LineTerminator), without a regex call per character. */
export function isWhiteSpace(c: number): boolean {
  return c <= 0x20
    ? c === 0x20 || (c >= 0x09 && c <= 0x0d)
    : c >= 0xa0 &&
        (c === 0xa0 ||
          c === 0x1680 ||
          (c >= 0x2000 && c <= 0x200a) ||
          c === 0x2028 ||
          c === 0x2029 ||
          c === 0x202f ||
          c === 0x205f ||
          c === 0x3000 ||
          c === 0xfeff)
}

function statusMatches(allowed: string[], status: string): boolean {
  return allowed.some((a) => (a.endsWith('.*') ? status.startsWith(a.slice(0, -1)) : a === status))
}

/**
 * Returns every entry whose patterns match, best first. Ranking: the entry's confidence, plus a bonus when its
 * status/reply-code constraint was checked against a known code, plus a small bonus for longer matches (a long
 * specific phrase is stronger evidence than a short code). Entries whose constraint contradicts a known code
 * are dropped: a 5.1.1 text is not a 5.7.1 policy rejection even if some words overlap.
 */
export function matchRejection(text: string, options: MatchRejectionOptions = {}): RejectionMatch[] {
  const norm = normaliseReply(text)
  const found = extractCodes(text)
  const status = options.status ?? found.status
  const replyCode = options.replyCode ?? found.replyCode
  const out: RejectionMatch[] = []
  const entries = load()
  const present = literals!.find(norm.text.toLowerCase())
  for (const { entry, regexes, needs } of entries) {
    let bonus = 0
    if (entry.status && status) {
      if (!statusMatches(entry.status, status)) continue
      bonus += 0.05
    }
    if (entry.replyCode && replyCode !== undefined) {
      if (!entry.replyCode.includes(replyCode)) continue
      bonus += 0.03
    }
    let best: { index: number; text: string; pattern: string } | undefined
    regexes.forEach((re, i) => {
      const need = needs[i]
      if (need !== undefined && !present[need]) return
      const m = re.exec(norm.text)
      if (m && m[0].length > 0 && (!best || m[0].length > best.text.length))
        best = { index: m.index, text: m[0], pattern: entry.patterns[i] }
    })
    if (!best) continue
    const start = norm.map[best.index]
    const end = norm.map[best.index + best.text.length - 1] + 1
    const { examples: _examples, patterns: _patterns, ...rest } = entry
    out.push({
      entry: rest,
      pattern: best.pattern,
      matchedText: text.slice(start, end),
      start,
      end,
      score: Math.round((entry.confidence + bonus + Math.min(best.text.length / 400, 0.1)) * 1000) / 1000
    })
  }
  return out.sort((a, b) => b.score - a.score)
}
