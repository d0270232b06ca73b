import type { BounceKind, BounceReason, BounceRecipient, BounceResult } from '../../../shared/schemas/bounce'
import { headerValue, parseHeaderBlock, splitHeaderBody } from '../mime/headers'
import { decodeBytes, normalizeNewlines } from '../mime/text-decode'
import type { ParsedMessage } from '../mime/types'
import { classifyReason, RETRY as RETRYABLE } from './classify-reason'
import { detectFormat } from './detect-format'
import { cleanAddress, decodeImcea, parseDeliveryStatus, type DsnRecipient } from './dsn'
import {
  AUTO_REPLY_PARSER,
  CHALLENGE_PARSER,
  DSN_COMPANIONS,
  runFormatParsers,
  type FormatContext
} from './formats'
import { remoteIpOf } from './ips-in-text'
import { inferStatus, isHardBounce, permanenceOf } from './permanence'
import { lhostReason } from './lhost-tables'
import { rhostReason } from './rhost'
import { vendorReason } from './vendor-rules'
import { findCommand, findReplyCode, findStatus, isStatus, preferStatus } from './smtp-codes'
import {
  blockDiagnostic,
  findRemoteHost,
  scanBlocks,
  splitAtOriginal,
  transcriptCommand,
  type TextBlock
} from './text-scan'

/**
 * Bounce analysis of one parsed message: RFC 3464 DSNs (message/delivery-status), RFC 5965 / 6650 ARF
 * feedback reports, and the free-text NDRs of MTAs that send no DSN (qmail, Exim, old Sendmail, Exchange,
 * webmail providers). Never throws; a message that is not a bounce gives `{isBounce: false, recipients: []}`.
 */

const DS_TYPES = /^(message\/(global-)?delivery-status|text\/delivery-status)$/
const BOUNCE_FROM =
  /mailer[-_ ]?daemon|postmaster|mail delivery (subsystem|system|service)|mail administrator|bounce|mdaemon|mail system|deliverystatus|nobody@|root@/i
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status|fail|failure|notification|report|problem|has failed)|returned mail|return(ed)? to sender|failure notice|mail delivery failed|non.?delivery|could not be delivered|not delivered|delivery error|mail system error|bounce|warning: could not send|rejected|failed delivery|message failure|delayed mail|nondeliverable|unable to deliver|error sending message|mail could not|fehlgeschlagen|unzustellbar|non remis|failed|error|warning|ndn|permanent|notification/i

// Delay notices (RFC 3464 Action: delayed is the reliable sign; these are the words MTAs put around it, and the
// whole notice when a plain-text MTA sends one): Postfix "THIS IS A WARNING ONLY", Sendmail "Warning: could not
// send message for past 4 hours", Exchange "Delivery Status Notification (Delay)", Exim "Mail delivery delayed".
const DELAY_SUBJECT =
  /\bdelay(?:ed)?\b|still being retried|warning: could not send|warning: message .* (?:delayed|still undelivered)|delivery (?:status notification )?\(delay\)|not yet delivered|verz[öo]gert|retard[ée]e?/i
const DELAY_BODY =
  /THIS IS A WARNING ONLY|YOU DO NOT NEED TO RESEND|delivery attempts will continue|will (?:continue to |keep )?(?:re)?try(?:ing)? (?:to deliver|for)|has not yet been delivered|has been delayed|is still being retried|message (?:is )?still (?:in the queue|undelivered)/i

const QUOTED_BOUNCE =
  /^> ?(?:Final-Recipient:|-+ ?Transcript of session follows|-+ ?The following addresses had permanent)/im

function text(b: Uint8Array | undefined): string {
  return b ? normalizeNewlines(decodeBytes(b).text) : ''
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|p|div|tr|li)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

