import { getDomain } from 'tldts'
import type { Hop, HopAnomaly, HopChain, HopEdge, HopEndpoint, HopTls } from '../../../shared/schemas/message'
import { findTrailingDate, parseMailDate } from './date'
import { familyOf } from './provider-orgs'
import { classifyIp, cleanIp, isInternalIp } from './ip'

/**
 * Received-chain analysis.
 *
 * A `Received:` field is a trace field (RFC 5321 §4.4, RFC 5322 §3.6.7):
 *   Received: from <helo> (<reverse> [<ip>]) by <host> via <link> with <protocol> id <id> for <rcpt>; <date-time>
 * Every clause is optional, comments may appear anywhere, and every MTA has its own dialect, so the parser is a
 * small tokenizer plus clause-keyed heuristics rather than a grammar. It never throws: unreadable input becomes a
 * hop with an `unknown-format` anomaly.
 */

export interface HeaderField {
  name: string
  value: string
}

export interface ReceivedOptions {
  /**
   * Domains known to belong to the receiving organisation (recipient domain, authserv-id...). The organisation of
   * the most recent hop's `by` host is always added.
   */
  receivingDomains?: string[]
  /** Analysis time, for `future-date`. Defaults to no future check. */
  now?: Date
}

interface Token {
  kind: 'word' | 'comment'
  text: string
}

interface Clause {
  key: string
  words: string[]
  comments: string[]
  raw: string
}

const KEYWORDS = new Set(['from', 'by', 'via', 'with', 'id', 'for'])
const MAX_FIELD = 8192
const SKEW_SEC = 300
const LONG_DELAY_SEC = 3600

/** Split a trace field into words and (possibly nested) comments. Linear in the input length. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++
    } else if (c === '(') {
      let depth = 0
      const start = i
      for (; i < n; i++) {
        const ch = text[i]
        if (ch === '\\') i++
        else if (ch === '(') depth++
        else if (ch === ')' && --depth === 0) break
      }
      tokens.push({ kind: 'comment', text: text.slice(start + 1, Math.min(i, n)).trim() })
      i++
    } else {
      const start = i
      const close = c === '<' ? '>' : c === '[' ? ']' : c === '"' ? '"' : ''
      if (close) {
        const end = text.indexOf(close, i + 1)
        i = end < 0 ? n : end + 1
      }
      while (i < n && !/[\s(]/.test(text[i])) i++
      const word = text.slice(start, i).replace(/[;,]+$/, '')
      if (word) tokens.push({ kind: 'word', text: word })
    }
  }
  return tokens
}

/** Index of the last `;` outside comments (RFC 5321 §4.4: the date-time follows the last semicolon). */
function lastTopLevelSemicolon(text: string): number {
  let depth = 0
  let last = -1
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\\') i++
    else if (ch === '(') depth++
    else if (ch === ')') depth = Math.max(0, depth - 1)
    else if (ch === ';' && depth === 0) last = i
  }
  return last
}

function clauses(tokens: Token[]): { preamble: string[]; list: Clause[] } {
  const preamble: string[] = []
  const list: Clause[] = []
  let cur: Clause | undefined
  for (const t of tokens) {
    if (t.kind === 'word' && KEYWORDS.has(t.text.toLowerCase()) && !(cur && cur.words.length === 0)) {
      cur = { key: t.text.toLowerCase(), words: [], comments: [], raw: t.text }
      list.push(cur)
      continue
    }
    if (!cur) {
      preamble.push(t.text)
      continue
    }
    if (t.kind === 'word') cur.words.push(t.text)
    else cur.comments.push(t.text)
    cur.raw += t.kind === 'word' ? ` ${t.text}` : ` (${t.text})`
  }
  return { preamble, list }
}

const stripDot = (h: string): string => h.replace(/\.+$/, '')
const isHostname = (h: string): boolean =>
  /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_-]+)+\.?$/i.test(h)

