import type {
  Analysis,
  AuthAnalysis,
  BounceInfo,
  EvidenceKind,
  HeaderField,
  OriginalAnalysis
} from '../../../shared/schemas/analysis'
import type { AntispamReport } from '../../../shared/schemas/antispam'
import type { BounceResult } from '../../../shared/schemas/bounce'
import type { Finding } from '../../../shared/schemas/common'
import type { HopChain } from '../../../shared/schemas/message'
import { decodeAntispam } from '../antispam'
import { analyzeRecordedAuth } from '../auth/recorded'
import { parseBounce, parseSmtpText, type ParseBounceOptions } from '../bounce'
import { analyzeReceived } from '../headers/received'
import { parseMessageSync, type ParsedMessage } from '../mime'
import { text, type Text } from '../../../shared/text'
import { renderText, renderTexts } from '../text/render'
import { identifyParties } from './parties'
import { computeVerdict, SIGNALLING_RESULT, type VerdictInput } from './verdict'

function addr(a?: { name: string; address: string }): string | null {
  if (!a) return null
  return a.name ? `${a.name} <${a.address}>` : a.address
}

function domainOf(address: string | undefined | null): string | null {
  const at = address?.lastIndexOf('@') ?? -1
  if (!address || at < 0) return null
  return (
    address
      .slice(at + 1)
      .toLowerCase()
      .replace(/[>\s]+$/, '') || null
  )
}

/** The address in a formatted "Name <address>" (or a bare address). */
const addressOf = (s: string): string => (/<([^<>]+)>\s*$/.exec(s)?.[1] ?? s).trim()

/** Findings from several analyses in one list, first occurrence of an id wins (Finding.id is the dedup key). */
export function dedupFindings(...lists: (Finding[] | undefined)[]): Finding[] {
  const seen = new Set<string>()
  const out: Finding[] = []
  for (const list of lists)
    for (const f of list ?? []) {
      if (seen.has(f.id)) continue
      seen.add(f.id)
      out.push(f)
    }
  return out
}

/** The pieces every message analysis shares: summary, hops, recorded auth, anti-spam. No DNS, no bodies. */
function analyzeHeaders(msg: ParsedMessage): {
  summary: Analysis['summary']
  chain: HopChain
  auth: AuthAnalysis
  antispam: AntispamReport
  fromDomain: string | null
} {
  const header = (n: string) => msg.headers.find((h) => h.name.toLowerCase() === n)?.value ?? null
  const recipientDomains = msg.to.map((t) => domainOf(t.address)).filter((d): d is string => !!d)
  const chain = analyzeReceived(msg.headers, { receivingDomains: recipientDomains })
  return {
    summary: {
      from: addr(msg.from),
      to: msg.to.map((t) => addr(t)).join(', ') || null,
      subject: msg.subject ?? null,
      date: msg.date ?? null,
      messageId: msg.messageId ?? null,
      returnPath: header('return-path')
    },
    chain,
    auth: { recorded: analyzeRecordedAuth(msg.headers, { chain, receivingDomains: recipientDomains }) },
    antispam: decodeAntispam(msg.headers),
    fromDomain: domainOf(msg.from?.address)
  }
}

/** The message a bounce returned (RFC 3464 §2 third part): parsed, analysed, bodies dropped. */
export async function analyzeOriginal(raw: string, headersOnly: boolean): Promise<OriginalAnalysis> {
  return analyzeOriginalSync(raw, headersOnly)
}

export function analyzeOriginalSync(raw: string, headersOnly: boolean): OriginalAnalysis {
  // Only its header block is read below: the MIME walk of its body would be wasted work.
  const msg = parseMessageSync(raw, { keepContentMax: 0, skipBody: true })
  const h = analyzeHeaders(msg)
  return {
    headersOnly: headersOnly || msg.headersOnly,
    summary: h.summary,
    headers: msg.headers,
    hops: h.chain.hops,
    totalDelaySec: h.chain.totalDelaySec,
    edge: h.chain.edge,
    hopAnomalies: h.chain.anomalies,
    // filled in by analyzeParsed from the parties: which IP is the sender's depends on the bounce around it
    sendingIp: null,
    sendingDomain: h.fromDomain,
    auth: h.auth,
    antispam: h.antispam
  }
}

/**
 * What a verdict reads from a bounce's returned original: its recorded authentication and anti-spam verdicts, plus
 * its Message-ID and header fields. The Received chain only decides which authentication fields the receiver
 * wrote, and a verdict only reads failing results; so the chain (a second parse and the whole header analysis, as
 * `analyzeOriginal` does it) is analysed only when some authentication field of the original records a failure.
 * Otherwise no choice of fields can give the verdict a signal, and the fields are read without a chain.
 */