interface Fact {
  recipient: string
  /** The per-address block of the human-readable part, where the remote server is often named. */
  blockText?: string
  originalRecipient?: string
  action?: string
  status?: string
  diagnosticType?: string
  diagnosticCode?: string
  remoteMta?: string
  reportingMta?: string
  arrivalDate?: string
  lastAttemptDate?: string
  command?: string
  reason?: string
  feedbackType?: string
}

export interface ParseBounceOptions {
  /**
   * The text was handed to us as a bounce (a pasted NDR body without its headers): per-address blocks count even
   * though no From/Subject says "bounce".
   */
  pasted?: boolean
}

export function parseBounce(msg: ParsedMessage, opts: ParseBounceOptions = {}): BounceResult {
  try {
    return parseBounceUnsafe(msg, opts)
  } catch {
    return { isBounce: false, kind: 'none', format: 'error', recipients: [] }
  }
}

function parseBounceUnsafe(msg: ParsedMessage, opts: ParseBounceOptions): BounceResult {
  const from = headerValue(msg.headers, 'from') ?? ''
  const subject = msg.subject ?? headerValue(msg.headers, 'subject') ?? ''
  const ctype = headerValue(msg.headers, 'content-type') ?? ''

  // ARF (RFC 5965): multipart/report; report-type=feedback-report
  const fbPart = msg.attachments.find((a) => a.mimeType === 'message/feedback-report')
  if (fbPart || /report-type\s*=\s*"?feedback-report/i.test(ctype))
    return parseArf(msg, fbPart ? text(fbPart.content) : '')

  let body = msg.text || (msg.html ? htmlToText(msg.html) : '')
  body = normalizeNewlines(body)
  // a bounce forwarded inline by a person ("Begin forwarded message:" then "> " quoted lines): read it unquoted
  if (!msg.attachments.some((a) => DS_TYPES.test(a.mimeType)) && QUOTED_BOUNCE.test(body))
    body = body.replace(/^> ?/gm, '')
  const dsParts = msg.attachments.filter((a) => DS_TYPES.test(a.mimeType))
  let dsText = dsParts.map((a) => text(a.content)).join('\n\n')
  const { pre, original: inlineOriginal } = splitAtOriginal(body)
  if (!dsText && /^(Final|Original)-Recipient\s*:/im.test(body)) dsText = body // DS pasted into the text part

  const dsn = dsText
    ? parseDeliveryStatus(dsText)
    : { recipients: [] as DsnRecipient[], reportingMta: undefined }
  const blocks = scanBlocks(pre)
  const globalCommand = transcriptCommand(pre)
  let format = detectFormat(msg, pre, dsText)

  const facts: Fact[] = []
  const ctx: FormatContext = {
    msg,
    body,
    from,
    subject,
    header: (n) => headerValue(msg.headers, n)
  }
  const layout = dsn.recipients.length === 0 ? runFormatParsers(ctx) : undefined
  if (layout) {
    format = layout.name
    for (const f of layout.facts) facts.push({ ...f })
  } else if (dsn.recipients.length > 0) {
    for (const r of dsn.recipients) {
      // RFC 3464 §2.3.2: Final-Recipient may be of a type other than rfc822 ("system;<>"); the address is then
      // only in Original-Recipient
      const rcpt =
        (r.finalRecipient?.includes('@') ? r.finalRecipient : undefined) ??
        r.originalRecipient ??
        r.finalRecipient ??
        ''
      const blk = findBlock(blocks, rcpt, r.originalRecipient)
      const bd = blk ? blockDiagnostic(blk) : ''
      let diag = r.diagnosticCode ?? ''
      if (!diag || (diag.length < 12 && bd.length > diag.length)) diag = bd || diag
      else if (format === 'Postfix') diag = postfixAnotherSet(diag, bd, r.status)
      // no Diagnostic-Code and no per-address block: the human-readable part names the recipient inside a
      // sentence ("Your message wasn't delivered to <rcpt> because ..."); RFC 3464 §2 makes that part the
      // explanation for humans, so the sentence is the best diagnostic there is
      if (!diag && rcpt) diag = sentenceAbout(pre, rcpt)
      // Sendmail copies only the first line of a multi-line reply ("550-5.7.1 ...") into Diagnostic-Code; the
      // transcript ("<<< 550-5.7.1 ..." up to "<<< 550 5.7.1 ...", RFC 5321 4.2.1) has the whole reply
      if (/^\d{3}-/.test(diag)) diag = multilineReply(pre, diag) || diag
      if (format === 'Sendmail') diag = sendmailDiagnostic(pre, diag, dsn.recipients.length)
      // RFC 3464 2.3.4 allows a comment after the status code; PowerMTA writes the RFC 3463 wording there
      // ("5.2.1 (mailbox disabled, not accepting messages)"), which says more than a bare "User Unknown"
      if (r.statusComment && !diag.toLowerCase().includes(r.statusComment.toLowerCase()))
        diag = diag ? `${diag} (${r.statusComment})` : r.statusComment
      facts.push({
        recipient: rcpt,
        originalRecipient: r.originalRecipient,
        action: r.action,
        status: r.status,
        diagnosticType: r.diagnosticType,
        diagnosticCode: diag,
        remoteMta: r.remoteMta || (blk ? findRemoteHost(blk.text) : '') || undefined,
        blockText: blk?.text,
        reportingMta: r.reportingMta ?? dsn.reportingMta,
        arrivalDate: r.arrivalDate ?? dsn.arrivalDate,
        lastAttemptDate: r.lastAttemptDate,
        reason: r.bounceCategory ? POWERMTA_CATEGORY[r.bounceCategory] : undefined,
        command:
          blockCommand(blk?.text ?? '') || findCommand(r.diagnosticCode ?? '') || globalCommand || undefined
      })
    }
    // a carrier layout around a DSN can still state the reason in its own sentences (go-sisimai
    // lhost/via-ezweb.go reads the text part of such a multipart/report the same way)
    const companion = runFormatParsers(ctx, DSN_COMPANIONS)
    if (companion) {
      format = companion.name
      for (const f of facts) {
        const said = companion.facts.find((c) => c.reason && sameAddress(c.recipient, f.recipient))
        if (said && !f.reason) f.reason = said.reason
      }
    }
  } else {
    const failedHdr = headerValue(msg.headers, 'x-failed-recipients')
    // one fact per address, from its most informative block (the one quoting an SMTP code, else the longest)
    const best = new Map<string, { b: TextBlock; diag: string; score: number }>()
    for (const b of blocks) {
      const key = b.address.toLowerCase()
      const diag = blockDiagnostic(b)
      const score =
        (/\b[245]\d\d\b|\b[245]\.\d{1,3}\.\d{1,3}\b/.test(diag) ? 10000 : 0) + Math.min(diag.length, 9999)
      const cur = best.get(key)
      if (!cur || score > cur.score) best.set(key, { b, diag, score })
    }
    for (const { b, diag } of best.values()) {
      if (!diag && !failedHdr) continue
      facts.push({
        recipient: b.address,
        blockText: b.text,
        diagnosticCode: diag,
        remoteMta: findRemoteHost(b.text) || undefined,
        command: blockCommand(b.text) || globalCommand || undefined
      })
    }
    if (failedHdr) {
      const wanted = failedHdr
        .split(',')
        .map((s) => cleanAddress(s))
        .filter(Boolean)
      const kept = facts.filter((f) => wanted.some((w) => sameAddress(w, f.recipient)))
      // X-Failed-Recipients (Exim) can name the envelope address while the text shows a rewritten one; when the
      // unmatched addresses pair up one to one, the text block still holds that recipient's error
      const spare = facts.filter((f) => !kept.includes(f))
      const missing = wanted.filter((w) => !kept.some((f) => sameAddress(f.recipient, w)))
      missing.forEach((w, i) =>
        kept.push(spare.length === missing.length ? { ...spare[i], recipient: w } : { recipient: w })
      )
      // Exim lists an unqualified local part ("  kijitora") under "The following address(es) failed:"; with a
      // single failed recipient that paragraph is its error
      if (wanted.length === 1 && kept.length === 1 && !kept[0].diagnosticCode) {
        const para = /address\(es\) failed:\n\s*\n([^\n]+)\n((?:[ \t]+\S[^\n]*\n?)+)/.exec(pre)
        if (para) {
          kept[0].diagnosticCode = para[2].replace(/\s+/g, ' ').trim()
          kept[0].remoteMta ??= findRemoteHost(para[2]) || undefined
          kept[0].command ??= blockCommand(para[2]) || undefined
        }
      }
      facts.length = 0
      facts.push(...kept)
    }
  }
  // One error stated once for everybody ("Could not be delivered because of 550 5.1.1 User unknown. The following
  // recipients were affected: …", MailMarshal, Domino, GroupWise): the blocks carry the addresses, the text above
  // them the single reply; it applies to each recipient whose own block quotes none
  // Most recipients quote their own reply: the notice is only scanned when one does not.
  const uncoded = facts.filter((f) => !/\b[45]\d\d\b|\b[45]\.\d{1,3}\.\d{1,3}\b/.test(f.diagnosticCode ?? ''))
  const reply = uncoded.length > 0 ? soleReply(pre) : undefined
  if (reply !== undefined)
    for (const f of uncoded) f.diagnosticCode = `${reply} ${f.diagnosticCode ?? ''}`.trim()

  const bouncy =
    !!opts.pasted ||
    dsParts.length > 0 ||
    /report-type\s*=\s*"?delivery-status/i.test(ctype) ||
    !!headerValue(msg.headers, 'x-failed-recipients') ||
    BOUNCE_FROM.test(from) ||
    BOUNCE_SUBJECT.test(subject)
  if (!layout && (!bouncy || facts.length === 0)) {
    // Challenge-response requests and RFC 3834 auto-replies are not bounces, but saying so beats saying nothing
    for (const [parser, kind] of [
      [CHALLENGE_PARSER, 'challenge'],
      [AUTO_REPLY_PARSER, 'auto-reply']
    ] as const) {
      const auto = runFormatParsers(ctx, [parser])
      if (auto)
        return {
          isBounce: false,
          kind,
          format: auto.name,
          recipients: auto.facts.map((f) => finish({ ...f }, auto.name, msg))
        }
    }
    return { isBounce: false, kind: 'none', format: 'none', recipients: [] }
  }

  // Read only when a recipient's codes leave its permanence open or every failure is temporary: most bounces
  // state a permanent status, and the wording is looked for in the first 4,000 characters of the notice.
  let delay: boolean | undefined
  const delayNotice = (): boolean =>
    (delay ??= DELAY_SUBJECT.test(subject) || DELAY_BODY.test(pre.slice(0, 4000)))
  const recipients = facts.map((f) => finish(f, format, msg, delayNotice, pre.slice(0, 4000)))
  const failed = recipients.filter((r) => !['delivered', 'relayed', 'expanded'].includes(r.action ?? ''))
  // A delay notice: every recipient not yet delivered is still being retried (RFC 3464 §2.3.3 Action: delayed)
  const kind: BounceKind =
    failed.length > 0 &&
    failed.every((r) => r.permanence === 'temporary') &&
    (delayNotice() || failed.every((r) => r.action === 'delayed'))
      ? 'delay'
      : 'bounce'
  const result: BounceResult = {
    isBounce: true,
    kind,
    format,
    ...(dsn.reportingMta ? { reportingMta: dsn.reportingMta } : {}),
    recipients
  }
  const original = findOriginal(msg, inlineOriginal)
  if (original) result.original = original
  return result
}

/**
 * The one SMTP reply line (RFC 5321 §4.2: code, optional RFC 3463 status, text) the notice states, possibly several
 * times; undefined when it states none or different ones (reading stops at the second distinct reply).
 */
export function soleReply(pre: string): string | undefined {
  const re = /^[ \t#]*([45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3} )?[^\n]{3,200})$/gm
  let only: string | undefined
  for (let m = re.exec(pre); m; m = re.exec(pre)) {
    const reply = m[1].trim()
    if (only === undefined) only = reply
    else if (reply !== only) return undefined
  }
  return only
}

// X-PowerMTA-BounceCategory values -> reason (go-sisimai rfc3464/powermta.go messagesof; sisimai's newer
// "disabled" is the "suspend" of the vocabulary we share)
const POWERMTA_CATEGORY: Record<string, string> = {
  'bad-domain': 'hostunknown',
  'bad-mailbox': 'userunknown',
  'inactive-mailbox': 'suspend',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'policy-related': 'policyviolation',
  'quota-issues': 'mailboxfull',
  'routing-errors': 'systemerror',
  'spam-related': 'spamdetected'
}

// qmail / Exim / Postfix phrases naming the SMTP phase (sisimai lhost/qmail.go, exim.go tables)
const COMMAND_HINTS: [RegExp, string][] = [
  [/does not like recipient|after RCPT TO|in reply to RCPT TO|RCPT TO response/i, 'RCPT'],
  [
    /didn'?t like the sender|does not like sender|sender was rejected|after MAIL FROM|in reply to MAIL FROM/i,
    'MAIL'
  ],
  [
    /failed after I sent the message|after end of data|in reply to end of DATA|after DATA|in reply to DATA/i,
    'DATA'
  ],
  [/greeting|after initial connection|no SMTP connection got far enough/i, 'CONN'],
  [/in reply to (EHLO|HELO)|after (EHLO|HELO)|but my name was rejected/i, 'EHLO'],
  // Postfix smtp(8) "host X refused to talk to me: 554 ..." is a refusing greeting banner; go-sisimai
  // lhost/via-postfix.go names the step HELO when the text names no command
  [/refused\s+to\s+talk\s+to\s+me:/i, 'HELO']
]

function blockCommand(t: string): string {
  for (const [re, cmd] of COMMAND_HINTS) if (re.test(t)) return cmd
  return findCommand(t)
}

function multilineReply(pre: string, first: string): string {
  const code = first.slice(0, 3)
  const lines = pre.split('\n').map((l) => l.replace(/\s+/g, ' ').trim())
  const head = first.slice(4, 40)
  const start = lines.findIndex((l) => l.startsWith(`<<< ${code}-`) && l.includes(head))
  if (start < 0) return ''
  const parts: string[] = []
  let status = ''
  for (let i = start; i < lines.length; i++) {
    const m = /^<<< (\d{3})([- ])(?:([245]\.\d{1,3}\.\d{1,3}) )?(.*)$/.exec(lines[i])
    if (!m || m[1] !== code) break
    status ||= m[3] ?? ''
    parts.push(m[4].trim())
    if (m[2] === ' ') break
  }
  return `${code} ${status ? status + ' ' : ''}${parts.join(' ')}`.replace(/\s+/g, ' ').trim()
}

/**
 * Postfix writes the same error twice: `Diagnostic-Code:` holds the remote reply alone, the notification text
 * holds it with its context ("<rcpt>: host mx[ip] said: 550 ... (in reply to RCPT TO command)"). As go-sisimai
 * lhost/via-postfix.go (`anotherset`) does, the text version replaces the field when it contains the field's
 * text and carries a usable reply code (not x00) or, when Status is empty or x.0.0, a specific status code:
 * the command context decides reasons such as "access denied (in reply to MAIL FROM command)".
 */
export function postfixAnotherSet(diag: string, block: string, status?: string): string {
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim()
  const d = norm(diag)
  const b = norm(block)
  if (!b || b.length < d.length || !b.includes(d)) return diag
  const reply = findReplyCode(b)
  const st = !status || status.endsWith('.0.0') ? findStatus(b) : ''
  const usable = (reply && !reply.endsWith('00')) || (st && !st.endsWith('.0.0'))
  return usable ? b : diag
}

/**
 * Sendmail's transcript beside the DSN (go-sisimai lhost/via-sendmail.go): a delivery to a program leaves only
 * the exit code in Diagnostic-Code ("X-Unix; 255") while the transcript carries the mailer's own reply line
 * ("554 5.3.0 unknown mailer error 255", RFC 3463 5.3.0 = other mail system problem); and for a single
 * recipient the remote replies ("<<< 421 4.7.0 ... too many errors") are the server's last word, which sisimai
 * puts in front of the diagnostic before choosing the status code.
 */
export function sendmailDiagnostic(pre: string, diag: string, recipients: number): string {
  const lines = pre.split('\n')
  const start = lines.findIndex((l) => /^\s*-+ ?Transcript of session follows/i.test(l))
  if (start < 0) return diag
  const replies: string[] = []
  let another = ''
  let sessionError = false
  for (const l of lines.slice(start + 1)) {
    if (l.startsWith(' ') || l.startsWith('\t') || !l.trim()) continue
    if (l.startsWith('>>> ')) continue
    if (l.startsWith('<<< ')) {
      const r = l.slice(4).trim()
      if (!replies.some((x) => x.includes(r) || r.includes(x))) replies.push(r)
      continue
    }
    if (sessionError) continue
    if (l.startsWith('... while talking to ')) {
      sessionError = true
      continue
    }
    if (l.startsWith('<') && /@.*>\.\s/.test(l)) {
      another = l.slice(l.indexOf(' ') + 1).trim()
    } else if (findReplyCode(l) && findStatus(l)) {
      another = `${another} ${l.trim()}`.trim()
    } else if (/^(Message|Warning): /.test(l)) {
      another = `${another} ${l.trim()}`.trim()
    }
  }
  let out = diag
  if (another && (!out || /^\d+$/.test(out.trim()))) out = another
  if (replies.length > 0 && recipients === 1) out = `${replies.join(' ')} ${out}`
  return out.replace(/\s+/g, ' ').trim()
}

function sentenceAbout(pre: string, rcpt: string): string {
  const low = rcpt.toLowerCase()
  const para = pre.split(/\n[ \t]*\n/).find((p) => p.length < 1000 && p.toLowerCase().includes(low))
  return para ? para.replace(/\s+/g, ' ').trim() : ''
}

function findBlock(blocks: TextBlock[], rcpt: string, orig?: string): TextBlock | undefined {
  const withCode = (b: TextBlock): boolean => /\b[245]\d\d\b|[245]\.\d\.\d/.test(b.text)
  const match = blocks.filter((b) => sameAddress(b.address, rcpt) || (orig && sameAddress(b.address, orig)))
  return match.find(withCode) ?? match[0]
}

function finish(
  f: Fact,
  format: string,
  msg: ParsedMessage,
  delayNotice?: () => boolean,
  reportText = ''
): BounceRecipient {
  const diag = (f.diagnosticCode ?? '').replace(/\s+/g, ' ').trim()
  const field = isStatus(f.status) ? f.status : ''
  // go-sisimai fact/rise.go: the status code in the text is found without a hint, the reply code is looked
  // for in that code's class, and Prefer() arbitrates between the Status: field and the text by the reply
  // code's class (RFC 3463 2: the class digits of status and reply should agree)
  const inText = findStatus(diag, '')
  let reply = findReplyCode(diag, inText)
  const status = preferStatus(field, inText, reply)
  // rise.go REPLYCODE: a reply code of another class than the chosen status is replaced by one of the same
  // class from the text, or dropped
  if (status && reply && status[0] !== reply[0]) {
    const same = findReplyCode(diag, status)
    reply = same.startsWith(status[0]) ? same : ''
  }
  const command = f.command || findCommand(diag) || undefined
  const vendor = vendorReason({
    diag,
    status,
    reply,
    remoteMta: f.remoteMta ?? '',
    recipient: f.recipient,
    format,
    msg
  })
  // go-sisimai fact/rise.go: a provider table answer (rhost.Find) is final when the format parser left the
  // reason empty or retryable
  const fromRhost =
    f.reason && !RETRYABLE.has(f.reason)
      ? undefined
      : rhostReason({
          diag,
          status,
          reply,
          command: command ?? '',
          recipient: f.recipient,
          remoteMta: f.remoteMta ?? '',
          reportingMta: f.reportingMta ?? ''
        })
  let reason = (fromRhost ??
    classifyReason({
      status,
      replyCode: reply,
      diagnosticCode: diag,
      diagnosticType: f.diagnosticType,
      action: f.action,
      command,
      reason: vendor ?? f.reason ?? lhostReason({ format, diag, command: command ?? '' })
    })) as BounceReason
  // A plain-text NDR that names the recipient and gives neither a code nor the SMTP command (Domino, GroupWise,
  // old Exchange, local delivery agents): the error is about that recipient, so read it as a recipient-level
  // refusal (RFC 5321 §3.3 RCPT) rather than leave it undecided
  if (
    (reason === 'onhold' || reason === 'undefined') &&
    !status &&
    !reply &&
    !command &&
    f.blockText &&
    diag
  ) {
    const again = classifyReason({ diagnosticCode: diag, command: 'RCPT', action: f.action })
    if (again !== 'onhold' && again !== 'undefined') reason = again as BounceReason
  }
  const out: BounceRecipient = { recipient: decodeImcea(f.recipient), reason }
  if (f.originalRecipient && !sameAddress(f.originalRecipient, f.recipient))
    out.originalRecipient = f.originalRecipient
  if (f.action) out.action = f.action
  // auto-replies, complaints, delivery reports and challenge requests are not failures: no permanence to state
  const informational =
    reason === 'vacation' ||
    reason === 'feedback' ||
    reason === 'delivered' ||
    format === CHALLENGE_PARSER.name
  const permanence = informational
    ? undefined
    : permanenceOf({
        status,
        replyCode: reply,
        action: f.action,
        reason,
        diagnosticCode: diag,
        delayNotice,
        reportText
      })
  if (status) out.status = status
  else if (permanence) {
    const inferred = inferStatus(reason, reply?.startsWith('4') ? 'temporary' : permanence)
    if (inferred) {
      out.status = inferred
      out.statusInferred = true
    }
  }
  if (reply) out.replyCode = reply
  if (f.diagnosticType) out.diagnosticType = f.diagnosticType
  if (diag) out.diagnosticCode = diag
  if (f.remoteMta) out.remoteMta = f.remoteMta
  const remoteIp = remoteIpOf(f.remoteMta, `${f.blockText ?? ''}\n${diag}`)
  if (remoteIp) out.remoteIp = remoteIp
  if (f.reportingMta) out.reportingMta = f.reportingMta
  if (command) out.command = command
  if (f.arrivalDate) out.arrivalDate = f.arrivalDate
  if (f.lastAttemptDate) out.lastAttemptDate = f.lastAttemptDate
  if (f.feedbackType) out.feedbackType = f.feedbackType
  if (permanence) {
    out.permanence = permanence
    out.hardBounce = isHardBounce(reason, permanence)
  }
  return out
}

function findOriginal(msg: ParsedMessage, inline?: string): BounceResult['original'] {
  const rfc822 = msg.attachments.find(
    (a) => a.mimeType === 'message/rfc822' || a.mimeType === 'message/global'
  )
  if (rfc822?.content && rfc822.content.length > 0) {
    const raw = text(rfc822.content)
    return { raw, headersOnly: splitHeaderBody(raw).noBody }
  }
  const hdrs = msg.attachments.find((a) =>
    /^(text\/rfc822-headers|message\/global-headers)$/.test(a.mimeType)
  )
  if (hdrs?.content) return { raw: text(hdrs.content), headersOnly: true }
  if (inline && inline.trim()) {
    const raw = inline.replace(/^\s*\n/, '')
    return { raw, headersOnly: splitHeaderBody(raw).noBody }
  }
  return undefined
}

/** ARF feedback report (RFC 5965 3.1): one pseudo recipient per Original-Rcpt-To / original To:. */
function parseArf(msg: ParsedMessage, report: string): BounceResult {
  const fields = parseHeaderBlock(report.replace(/\n\s*\n/g, '\n'))
  const get = (n: string): string | undefined => headerValue(fields, n)
  const feedbackType = (get('feedback-type') ?? 'other').trim().toLowerCase()
  const original = findOriginal(msg, splitAtOriginal(msg.text).original)
  const rcpts = fields
    .filter((h) => /^(original-rcpt-to|removal-recipient)$/i.test(h.name))
    .map((h) => cleanAddress(h.value))
  if (rcpts.length === 0 && original) {
    const oh = parseHeaderBlock(splitHeaderBody(original.raw).rawHeaders)
    const to = headerValue(oh, 'to')
    if (to)
      rcpts.push(
        ...to
          .split(',')
          .map((s) => cleanAddress(s))
          .filter((s) => s.includes('@'))
      )
  }
  if (rcpts.length === 0) rcpts.push('')
  const reportingMta = get('reporting-mta')?.replace(/^[a-z]+;\s*/i, '')
  // RFC 5965 §3.2: Source-IP is the address the reported message came from; it is the sender's (ours) to check
  const sourceIp = get('source-ip')
    ?.trim()
    .replace(/^\[|\]$/g, '')
  // A complaint is not a delivery failure (RFC 5965 §1): the message was delivered and then reported
  return {
    isBounce: false,
    kind: 'feedback',
    format: 'ARF',
    ...(reportingMta ? { reportingMta } : {}),
    recipients: rcpts.map((r) => ({
      recipient: r,
      reason: 'feedback' as const,
      feedbackType,
      ...(sourceIp ? { sourceIp } : {}),
      ...(reportingMta ? { reportingMta } : {}),
      ...(get('arrival-date') ? { arrivalDate: get('arrival-date') } : {})
    })),
    ...(original ? { original } : {})
  }
}

/**
 * A pasted SMTP error (one line or a short transcript), e.g.
 * `550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent ... (S3150)`. Gives one pseudo recipient.
 */
export function parseSmtpText(input: string): BounceResult {
  const t = normalizeNewlines(input).trim()
  const diag = t.replace(/\s+/g, ' ')
  const rcpt =
    /<([^<>\s]+@[^<>\s]+)>/.exec(t)?.[1] ??
    /([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/.exec(t)?.[1] ??
    ''
  if (!/\b[245]\d\d\b|\b[245]\.\d{1,3}\.\d{1,3}\b/.test(diag)) {
    return { isBounce: false, kind: 'none', format: 'smtp-line', recipients: [] }
  }
  const fake: ParsedMessage = {
    source: 'headers',
    headersOnly: true,
    headers: [],
    rawHeaders: '',
    to: [],
    text: '',
    attachments: [],
    warnings: []
  }
  const r = finish(
    {
      recipient: rcpt,
      diagnosticCode: diag,
      diagnosticType: 'SMTP',
      remoteMta: findRemoteHost(t) || undefined
    },
    'smtp-line',
    fake
  )
  return {
    isBounce: true,
    kind: r.permanence === 'temporary' ? 'delay' : 'bounce',
    format: 'smtp-line',
    recipients: [r]
  }
}