function findIp(texts: string[]): string | undefined {
  // Bracketed literals first ([192.0.2.1], [IPv6:2001:db8::1]): they are what the MTA saw on the socket.
  for (const t of texts) {
    const re = /\[([^\]]{2,60})\]/g
    let m: RegExpExecArray | null
    while ((m = re.exec(t))) {
      const ip = cleanIp(m[1])
      if (ip) return ip
    }
  }
  // Then bare addresses: Microsoft "(2603:10a6:208:1::12)", qmail "(203.0.113.5)" or "(user@203.0.113.5)".
  for (const t of texts) {
    for (const part of t.split(/[\s()=@,;]+/)) {
      if (!part || part.length > 60) continue
      const ip = cleanIp(part)
      if (ip) return ip
    }
  }
  return undefined
}

function parseFrom(c: Clause): HopEndpoint {
  const value = c.words[0] ?? ''
  const comments = c.comments.join(' ')
  const ep: HopEndpoint = { raw: c.raw }
  const ip = findIp([value, ...c.comments])
  if (ip) ep.ip = ip
  // Exim "helo=name", qmail "HELO name", some relays "EHLO name".
  const heloM = /\b(?:helo|ehlo)\s*[= ]\s*([^\s)\];,]+)/i.exec(comments)
  const valueIsLiteral = value.startsWith('[') || !!cleanIp(value)
  if (heloM) {
    ep.host = stripDot(heloM[1])
    // Exim and qmail put the verified reverse name (or "unknown") first when they record the HELO separately.
    if (value && !valueIsLiteral && value.toLowerCase() !== 'unknown') ep.reverse = stripDot(value)
  } else {
    if (value && value.toLowerCase() !== 'unknown') ep.host = valueIsLiteral ? value : stripDot(value)
    // Postfix / Sendmail / Google: "from helo (reverse [ip])"; "unknown" means no PTR.
    const revM = /(?:^|[\s(])([a-z0-9_][a-z0-9_.-]*)\s*\[/i.exec(comments)
    if (revM && revM[1].toLowerCase() !== 'unknown' && isHostname(revM[1])) ep.reverse = stripDot(revM[1])
  }
  return ep
}

function parseBy(c: Clause): HopEndpoint {
  const value = c.words[0] ?? ''
  const ep: HopEndpoint = { raw: c.raw }
  const literal = cleanIp(value)
  if (literal) ep.ip = literal
  else {
    if (value) ep.host = stripDot(value)
    const ip = findIp(c.comments)
    if (ip) ep.ip = ip
  }
  return ep
}

function detectSoftware(comments: string[], withText: string | undefined): string | undefined {
  if (withText && /microsoft smtp server/i.test(withText)) return 'Microsoft SMTP Server'
  for (const c of comments) {
    if (/\bpostfix\b/i.test(c)) return 'Postfix'
    const exim = /\bexim\s+([\d.]+)/i.exec(c)
    if (exim) return `Exim ${exim[1]}`
    const sendmail = /^(\d+\.\d+\.\d+)(?:\/[\d.]+)?(?:\/[\w.-]+)?$/.exec(c.trim())
    if (sendmail) return `Sendmail ${sendmail[1]}`
    if (/\bqmail\b/i.test(c)) return 'qmail'
  }
  return undefined
}

const TLS_PROTOCOLS = /^(?:ESMTPS|ESMTPSA|LMTPS|LMTPSA|UTF8SMTPS|UTF8SMTPSA|UTF8LMTPS|UTF8LMTPSA|HTTPS)$/
const PLAIN_PROTOCOLS = /^(?:ESMTP|ESMTPA|LMTP|LMTPA|UTF8SMTP|UTF8SMTPA|UTF8LMTP|UTF8LMTPA)$/

function detectTls(allComments: string, withWords: string[], protocol: string | undefined): HopTls {
  const tls: HopTls = { used: null }
  const version =
    /\bversion\s*=\s*(TLS[v_ ]?[\d._]+|SSLv?\d)/i.exec(allComments)?.[1] ??
    /\busing\s+(TLSv?[\d.]+|SSLv?\d)/i.exec(allComments)?.[1] ??
    /(?:^|\s)(TLSv?1[._]\d)(?:\s|$|:)/i.exec(allComments)?.[1]
  const cipher =
    /\bcipher\s*[= ]\s*([A-Za-z0-9_-]{4,})/i.exec(allComments)?.[1] ??
    (withWords[1]?.toLowerCase() === 'tls' && withWords[2] ? withWords[2].split(':')[0] : undefined)
  if (version) tls.version = version
  if (cipher) tls.cipher = cipher
  // RFC 3848: the "S" suffix records STARTTLS; the plain keywords record its absence.
  if (version || cipher || (protocol && TLS_PROTOCOLS.test(protocol))) tls.used = true
  else if (protocol && PLAIN_PROTOCOLS.test(protocol)) tls.used = false
  return tls
}

interface ParsedReceived {
  hop: Omit<Hop, 'index' | 'delaySec' | 'anomalies'>
  notes: Array<{ code: HopAnomaly['code']; severity: HopAnomaly['severity']; message: string }>
  dateMs: number | null
}

/** Parse one Received value (unfolded). Never throws. */
export function parseReceived(value: string, headerIndex = 0): ParsedReceived {
  const raw = typeof value === 'string' ? value : String(value)
  const text = raw.length > MAX_FIELD ? raw.slice(0, MAX_FIELD) : raw
  const notes: ParsedReceived['notes'] = []
  let head = text
  let dateRaw: string | undefined
  const semi = lastTopLevelSemicolon(text)
  if (semi >= 0) {
    head = text.slice(0, semi)
    dateRaw = text.slice(semi + 1).trim() || undefined
  } else {
    const at = findTrailingDate(text)
    if (at > 0) {
      head = text.slice(0, at)
      dateRaw = text.slice(at).trim()
      notes.push({
        code: 'missing-semicolon',
        severity: 'info',
        message:
          'The date is not separated by ";" as RFC 5321 §4.4 requires; it was recovered from the end of the field.'
      })
    }
  }

  const { preamble, list } = clauses(tokenize(head))
  const get = (k: string): Clause | undefined => list.find((c) => c.key === k)
  const fromC = get('from')
  const byC = get('by')
  const withC = get('with')
  const hop: ParsedReceived['hop'] = { headerIndex, local: false, tls: { used: null }, raw }
  if (fromC) hop.from = parseFrom(fromC)
  if (byC) hop.by = parseBy(byC)
  const via = get('via')
  if (via?.words.length) hop.via = via.words.join(' ')
  if (withC?.words.length) {
    const joined = withC.words.join(' ')
    const ms = /microsoft smtp server/i.test(joined)
    hop.with = ms ? 'Microsoft SMTP Server' : withC.words[0]
    hop.protocol = ms ? 'Microsoft SMTP Server' : withC.words[0].toUpperCase()
  }
  const id = get('id')
  if (id?.words[0]) hop.id = id.words[0]
  const forC = get('for')
  if (forC?.words[0]) hop.for = forC.words[0].replace(/^<|>$/g, '')

  const allComments = [...preamble, ...list.flatMap((c) => c.comments)]
  const software = detectSoftware(allComments, withC?.words.join(' '))
  if (software) hop.software = software
  hop.tls = detectTls(allComments.join(' ; '), withC?.words ?? [], hop.protocol)

  // Local notes: qmail "(qmail 1234 invoked by uid 1001)" / "(qmail 1234 invoked from network)" (MHA #335), and
  // pickups such as Postfix "by host (Postfix, from userid 1000)": the message did not cross the network here.
  const preambleText = preamble.join(' ')
  if (!fromC && !byC) {
    if (/\binvoked\b|\bqmail\b|\buid\b/i.test(preambleText) || preamble.length > 0) hop.local = true
    if (!hop.local || !/\binvoked\b|\bqmail\b|\buid\b|\buserid\b/i.test(preambleText)) {
      notes.push({
        code: 'unknown-format',
        severity: 'warning',
        message: 'Neither a "from" nor a "by" clause could be recognised in this Received field.'
      })
    }
  } else if (!fromC) {
    const c = allComments.join(' ')
    if (/\bfrom userid\b|\binvoked by uid\b|\buid \d+\b/i.test(c) || /^local$/i.test(hop.protocol ?? ''))
      hop.local = true
  }

  let dateMs: number | null = null
  if (dateRaw) {
    hop.dateRaw = dateRaw
    const parsed = parseMailDate(dateRaw)
    if (parsed) {
      dateMs = parsed.date.getTime()
      hop.date = parsed.date.toISOString()
      if (parsed.notes.length) {
        notes.push({
          code: 'obsolete-date',
          severity: 'info',
          message: `Date accepted with lenient parsing (RFC 5322 §4.3): ${parsed.notes.join(', ')}.`
        })
      }
    } else {
      notes.push({
        code: 'unparsable-date',
        severity: 'warning',
        message: `The date "${dateRaw.slice(0, 80)}" could not be read.`
      })
    }
  } else {
    notes.push({ code: 'missing-date', severity: 'warning', message: 'This Received field carries no date.' })
  }

  const ip = hop.from?.ip
  if (ip) {
    const cls = classifyIp(ip)
    if (cls === 'private')
      notes.push({
        code: 'private-ip',
        severity: 'info',
        message: `${ip} is private address space (normal for internal hops).`
      })
    else if (cls === 'loopback')
      notes.push({
        code: 'loopback-ip',
        severity: 'info',
        message: `${ip} is a loopback address (local delivery or a content filter).`
      })
    else if (cls === 'reserved')
      notes.push({
        code: 'reserved-ip',
        severity: 'warning',
        message: `${ip} is special-use/reserved space and cannot be a real Internet client.`
      })
  }
  return { hop, notes, dateMs }
}

export function orgOf(host: string | undefined): string | undefined {
  if (!host) return undefined
  const h = stripDot(host.toLowerCase())
  if (!isHostname(h)) return undefined
  return getDomain(h) ?? undefined
}

function expandOrgs(orgs: Iterable<string>): Set<string> {
  const out = new Set<string>()
  for (const o of orgs) {
    out.add(o)
    for (const d of familyOf(o)?.domains ?? []) out.add(d)
  }
  return out
}

/** The receiving organisation's edge: where the message entered it from outside (see module docs). */
function findEdge(hops: Hop[], orgs: Set<string>): HopEdge | null {
  const inside = (host: string | undefined): boolean => {
    const o = orgOf(host)
    return !!o && orgs.has(o)
  }
  const orgList = [...orgs].slice(0, 3).join(', ') || 'the receiving organisation'
  const mk = (h: Hop, reason: string, confidence: HopEdge['confidence']): HopEdge => {
    const e: HopEdge = { index: h.index, reason, confidence }
    if (h.from?.ip) e.ip = h.from.ip
    if (h.from?.host) e.helo = h.from.host
    if (h.from?.reverse) e.reverse = h.from.reverse
    if (h.by?.host ?? h.by?.ip) e.by = h.by?.host ?? h.by?.ip
    return e
  }
  for (let i = hops.length - 1; i >= 0; i--) {
    const h = hops[i]
    if (h.local || !h.from) continue
    const f = h.from
    // Prefer the reverse name the receiver looked up: the HELO name is chosen by the client and can be forged.
    const named = f.reverse ?? f.host
    const internal = isInternalIp(f.ip) || (!!named && inside(named))
    if (internal) continue
    const byInside = inside(h.by?.host) || (!h.by?.host && !!h.by?.ip)
    const who = [f.reverse ?? f.host, f.ip].filter(Boolean).join(' ')
    const by = h.by?.host ?? h.by?.ip ?? 'an unnamed host'
    if (!f.ip) {
      return mk(
        h,
        `Hop ${h.index + 1}: ${by} received the message from ${who || 'an unnamed client'} outside ${orgList}, but did not record the client IP.`,
        'medium'
      )
    }
    if (!byInside) {
      return mk(
        h,
        `Hop ${h.index + 1}: first hop from the top whose client (${who}) is outside ${orgList}; its receiver ${by} is not recognisably part of the organisation.`,
        'medium'
      )
    }
    return mk(
      h,
      `Hop ${h.index + 1}: ${by} (${orgList}) accepted the connection from ${who}, the first client outside the organisation counting from the most recent hop; every later hop is internal (private IP or same organisation).`,
      'high'
    )
  }
  const first = hops.find((h) => !h.local && h.from)
  if (!first) return null
  return mk(
    first,
    `Every hop stays inside ${orgList} (private IPs or the same organisation); using the earliest hop with a client as the entry point. This looks like internal mail.`,
    'low'
  )
}

/**
 * Build the hop chain from an ordered header list (top of message first). Hops come out sender-first, each with
 * the delay from the previous dated network hop; local notes get no delay and do not break the chain.
 */
export function analyzeReceived(headers: HeaderField[], options: ReceivedOptions = {}): HopChain {
  const received: Array<{ value: string; idx: number }> = []
  for (const h of headers ?? []) {
    if (h && typeof h.name === 'string' && h.name.trim().toLowerCase() === 'received') {
      received.push({
        value: typeof h.value === 'string' ? h.value : String(h.value ?? ''),
        idx: received.length
      })
    }
  }
  const parsed = received.map((r) => {
    try {
      return parseReceived(r.value, r.idx)
    } catch {
      // Defensive: parseReceived is written not to throw; a bug must not take the whole analysis down.
      return {
        hop: { headerIndex: r.idx, local: false, tls: { used: null }, raw: r.value },
        notes: [
          {
            code: 'unknown-format' as const,
            severity: 'warning' as const,
            message: 'This Received field could not be parsed.'
          }
        ],
        dateMs: null
      }
    }
  })
  parsed.reverse()

  const hops: Hop[] = []
  const anomalies: HopAnomaly[] = []
  let prevMs: number | null = null
  let prevIndex = -1
  let firstMs: number | null = null
  let lastMs: number | null = null
  let dated = 0
  const nowMs = options.now?.getTime()
  parsed.forEach((p, index) => {
    const hopAnoms: HopAnomaly[] = p.notes.map((n) => ({ ...n, hop: index }))
    let delaySec: number | null = null
    if (!p.hop.local && p.dateMs !== null) {
      if (prevMs !== null) {
        delaySec = Math.round((p.dateMs - prevMs) / 1000)
        if (delaySec < 0) {
          hopAnoms.push({
            code: 'negative-delay',
            severity: 'warning',
            message: `Received ${-delaySec} s before hop ${prevIndex + 1} handed it over: the clocks of the two servers disagree.`,
            hop: index
          })
          if (delaySec <= -SKEW_SEC) {
            const hours = -delaySec / 3600
            const tz = Math.abs(hours - Math.round(hours)) < 0.05 && Math.round(hours) > 0
            hopAnoms.push({
              code: 'clock-skew',
              severity: 'warning',
              message: tz
                ? `Clock skew of ${Math.round(hours)} h: one server probably writes local time with the wrong zone offset.`
                : `Clock skew of ${Math.round(-delaySec / 60)} min between this server and the previous one.`,
              hop: index
            })
          }
        } else if (delaySec > LONG_DELAY_SEC) {
          hopAnoms.push({
            code: 'long-delay',
            severity: 'info',
            message: `${Math.round(delaySec / 60)} min passed since the previous hop (queueing, greylisting or retries).`,
            hop: index
          })
        }
      }
      prevMs = p.dateMs
      prevIndex = index
      firstMs ??= p.dateMs
      lastMs = p.dateMs
      dated++
    }
    if (nowMs !== undefined && p.dateMs !== null && p.dateMs > nowMs + SKEW_SEC * 1000) {
      hopAnoms.push({
        code: 'future-date',
        severity: 'warning',
        message: 'This timestamp lies in the future.',
        hop: index
      })
    }
    const hop: Hop = { ...p.hop, index, delaySec, anomalies: hopAnoms }
    hops.push(hop)
    anomalies.push(...hopAnoms)
  })

  const orgSeeds = new Set<string>()
  for (const d of options.receivingDomains ?? []) {
    const o = orgOf(d) ?? d.toLowerCase()
    if (o) orgSeeds.add(o)
  }
  for (let i = hops.length - 1; i >= 0; i--) {
    const o = hops[i].local ? undefined : orgOf(hops[i].by?.host)
    if (o) {
      orgSeeds.add(o)
      break
    }
  }
  const orgs = expandOrgs(orgSeeds)

  return {
    hops,
    totalDelaySec:
      dated >= 2 && firstMs !== null && lastMs !== null ? Math.round((lastMs - firstMs) / 1000) : null,
    edge: findEdge(hops, orgs),
    receivingOrgs: [...orgs],
    anomalies
  }
}
