import { compauthMeaning } from '../auth/recorded'
import type { AntispamReport } from '../../../shared/schemas/antispam'
import type { BounceReason, BounceRecipient } from '../../../shared/schemas/bounce'
import type { EvidenceSpan } from '../../../shared/schemas/common'
import type { KbUrl, RejectionMatch } from '../../../shared/schemas/kb'
import type { AuthCheck, RecordedAuth, RecordedVerdict } from '../../../shared/schemas/message'
import type {
  CauseFinding,
  ListedOn,
  NextStep,
  SignalKind,
  Verdict,
  VerdictCause,
  RemedyId,
  VerdictQuote
} from '../../../shared/schemas/verdict'
import type { HeaderField } from '../../../shared/schemas/analysis'
import { matchRejectionText } from '../blocklist/rejection-text'
import { matchRejection } from '../kb'
import { renderText, renderTexts } from '../text/render'
import { kbKey, text, type Text } from '../../../shared/text'
import { senderIpsInText } from './parties'
import { readReply } from './read-reply'

/**
 * The verdict: which cause explains a rejection, with the exact text that says so.
 *
 * Every source of evidence becomes a *signal* (cause, confidence, spans). Signals for the same cause are combined
 * with a noisy-OR (1 − Π(1 − cᵢ)): two independent hints (a Spamhaus zone named in the reply *and* an RFC 3463
 * 5.7.1 policy status) make us surer than either alone, but never certain. The strongest cause is the primary one;
 * the others stay visible as secondary causes (a listed IP and a failing DMARC often come together).
 *
 * Sources, strongest first:
 * - the rejection knowledge base (resources/rejections.json): provider-specific texts such as Microsoft S3150;
 * - blocklist zones named in the reply (resources/blocklists.json), e.g. "blocked using zen.spamhaus.org";
 * - enhanced status codes with one meaning (RFC 3463, RFC 7372 5.7.10, RFC 7372/IANA 5.7.23-5.7.27);
 * - the sisimai reason the bounce parser classified;
 * - recorded authentication of the returned message (dmarc=fail, compauth=fail) and a re-verification today;
 * - anti-spam verdicts written into the returned message.
 */

export interface VerdictAuthInput {
  /** Prefix for evidence sources, e.g. "original:" for the message a bounce returned. */
  prefix: string
  headers: HeaderField[]
  recorded?: RecordedAuth
  now?: AuthCheck
}

export interface VerdictInput {
  recipients: BounceRecipient[]
  auth: VerdictAuthInput[]
  antispam: { prefix: string; report: AntispamReport }[]
  /** The sender's IP (parties.sender.ip): the only IP a verdict may call the sender's. */
  sendingIp?: string | null
  /** The receiving side's IPs: never reported as the IP the rejection is about. */
  receiverIps?: string[]
}

interface Signal {
  cause: VerdictCause
  kind: SignalKind
  confidence: number
  title: Text
  detail: Text[]
  evidence: EvidenceSpan[]
  match?: RejectionMatch
}

/** sisimai reasons (go-sisimai reason/*.go descriptions) mapped to the cause an admin acts on. */
const REASON_CAUSE: Partial<Record<BounceReason, [VerdictCause, number]>> = {
  authfailure: ['authentication', 0.55],
  badreputation: ['reputation', 0.5],
  // "blocked": refused because of the client IP (a DNSBL, a provider block or a missing PTR): a weak hint.
  blocked: ['reputation', 0.3],
  requireptr: ['reverse-dns', 0.55],
  norelaying: ['relay-denied', 0.55],
  spamdetected: ['content-spam', 0.5],
  contenterror: ['content-spam', 0.35],
  virusdetected: ['content-spam', 0.45],
  policyviolation: ['recipient-policy', 0.35],
  filtered: ['recipient-policy', 0.3],
  rejected: ['recipient-policy', 0.25],
  userunknown: ['recipient-unknown', 0.6],
  hostunknown: ['recipient-unknown', 0.55],
  hasmoved: ['recipient-unknown', 0.5],
  mailboxfull: ['mailbox', 0.6],
  suspend: ['mailbox', 0.5],
  exceedlimit: ['mailbox', 0.35],
  ratelimited: ['rate-limit', 0.55],
  speeding: ['rate-limit', 0.5],
  toomanyconn: ['rate-limit', 0.5],
  failedstarttls: ['tls-required', 0.55],
  securityerror: ['authentication', 0.3]
}