export function originalEvidence(raw: string): {
  headers: HeaderField[]
  messageId: string | null
  auth: AuthAnalysis
  antispam: AntispamReport
} {
  const msg = parseMessageSync(raw, { keepContentMax: 0, fieldsOnly: true })
  const recorded = analyzeRecordedAuth(msg.headers)
  const failing =
    [...recorded.authResults, ...recorded.arcResults].some((a) =>
      a.results.some((r) => SIGNALLING_RESULT.test(r.result))
    ) || recorded.receivedSpf.some((r) => SIGNALLING_RESULT.test(r.result))
  if (failing) {
    // The receiving domains (the To: addresses) and the chain are needed: the whole header analysis.
    const full = parseMessageSync(raw, { keepContentMax: 0, skipBody: true })
    const h = analyzeHeaders(full)
    return { headers: full.headers, messageId: h.summary.messageId, auth: h.auth, antispam: h.antispam }
  }
  return {
    headers: msg.headers,
    messageId: msg.messageId ?? null,
    auth: { recorded },
    antispam: decodeAntispam(msg.headers)
  }
}

export function bounceInfo(b: BounceResult): BounceInfo {
  const { original, ...rest } = b
  return {
    ...rest,
    ...(original ? { original: { headersOnly: original.headersOnly, size: original.raw.length } } : {})
  }
}

/** Builds the verdict input from an analysis (also used after a re-verification, to refresh the verdict). */
export function verdictInputOf(a: Analysis): VerdictInput {
  const auth: VerdictInput['auth'] = []
  const antispam: VerdictInput['antispam'] = []
  if (a.original) {
    auth.push({ prefix: 'original:', headers: a.original.headers, ...a.original.auth })
    antispam.push({ prefix: 'original:', report: a.original.antispam })
  }
  // A bounce's own Authentication-Results describe the NDR's delivery to us, not the rejection: ignore them.
  if (a.kind !== 'bounce' && a.auth) auth.push({ prefix: '', headers: a.headers, ...a.auth })
  if (a.kind !== 'bounce' && a.antispam) antispam.push({ prefix: '', report: a.antispam })
  // Auto-replies, challenges and complaints are not rejections: their "recipients" explain nothing
  const rejected = a.kind === 'bounce' || a.kind === 'smtp-text'
  return {
    recipients: (rejected ? (a.bounce?.recipients ?? []) : []).filter(
      (r) => r.action !== 'delivered' && r.action !== 'relayed' && r.action !== 'expanded'
    ),
    auth,
    antispam,
    sendingIp: a.sendingIp,
    receiverIps: a.parties?.receiver.ip ? [a.parties.receiver.ip.value] : []
  }
}

/** Findings for the case's list: recorded auth, anti-spam, the original's, and the verdict's causes. */
export function collectFindings(a: Analysis): Finding[] {
  const verdictFindings: Finding[] = []
  const v = a.verdict
  if (v && a.bounce) {
    verdictFindings.push({
      id: `verdict.${v.cause}`,
      severity: a.bounce.recipients.some(
        (r) => r.hardBounce !== false && /^5/.test(r.replyCode ?? r.status ?? '5')
      )
        ? 'error'
        : 'warning',
      ...(v.titleText ? { titleText: v.titleText } : {}),
      ...(v.summaryText ? { detailText: v.summaryText } : {}),
      title: v.title,
      detail: v.summary,
      evidence: v.evidence,
      ...(v.nextSteps[0]
        ? {
            remedy: v.nextSteps[0].remedy,
            fix: v.nextSteps[0].label,
            ...(v.nextSteps[0].text ? { fixText: v.nextSteps[0].text } : {})
          }
        : {})
    })
    for (const l of v.listedOn) {
      const titleText = text('verdict:finding.namedTitle', { list: l.name })
      const detailText = [
        text(l.target ? 'verdict:finding.namedDetailTarget' : 'verdict:finding.namedDetail', {
          list: l.name,
          target: l.target
        })
      ]
      verdictFindings.push({
        id: `bl.named:${l.list}:${l.target ?? ''}`,
        severity: 'error',
        titleText,
        detailText,
        title: renderText('en', titleText),
        detail: renderTexts('en', detailText),
        evidence: [],
        remedy: 'delist'
      })
    }
  }
  return dedupFindings(
    verdictFindings,
    a.original?.auth.comparison?.findings,
    a.original?.auth.now?.findings,
    a.original?.auth.recorded.findings,
    a.original?.antispam.findings,
    a.kind === 'bounce' ? [] : a.auth?.comparison?.findings,
    a.kind === 'bounce' ? [] : a.auth?.now?.findings,
    a.kind === 'bounce' ? [] : a.auth?.recorded.findings,
    a.kind === 'bounce' ? [] : a.antispam?.findings
  )
}

/** What an evidence is, from its bounce reading: a bounce, another automatic reply, or a plain message. */
export function evidenceKind(bounce: BounceResult, msg: ParsedMessage): EvidenceKind {
  if (bounce.isBounce) return 'bounce'
  if (bounce.kind === 'auto-reply' || bounce.kind === 'challenge' || bounce.kind === 'feedback')
    return bounce.kind
  return msg.headersOnly ? 'headers' : 'message'
}

