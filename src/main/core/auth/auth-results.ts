import type { AuthResultEntry, ReceivedSpf } from '../../../shared/schemas/message'

/**
 * Parsers for recorded authentication header fields:
 * - Authentication-Results (RFC 8601 §2.2): authserv-id [version] ; method[/version]=result [reason=...] ptype.property=value ...
 * - ARC-Authentication-Results (RFC 8617 §4.1.1): the same, prefixed with "i=N;"
 * - Received-SPF (RFC 7208 §9.1): result [(comment)] key=value; key=value ...
 *
 * Real headers bend the grammar: Microsoft 365 omits the authserv-id, Yahoo writes "dmarc=pass(p=REJECT)" with no
 * space, some MTAs separate results with spaces instead of ";". The lexer is forgiving and never throws.
 */

interface Lexeme {
  kind: 'pair' | 'word' | 'comment' | 'semi'
  key?: string
  value?: string
  text?: string
}

const MAX_LEN = 16384

/** Methods registered with IANA (RFC 8601 §6.7 registry) plus vendor methods seen in the wild. */
const KNOWN_METHODS = new Set([
  'auth',
  'dkim',
  'dkim-adsp',
  'dkim-atps',
  'dmarc',
  'domainkeys',
  'iprev',
  'rrvs',
  'sender-id',
  'smime',
  'spf',
  'vbr',
  'arc',
  'bimi',
  'dnswl',
  'compauth',
  'x-tls',
  'x-original-to',
  'x-google-dkim'
])

function readQuoted(s: string, i: number): [string, number] {
  let out = ''
  i++
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\' && i + 1 < s.length) i++
    out += s[i]
    i++
  }
  return [out, i + 1]
}

function readComment(s: string, i: number): [string, number] {
  let depth = 0
  const start = i
  for (; i < s.length; i++) {
    const ch = s[i]
    if (ch === '\\') i++
    else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) break
  }
  return [s.slice(start + 1, Math.min(i, s.length)).trim(), i + 1]
}

const isWs = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'

function lex(input: string): Lexeme[] {
  const s = input.length > MAX_LEN ? input.slice(0, MAX_LEN) : input
  const out: Lexeme[] = []
  let i = 0
  const stop = (c: string): boolean => isWs(c) || c === '(' || c === ';' || c === '"'
  while (i < s.length) {
    const c = s[i]
    if (isWs(c)) {
      i++
    } else if (c === ';') {
      out.push({ kind: 'semi' })
      i++
    } else if (c === '(') {
      const [text, next] = readComment(s, i)
      out.push({ kind: 'comment', text })
      i = next
    } else if (c === '"') {
      const [text, next] = readQuoted(s, i)
      out.push({ kind: 'word', text })
      i = next
    } else {
      const start = i
      while (i < s.length && !stop(s[i]) && s[i] !== '=') i++
      const key = s.slice(start, i)
      let j = i
      while (j < s.length && isWs(s[j])) j++
      if (s[j] === '=' && key) {
        j++
        while (j < s.length && isWs(s[j])) j++
        let value = ''
        if (s[j] === '"') {
          ;[value, j] = readQuoted(s, j)
        } else {
          const vs = j
          while (j < s.length && !stop(s[j])) j++
          value = s.slice(vs, j)
        }
        out.push({ kind: 'pair', key, value })
        i = j
      } else if (key) {
        out.push({ kind: 'word', text: key })
      } else {
        i++ // a stray "="
      }
    }
  }
  return out
}

export interface ParsedAuthResults {
  authservId?: string
  instance?: number
  results: AuthResultEntry[]
}

/** Parse an Authentication-Results or ARC-Authentication-Results value. Never throws. */
export function parseAuthResults(value: string): ParsedAuthResults {
  const lexemes = lex(typeof value === 'string' ? value : '')
  const out: ParsedAuthResults = { results: [] }
  let i = 0
  // ARC: "i=1; authserv-id; ..." (RFC 8617 §4.1.1).
  if (
    lexemes[0]?.kind === 'pair' &&
    lexemes[0].key?.toLowerCase() === 'i' &&
    /^\d+$/.test(lexemes[0].value ?? '')
  ) {
    out.instance = Number(lexemes[0].value)
    i = 1
    while (lexemes[i]?.kind === 'semi' || lexemes[i]?.kind === 'comment') i++
  }
  // authserv-id: a word before the first ";" (RFC 8601 §2.2), optionally followed by a version number.
  if (lexemes[i]?.kind === 'word') {
    out.authservId = lexemes[i].text
    i++
    if (lexemes[i]?.kind === 'word' && /^\d+$/.test(lexemes[i].text ?? '')) i++
  }
  let cur: AuthResultEntry | undefined
  for (; i < lexemes.length; i++) {
    const l = lexemes[i]
    if (l.kind === 'semi') {
      cur = undefined
    } else if (l.kind === 'comment') {
      if (cur) cur.comments.push(l.text ?? '')
    } else if (l.kind === 'word') {
      // "none" means no authentication was done (RFC 8601 §2.2); other stray words are ignored.
      if (cur && !cur.result) cur.result = l.text ?? ''
    } else {
      const key = (l.key ?? '').toLowerCase()
      const val = l.value ?? ''
      const method = key.split('/')[0]
      // A bare known method name starts a new resinfo even without ";" (some MTAs separate results by spaces).
      const startsNew = !cur || (!key.includes('.') && key !== 'reason' && KNOWN_METHODS.has(method))
      if (startsNew) {
        // Yahoo-style "dmarc=pass(p=REJECT)": the lexer stops values at "(", so the comment follows as its own lexeme.
        cur = { method, result: val.toLowerCase(), comments: [], props: {} }
        out.results.push(cur)
      } else if (cur) {
        if (key === 'reason') cur.reason = val
        else cur.props[key] = val
      }
    }
  }
  return out
}

/**
 * Parse Received-SPF (RFC 7208 §9.1): `result (comment) key=value; key=value`. Keys are case-insensitive; values
 * may be quoted.
 */
export function parseReceivedSpf(value: string, headerIndex = 0): ReceivedSpf {
  const raw = typeof value === 'string' ? value : ''
  const lexemes = lex(raw)
  const out: ReceivedSpf = { headerIndex, result: 'unknown', raw }
  let seenResult = false
  for (const l of lexemes) {
    if (!seenResult && l.kind === 'word') {
      out.result = (l.text ?? '').toLowerCase()
      seenResult = true
    } else if (l.kind === 'comment' && out.comment === undefined) {
      out.comment = l.text
    } else if (l.kind === 'pair') {
      const key = (l.key ?? '').toLowerCase()
      const v = l.value ?? ''
      if (key === 'client-ip') out.clientIp = v
      else if (key === 'envelope-from') out.envelopeFrom = v.replace(/^<|>$/g, '')
      else if (key === 'helo') out.helo = v
      else if (key === 'receiver') out.receiver = v
      else if (key === 'identity') out.identity = v
      else if (key === 'mechanism') out.mechanism = v
      else if (key === 'problem') out.problem = v
    }
  }
  return out
}