/**
 * Enhanced status codes whose meaning is specific enough to name a cause on their own (RFC 3463; RFC 7372 for
 * 5.7.10/5.7.11 and 5.7.23-5.7.27; Microsoft's documented 5.7.606-649 banned-IP and 5.7.515 authentication codes).
 * Generic codes such as 5.7.1 are deliberately absent: they say "policy", not which one.
 */
const STATUS_CAUSE: [RegExp, VerdictCause, number][] = [
  [/^5\.1\.(1|10|3)$/, 'recipient-unknown', 0.55],
  [/^5\.1\.2$/, 'recipient-unknown', 0.45],
  [/^[45]\.2\.2$/, 'mailbox', 0.55],
  [/^5\.2\.1$/, 'mailbox', 0.4],
  [/^5\.7\.(23|24|26|27|515)$/, 'authentication', 0.6],
  [/^5\.7\.25$/, 'reverse-dns', 0.6],
  [/^5\.7\.(10|11)$/, 'tls-required', 0.55],
  [/^5\.7\.(6\d\d|511)$/, 'reputation', 0.45],
  [/^5\.7\.28$/, 'reputation', 0.4],
  [/^4\.7\.28$/, 'rate-limit', 0.45],
  [/^[45]\.7\.0$/, 'other', 0.05]
]

const title = (cause: VerdictCause): Text => text(`verdict:title.${cause}`)

/** Next steps per cause: the remedy (a fix generator or workflow) and the sentence that says what to do. */
const REMEDIES: Record<VerdictCause, [RemedyId, string][]> = {
  authentication: [
    ['spf-builder', 'spf-builder'],
    ['dkim-keygen', 'dkim-keygen'],
    ['dmarc-planner', 'dmarc-planner']
  ],
  blocklist: [['delist', 'delist']],
  reputation: [
    ['delist', 'delistProvider'],
    ['content-lint', 'content-lint-reputation']
  ],
  'relay-denied': [['relay-fix', 'relay-fix']],
  'reverse-dns': [['rdns-request', 'rdns-request']],
  'content-spam': [['content-lint', 'content-lint']],
  'recipient-policy': [['contact-provider', 'contact-provider']],
  'recipient-unknown': [['check-recipient', 'check-recipient']],
  mailbox: [['check-recipient', 'check-recipient-mailbox']],
  'rate-limit': [['slow-down', 'slow-down']],
  'tls-required': [['enable-tls', 'enable-tls']],
  // the remote offers no TLS: enabling it on our side changes nothing (RFC 3207 §4)
  'tls-unavailable': [['contact-provider', 'tls-remote']],
  other: [['contact-provider', 'contact-other']]
}

function steps(cause: VerdictCause): NextStep[] {
  return REMEDIES[cause].map(([remedy, key]) => {
    const t = text(`verdict:step.${key}`)
    return { remedy, text: t, label: renderText('en', t) }
  })
}

/**
 * The IP a rejection is about ("Client host [192.0.2.1]", "messages from [x]", "banned sending IP [x]"): the
 * sender's, never the server the reporting MTA quotes as the one that answered (see parties.ts).
 */
export function ipInText(text: string): string | undefined {
  return senderIpsInText(text)[0]
}