/** Offline analysis of one parsed message: everything that needs no DNS. */
export async function analyzeParsed(
  file: string,
  msg: ParsedMessage,
  _raw: Uint8Array | string,
  opts: ParseBounceOptions = {}
): Promise<Analysis> {
  const h = analyzeHeaders(msg)
  const bounce = parseBounce(msg, opts)
  const kind = evidenceKind(bounce, msg)
  const automatic = kind !== 'message' && kind !== 'headers'
  let original: OriginalAnalysis | undefined
  const warningTexts: Text[] = msg.warnings.map((w) => w.text ?? text('parser:raw', { message: w.message }))
  if (automatic && bounce.original?.raw.trim()) {
    try {
      original = await analyzeOriginal(bounce.original.raw, bounce.original.headersOnly)
    } catch (e) {
      // A damaged returned message must not cost the bounce analysis (issue 3: partial analysis, never a crash).
      warningTexts.push(text('parser:originalFailed', { error: (e as Error).message }))
    }
  }
  const warnings = warningTexts.map((t) => renderText('en', t))

  // Who is who: for a bounce the sender is whoever the original came from, not the MTA that wrote the NDR, and
  // the server the NDR quotes as answering is the receiver's
  const parties = identifyParties({
    kind,
    from: msg.from?.address,
    to: msg.to.map((t) => t.address),
    returnPath: h.summary.returnPath,
    chain: h.chain,
    ...(automatic ? { bounce } : {}),
    ...(original
      ? {
          original: {
            from: original.summary.from ? addressOf(original.summary.from) : null,
            returnPath: original.summary.returnPath ?? null,
            to: (original.summary.to ?? '').split(',').map(addressOf).filter(Boolean),
            chain: {
              hops: original.hops,
              totalDelaySec: original.totalDelaySec,
              edge: original.edge,
              receivingOrgs: [],
              anomalies: original.hopAnomalies
            }
          }
        }
      : {})
  })
  const sendingIp = parties.sender.ip?.value ?? null
  const sendingDomain = parties.sender.domain?.value ?? null
  if (original) original.sendingIp = sendingIp

  const a: Analysis = {
    file,
    kind,
    summary: h.summary,
    headers: msg.headers,
    hops: h.chain.hops,
    totalDelaySec: h.chain.totalDelaySec,
    edge: h.chain.edge,
    hopAnomalies: h.chain.anomalies,
    sendingIp,
    sendingDomain,
    parties,
    findings: [],
    warnings,
    warningTexts,
    ...(automatic ? { bounce: bounceInfo(bounce) } : {}),
    auth: h.auth,
    antispam: h.antispam,
    ...(original ? { original } : {}),
    details: {}
  }
  a.verdict = computeVerdict(verdictInputOf(a))
  a.findings = collectFindings(a)
  return a
}

const EMPTY_AUTH = (headers: HeaderField[]): AuthAnalysis => ({ recorded: analyzeRecordedAuth(headers) })

/**
 * A pasted rejection. A whole NDR body without its headers (what a mail client shows, copied) is read as a bounce
 * body: per-recipient blocks, the returned original when it is there. A bare reply line or short transcript
 * ("550 5.7.1 … (S3150)") is one pseudo-recipient.
 */
export async function analyzeSmtpText(file: string, text: string): Promise<Analysis> {
  if (/\n/.test(text) && /@/.test(text)) {
    const msg: ParsedMessage = {
      source: 'headers',
      headersOnly: false,
      headers: [],
      rawHeaders: '',
      to: [],
      text,
      attachments: [],
      warnings: []
    }
    const a = await analyzeParsed(file, msg, text, { pasted: true })
    if (a.bounce?.recipients.some((r) => r.diagnosticCode))
      return { ...a, summary: { ...a.summary, subject: text.slice(0, 200) }, details: { smtpText: text } }
  }
  const bounce = parseSmtpText(text)
  const parties = identifyParties({ kind: 'smtp-text', bounce })
  const a: Analysis = {
    file,
    kind: 'smtp-text',
    summary: { from: null, to: null, subject: text.slice(0, 200), date: null, messageId: null },
    headers: [],
    hops: [],
    totalDelaySec: null,
    edge: null,
    hopAnomalies: [],
    sendingIp: parties.sender.ip?.value ?? null,
    sendingDomain: null,
    parties,
    findings: [],
    warnings: [],
    bounce: bounceInfo(bounce),
    auth: EMPTY_AUTH([]),
    details: { smtpText: text }
  }
  // parseSmtpText keeps the reply as the diagnostic; make sure the verdict quotes the whole pasted text.
  if (a.bounce && a.bounce.recipients.length === 0) {
    a.bounce.recipients.push({ recipient: '', diagnosticCode: text, reason: 'undefined' })
  }
  a.verdict = computeVerdict(verdictInputOf(a))
  a.findings = collectFindings(a)
  return a
}