const round = (n: number) => Math.round(n * 100) / 100
const httpOnly = (u: string | undefined) => (u && /^https?:\/\//i.test(u) ? u : undefined)

function diagnosticText(r: BounceRecipient): string {
  return r.diagnosticCode ?? [r.replyCode, r.status].filter(Boolean).join(' ')
}

/**
 * The recorded authentication results the verdict turns into signals (collectSignals): dmarc and compauth "fail",
 * spf "fail", "softfail" or "permerror". Exported so the ingest's light path (originalEvidence) can tell when no
 * recorded field can give a signal, from the same definition.
 */
const FAILED = /^fail$/i
export const SIGNALLING_RESULT = /^(fail|softfail|permerror)$/i

/** Finds `method=result` inside a recorded header value, for highlighting (RFC 8601 §2.2 resinfo syntax). */
function authSpan(prefix: string, headers: HeaderField[], v: RecordedVerdict): EvidenceSpan | undefined {
  const h = headers[v.source.headerIndex]
  const source = `${prefix}${v.source.header}#${v.source.headerIndex}`
  if (!h) return { source, text: `${v.method}=${v.result}` }
  const re = new RegExp(`\\b${v.method}\\s*=\\s*${v.result.replace(/[^a-z0-9]/gi, '')}\\b`, 'i')
  const m = re.exec(h.value)
  return m
    ? { source, text: m[0], start: m.index, end: m.index + m[0].length }
    : { source, text: `${v.method}=${v.result}` }
}

function collectSignals(input: VerdictInput, quotes: Map<string, string>, listedOn: ListedOn[]): Signal[] {
  const signals: Signal[] = []
  const seenLists = new Set<string>()
  input.recipients.forEach((r, i) => {
    const reply = diagnosticText(r)
    const source = `diagnostic:${r.recipient || i + 1}`
    if (reply) quotes.set(source, reply)
    const codes = [r.replyCode, r.status].filter(Boolean).join(' ')
    // "to bob@example (550 5.7.1)", rendered in the reader's language; the address and codes stay verbatim
    const whereText = r.recipient
      ? text(codes ? 'verdict:where.recipient' : 'verdict:where.recipientNoCode', {
          recipient: r.recipient,
          codes
        })
      : text(codes ? 'verdict:where.codes' : 'verdict:where.none', { codes })
    const w = { where: whereText }
    const replyCode = r.replyCode && /^\d{3}$/.test(r.replyCode) ? Number(r.replyCode) : undefined
    if (reply) {
      // Knowledge base: the best match per cause; its confidence is the entry's own (capped: a text can lie).
      const perCause = new Set<string>()
      for (const m of matchRejection(reply, { status: r.status || undefined, replyCode })) {
        if (perCause.has(m.entry.cause)) continue
        perCause.add(m.entry.cause)
        signals.push({
          cause: m.entry.cause,
          kind: 'kb',
          confidence: Math.min(0.95, m.entry.confidence),
          title: text(kbKey(m.entry.id, 'title')),
          detail: [
            text('verdict:detail.kbRefused', { ...w, provider: m.entry.provider }),
            text(kbKey(m.entry.id, 'explanation')),
            text(kbKey(m.entry.id, 'fix'))
          ],
          evidence: [{ source, text: m.matchedText, start: m.start, end: m.end }],
          match: m
        })
      }
      // Blocklists named in the reply: DNS lists are "blocklist" evidence; provider entries only add a link.
      // The IP the reply quotes is looked for only once a list is named: most replies name none.
      let ip: string | undefined
      let ipRead = false
      for (const b of matchRejectionText(reply)) {
        if (b.list.kind === 'allow' || b.list.kind === 'info') continue
        if (!ipRead) {
          const quotedIp = ipInText(reply)
          ip = quotedIp && !input.receiverIps?.includes(quotedIp) ? quotedIp : undefined
          ipRead = true
        }
        const key = `${b.list.id}:${ip ?? ''}`
        if (!seenLists.has(key)) {
          seenLists.add(key)
          listedOn.push({
            list: b.list.id,
            name: b.list.name,
            ...(ip ? { target: ip } : {}),
            ...(httpOnly(b.list.removal.url) ? { delistUrl: b.list.removal.url } : {})
          })
        }
        if (b.list.kind !== 'block') continue
        signals.push({
          cause: 'blocklist',
          kind: 'blocklist',
          confidence: b.strength === 'zone' ? 0.85 : 0.6,
          title: text('verdict:title.listedOn', { list: b.list.name }),
          detail: [
            text(ip ? 'verdict:detail.listNamedIp' : 'verdict:detail.listNamed', {
              ...w,
              list: b.list.name,
              ip
            }),
            ...(b.list.defunct ? [text('verdict:detail.listDefunct')] : [])
          ],
          evidence: [{ source, text: b.match, start: b.index, end: b.index + b.match.length }]
        })
      }
    }
    // Nothing documented explains it: read the words themselves (who refused what, in which direction)
    const documented = signals.some((s) => s.evidence.some((e) => e.source === source))
    const reading = reply && !documented ? readReply(reply) : undefined
    if (reading) {
      signals.push({
        cause: reading.cause,
        kind: 'words',
        confidence: reading.confidence,
        title: title(reading.cause),
        detail: [text(`verdict:words.${reading.subject}`, { ...w, because: reading.because })],
        evidence: [
          { source, text: reply.slice(reading.start, reading.end), start: reading.start, end: reading.end }
        ]
      })
    }
    // Once a provider text, a named list or the reply's own words explain this reply, the status code and the
    // parser's reason only corroborate causes already found: a generic "blocked" reason must not invent a second
    // cause (a daily quota with a 5.7.1 is a rate limit, not a reputation block).
    const explained = new Set(
      signals.filter((s) => s.evidence.some((e) => e.source === source)).map((s) => s.cause)
    )
    const admit = (c: VerdictCause) => explained.size === 0 || explained.has(c)
    if (r.status) {
      const hit = STATUS_CAUSE.find(([re]) => re.test(r.status!))
      if (hit && admit(hit[1])) {
        const at = reply.indexOf(r.status)
        signals.push({
          cause: hit[1],
          kind: 'status',
          confidence: hit[2],
          title: title(hit[1]),
          detail: [text('verdict:detail.status', { ...w, status: r.status })],
          evidence:
            at >= 0
              ? [{ source, text: r.status, start: at, end: at + r.status.length }]
              : [{ source, text: r.status }]
        })
      }
    }
    const byReason = REASON_CAUSE[r.reason]
    if (byReason && admit(byReason[0])) {
      signals.push({
        cause: byReason[0],
        kind: 'reason',
        confidence: byReason[1],
        title: title(byReason[0]),
        detail: [text('verdict:detail.reason', { ...w, reason: r.reason })],
        evidence: []
      })
    }
    if ((replyCode === 421 || replyCode === 450 || replyCode === 451) && admit('rate-limit')) {
      // A temporary refusal (RFC 5321 §4.2.5) is often throttling; weak on its own.
      signals.push({
        cause: 'rate-limit',
        kind: 'status',
        confidence: 0.15,
        title: title('rate-limit'),
        detail: [text('verdict:detail.temporary', w)],
        evidence: []
      })
    }
  })

  // Authentication the receiver recorded in the returned message, and what a re-verification says today.
  for (const a of input.auth) {
    const rec = a.recorded
    if (rec?.dmarc && FAILED.test(rec.dmarc.result)) {
      const span = authSpan(a.prefix, a.headers, rec.dmarc)
      if (span?.start !== undefined) quotes.set(span.source, a.headers[rec.dmarc.source.headerIndex].value)
      signals.push({
        cause: 'authentication',
        kind: 'auth',
        confidence: 0.45,
        title: text('verdict:title.dmarcRecorded'),
        detail: [
          rec.dmarc.props['header.from']
            ? text('verdict:detail.dmarcRecordedFor', { from: rec.dmarc.props['header.from'] })
            : text('verdict:detail.dmarcRecorded'),
          ...(rec.dmarc.props['action']
            ? [text('verdict:detail.dmarcAction', { action: rec.dmarc.props['action'] })]
            : [])
        ],
        evidence: span ? [span] : []
      })
    }
    if (rec?.compauth && FAILED.test(rec.compauth.result)) {
      const span = authSpan(a.prefix, a.headers, rec.compauth)
      if (span?.start !== undefined) quotes.set(span.source, a.headers[rec.compauth.source.headerIndex].value)
      signals.push({
        cause: 'authentication',
        kind: 'auth',
        confidence: 0.45,
        title: text('verdict:title.compauthRecorded'),
        detail: [
          rec.compauth.decoded
            ? text('verdict:detail.compauthReason', {
                code: rec.compauth.decoded.code,
                // The documented meaning in the reader's language (auth.json compauth.<pattern>).
                meaning: compauthMeaning(rec.compauth.decoded)
              })
            : text('verdict:detail.compauthRecorded')
        ],
        evidence: span ? [span] : []
      })
    }
    if (rec?.spf && SIGNALLING_RESULT.test(rec.spf.result)) {
      const span = authSpan(a.prefix, a.headers, rec.spf)
      if (span?.start !== undefined) quotes.set(span.source, a.headers[rec.spf.source.headerIndex].value)
      signals.push({
        cause: 'authentication',
        kind: 'auth',
        confidence: 0.25,
        title: text('verdict:title.spfRecorded', { result: rec.spf.result.toLowerCase() }),
        detail: [text('verdict:detail.spfRecorded', { result: rec.spf.result.toLowerCase() })],
        evidence: span ? [span] : []
      })
    }
    // Re-verification: only real failures count; not_checked / could_not_check never become evidence (issue 3).
    if (a.now?.dmarc.state === 'fail') {
      signals.push({
        cause: 'authentication',
        kind: 'auth',
        confidence: 0.3,
        title: text('verdict:title.dmarcToday'),
        detail: [
          a.now.dmarc.fromDomain
            ? text('verdict:detail.dmarcTodayFor', {
                result: a.now.dmarc.result,
                from: a.now.dmarc.fromDomain
              })
            : text('verdict:detail.dmarcToday', { result: a.now.dmarc.result })
        ],
        evidence: [
          { source: `${a.prefix}reverify`, text: a.now.dmarc.explanation ?? `dmarc=${a.now.dmarc.result}` }
        ]
      })
    }
  }

  for (const { prefix, report } of input.antispam) {
    for (const v of report.vendors) {
      if (v.verdict !== 'spam' && v.verdict !== 'phish' && v.verdict !== 'bulk') continue
      signals.push({
        cause: 'content-spam',
        kind: 'antispam',
        confidence: v.verdict === 'bulk' ? 0.2 : 0.35,
        title: text('verdict:title.antispam', {
          label: v.label,
          verdict: text(`antispam:verdict.${v.verdict}`)
        }),
        detail: [text('verdict:detail.antispam', { summary: v.summaryText ?? v.summary })],
        evidence: [{ source: `${prefix}${v.headers[0] ?? v.vendor}`, text: v.summary }]
      })
    }
  }
  return signals
}

/** Signals for one cause, strongest first, combined with a noisy-OR (see the module comment), capped below 1. */
function noisyOr(sorted: Signal[]): number {
  return Math.min(0.99, 1 - sorted.reduce((p, s) => p * (1 - s.confidence), 1))
}

/** Signals grouped by cause, in the order the causes were first seen (that order breaks ties). */
function byCauseOf(signals: Signal[]): Map<VerdictCause, Signal[]> {
  const byCause = new Map<VerdictCause, Signal[]>()
  for (const s of signals) {
    const list = byCause.get(s.cause)
    if (list) list.push(s)
    else byCause.set(s.cause, [s])
  }
  return byCause
}

/** "other" only wins when nothing else is there: it is the absence of an explanation, not a cause. */
const causeOrder = (a: { cause: VerdictCause; confidence: number }, b: typeof a) =>
  (a.cause === 'other' ? 1 : 0) - (b.cause === 'other' ? 1 : 0) || b.confidence - a.confidence

/**
 * The verdict's cause alone, as `computeVerdict(input)?.cause` decides it (same signals, same ranking), without
 * building the texts, evidence and next steps: for bulk classification (issue 12's sending-health ingest), which
 * only needs to know whether a refusal is about the sender.
 */
export function verdictCause(input: VerdictInput): VerdictCause | undefined {
  const signals = collectSignals(input, new Map(), [])
  if (signals.length === 0 && input.recipients.length === 0) return undefined
  let primary: { cause: VerdictCause; confidence: number } | undefined
  for (const [cause, list] of byCauseOf(signals)) {
    const c = { cause, confidence: round(noisyOr([...list].sort((a, b) => b.confidence - a.confidence))) }
    if (!primary || causeOrder(c, primary) < 0) primary = c
  }
  return primary?.cause ?? 'other'
}

function combine(
  cause: VerdictCause,
  signals: Signal[]
): CauseFinding & { best: Signal; titleText: Text; summaryText: Text[] } {
  const sorted = [...signals].sort((a, b) => b.confidence - a.confidence)
  const best = sorted[0]
  const confidence = noisyOr(sorted)
  const evidence: EvidenceSpan[] = []
  const seen = new Set<string>()
  for (const s of sorted)
    for (const e of s.evidence) {
      const k = `${e.source}:${e.start ?? ''}:${e.end ?? ''}:${e.text}`
      if (!seen.has(k)) {
        seen.add(k)
        evidence.push(e)
      }
    }
  // A knowledge-base or blocklist explanation is the paragraph; code-level hints only fill in when alone.
  const strong = sorted.filter(
    (s) =>
      s.kind === 'kb' ||
      s.kind === 'blocklist' ||
      s.kind === 'auth' ||
      s.kind === 'antispam' ||
      s.kind === 'words'
  )
  // the first two distinct explanations, in order
  // (linear: a DSN can list thousands of recipients, each with a signal)
  const details: Text[][] = []
  const seenDetails = new Set<string>()
  for (const s of strong.length ? strong : sorted) {
    const key = JSON.stringify(s.detail)
    if (seenDetails.has(key)) continue
    seenDetails.add(key)
    details.push(s.detail)
    if (details.length === 2) break
  }
  const titleText = best.title
  const summaryText = details.slice(0, 2).flat()
  return {
    cause,
    titleText,
    summaryText,
    title: renderText('en', titleText),
    summary: renderTexts('en', summaryText),
    confidence: round(confidence),
    signals: [...new Set(sorted.map((s) => s.kind))],
    evidence,
    ...(best.match ? { kbId: best.match.entry.id, provider: best.match.entry.provider } : {}),
    best
  }
}

/** Combines every signal into the verdict; undefined when nothing points at a rejection. */
export function computeVerdict(input: VerdictInput): Verdict | undefined {
  const quotes = new Map<string, string>()
  const listedOn: ListedOn[] = []
  const signals = collectSignals(input, quotes, listedOn)
  const hasRejection = input.recipients.length > 0
  if (signals.length === 0 && !hasRejection) return undefined

  const causes = [...byCauseOf(signals).entries()].map(([c, s]) => combine(c, s)).sort(causeOrder)

  const first = input.recipients[0]
  const ip = listedOn.find((l) => l.target)?.target ?? input.sendingIp ?? undefined

  if (causes.length === 0) {
    const reply = first ? diagnosticText(first) : ''
    const titleText = title('other')
    const summaryText = [
      text('verdict:summary.unexplained', {
        to: first?.recipient ? text('verdict:summary.to', { recipient: first.recipient }) : '',
        text: reply.slice(0, 300)
      })
    ]
    return {
      cause: 'other',
      ...(first ? { reason: first.reason } : {}),
      titleText,
      summaryText,
      title: renderText('en', titleText),
      summary: renderTexts('en', summaryText),
      confidence: 0.2,
      evidence: reply
        ? [{ source: `diagnostic:${first.recipient || 1}`, text: reply, start: 0, end: reply.length }]
        : [],
      quotes: [...quotes].map(([source, text]) => ({ source, text })),
      nextSteps: steps('other'),
      urls: [],
      listedOn,
      ...(ip ? { ip } : {}),
      secondary: []
    }
  }

  const [primary, ...rest] = causes
  // Generic: no provider text, named list, recorded authentication or anti-spam verdict backs the cause, only
  // the reply's words and codes. Say so, and be modest about it.
  const generic = !primary.signals.some(
    (k) => k === 'kb' || k === 'blocklist' || k === 'auth' || k === 'antispam'
  )
  // Without a rejection (a plain message), auth or spam hints say what *would* get it rejected: be modest.
  const confidence = !hasRejection
    ? round(Math.min(primary.confidence, 0.5))
    : generic
      ? round(Math.min(primary.confidence, 0.55))
      : primary.confidence
  const kb = primary.best.match?.entry
  const delistUrl =
    httpOnly(kb?.delistUrl) ??
    (primary.cause === 'blocklist' || primary.cause === 'reputation'
      ? listedOn.find((l) => l.delistUrl)?.delistUrl
      : undefined)
  const urls: KbUrl[] = []
  for (const c of causes)
    for (const u of c.best.match?.entry.urls ?? []) if (!urls.some((x) => x.url === u.url)) urls.push(u)
  const nextSteps: NextStep[] = steps(primary.cause).map((s) =>
    s.remedy === 'delist' || s.remedy === 'contact-provider'
      ? { ...s, ...(delistUrl ? { url: delistUrl } : {}) }
      : s
  )
  for (const c of rest)
    for (const s of steps(c.cause))
      if (c.confidence >= 0.3 && !nextSteps.some((n) => n.remedy === s.remedy)) nextSteps.push(s)

  // Secondary causes are listed on their own (verdict card, reports); the summary explains the primary one.
  const summaryText: Text[] = [...primary.summaryText]
  if (listedOn.length && primary.cause !== 'blocklist')
    summaryText.push(
      text(ip ? 'verdict:summary.namesIp' : 'verdict:summary.names', {
        lists: listedOn.map((l) => l.name).join(', '),
        ip
      })
    )
  if (!hasRejection) summaryText.unshift(text('verdict:summary.noRejection'))
  else if (generic) summaryText.push(text('verdict:summary.generic'))

  const usedSources = new Set(causes.flatMap((c) => c.evidence.map((e) => e.source)))
  const quoteList: VerdictQuote[] = [...quotes]
    .filter(([s]) => usedSources.has(s) || s.startsWith('diagnostic:'))
    .map(([source, text]) => ({ source, text }))

  return {
    cause: primary.cause,
    ...(first ? { reason: first.reason } : {}),
    titleText: primary.titleText,
    summaryText,
    title: primary.title,
    summary: renderTexts('en', summaryText),
    confidence,
    evidence: primary.evidence,
    quotes: quoteList,
    nextSteps,
    urls,
    ...(delistUrl ? { delistUrl } : {}),
    listedOn,
    ...(ip ? { ip } : {}),
    ...(generic && hasRejection ? { generic: true } : {}),
    secondary: rest.map(({ best: _best, ...c }) => c)
  }
}
