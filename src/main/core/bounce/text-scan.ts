/**
 * Non-standard NDR text (the human-readable part). MTAs list each failed recipient followed by the remote
 * server's answer, in layouts that differ per MTA:
 *   Postfix   `<rcpt>: host mx[ip] said: 550 5.1.1 ... (in reply to RCPT TO command)`
 *   qmail     `<rcpt>:` newline `ip does not like recipient. Remote host said: 550 ...`
 *   Exim      `  rcpt` newline `    SMTP error from remote mail server after RCPT TO:<rcpt>: 550 ...`
 *   Sendmail  `<rcpt>... User unknown` and the `>>> RCPT To:` / `<<< 550` transcript
 *   Exchange  `rcpt` newline `#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##`
 *   Gmail     `     rcpt` blank line `Technical details of permanent failure: ...`
 * Rather than one parser per MTA we cut the text into per-address blocks and keep the block text as the
 * diagnostic; format-specific hints (command, remote host) are pulled from the block.
 */
export interface TextBlock {
  address: string
  text: string
}

// Where the returned original message starts in a non-MIME bounce (RFC 3464 would use message/rfc822).
export const ORIGINAL_MARKER =
  /^[ \t]*(?:[-=_*]{2,}[ \t]*)?(?:(?:this is a )?copy of (?:the |your )?(?:original )?message|below this line is a copy of the message|original message (?:follows|header|headers)?|the original message (?:was(?! received at)|headers?)|returned message|unsent message below|message header follows|original message ends|included is a copy|headers? of (?:the |your )?(?:original |returned )?message|the header of the original message is following|original mail header|content-type: message\/rfc822|the message that caused|-+ ?original message ?-+|your message reads \(in part\)|rfc822 headers follow|\*\*\* the original message header follows)/im

const ADDR = '[A-Za-z0-9!#$%&\'*+/=?^_`{|}~."-]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+'
const CANDIDATE_RES: RegExp[] = [
  new RegExp(`^[ \\t]*<(${ADDR})>`), // <rcpt>... / <rcpt>: ...
  new RegExp(`^[ \\t]*"?(${ADDR})"?[ \\t]*(?::.*)?$`), // rcpt alone or rcpt: text
  new RegExp(`^[ \\t]*(${ADDR})[ \\t]+(?:\\(|<|\\[|on |\\.\\.\\.|-)`), // rcpt (generated from ...), rcpt [User unknown], rcpt on date
  // "Unable to deliver message to: <rcpt>", "Could not deliver to: rcpt": a short lead-in naming the recipient
  new RegExp(
    `^[ \\t]*(?:unable to deliver|could not deliver|delivery failed|failed to deliver|undeliverable)[^:\\n]{0,40}?(?:to|for)\\s*:?\\s*<?(${ADDR})>?[ \\t]*:?[ \\t]*$`,
    'i'
  ),
  new RegExp(
    `^[ \\t]*(?:Recipient address|Recipient|Original-Recipient|Failed address(?:es)?|Failed Recipient|Invalid recipient|Address)[ \\t]*:[ \\t]*(?:rfc822;)?[ \\t]*<?(${ADDR})>?`,
    'i'
  ),
  new RegExp(`^[ \\t]*\\*+ ?(${ADDR})`),
  // Outlook's HTML-to-text NDR: "rcpt<mailto:rcpt> A communication failure occurred …"
  new RegExp(`^[ \\t]*(${ADDR})<mailto:`),
  new RegExp(`^[ \\t]*(?:RCPT TO|RCPT To|Rcpt to)[ \\t]*:?[ \\t]*<(${ADDR})>`),
  // "SMTP Server <mx> rejected recipient <rcpt> (Error following RCPT command). It responded as follows: [550 ..."
  new RegExp(`\\brejected recipient <(${ADDR})>`)
]
// A line ending where a quoted SMTP reply starts or continues: "said:", "said: 550", "said: 550 5.1.1"
const REPLY_WRAP =
  /(?:said|replied|responded|reply|response)\s*:\s*(?:[245]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?)?\s*$|\b[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\s*$/i
const SKIP_LINE =
  /^(from|reply-to|sender|return-path|x-[a-z-]+|subject|date|message-id|cc|envelope-from|reporting-mta|mail from)\s*:/i

export function splitAtOriginal(body: string): { pre: string; original?: string } {
  const m = ORIGINAL_MARKER.exec(body)
  if (!m) return { pre: body }
  const after = body.slice(m.index + m[0].length)
  const nl = after.indexOf('\n')
  return { pre: body.slice(0, m.index), original: nl < 0 ? '' : after.slice(nl + 1) }
}

/** Address blocks in reading order (one per candidate line; same address may repeat). */
export function scanBlocks(pre: string): TextBlock[] {
  const lines = pre.split('\n')
  const cands: { line: number; address: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]
    // every candidate pattern quotes an address: most lines of a notice have no '@' and need no regex at all
    if (!l.includes('@')) continue
    if (l.length > 400 || SKIP_LINE.test(l.trim())) continue
    // An address at the start of a wrapped line of a remote reply ("said: 550 5.1.1\n    <sender>: unauthorized
    // sender") is inside that reply, not a new recipient: Postfix folds the reply it quotes with indentation
    if (/^[ \t]/.test(l) && i > 0 && REPLY_WRAP.test(lines[i - 1])) continue
    for (const re of CANDIDATE_RES) {
      const m = re.exec(l)
      if (m) {
        const address = m[1].replace(/^"|"$/g, '').replace(/\.$/, '')
        const prev = cands[cands.length - 1]
        // the same address quoted again inside the same paragraph (Postfix: "said: 550\n  <rcpt>... User unknown")
        const samePara =
          prev &&
          prev.address.toLowerCase() === address.toLowerCase() &&
          !lines.slice(prev.line, i).some((x) => x.trim() === '')
        if (!samePara) cands.push({ line: i, address })
        break
      }
    }
  }
  const blocks: TextBlock[] = []
  for (let k = 0; k < cands.length; k++) {
    const start = cands[k].line
    const stop = Math.min(cands[k + 1]?.line ?? lines.length, start + 40)
    // Read paragraphs until one quotes an SMTP code (Gmail puts the code two paragraphs below the address),
    // stopping at the next address; without any code keep the first paragraph only.
    const out: string[] = [lines[start]]
    const CODE = /\b[245]\d\d\b|\b[245]\.\d{1,3}\.\d{1,3}\b/
    let firstParaEnd = -1
    let hasCode = CODE.test(lines[start])
    let content = 0
    for (let i = start + 1; i < stop; i++) {
      const l = lines[i]
      if (l.trim() === '') {
        // a paragraph that is only a label ("because:", "Reason:") introduces the next one (Domino, GroupWise)
        const labelOnly = out.slice(1).every((x) => !x.trim() || /^\s*[^:]{1,30}:\s*$/.test(x))
        if (content > 0 && !labelOnly) {
          if (firstParaEnd < 0) firstParaEnd = out.length
          if (hasCode) break
        }
        continue
      }
      out.push(l)
      content++
      if (CODE.test(l)) hasCode = true
    }
    if (!hasCode && firstParaEnd > 0) out.length = firstParaEnd
    blocks.push({ address: cands[k].address, text: out.join('\n') })
  }
  return blocks
}

/** Diagnostic text of a block: the block minus the address on its first line, whitespace collapsed. */
export function blockDiagnostic(b: TextBlock): string {
  const first = b.text.split('\n', 1)[0]
  const rest = b.text.slice(first.length)
  const head = first.replace(/^.*?<?[^\s<>]+@[^\s<>]+>?\s*:?\s*/, '').replace(/^\.\.\.\s*/, '')
  return `${head} ${rest}`.replace(/\s+/g, ' ').trim()
}

/** "host mx.example.com[192.0.2.1] said:" (Postfix), "remote host 192.0.2.1 said:" (qmail), Exim "host x [ip]:". */
export function findRemoteHost(text: string): string {
  const m =
    /\bhost\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})\s*\[[^\]]*\]?\s*(?:said|:)/i.exec(
      text
    ) ??
    /\bremote host\s+([A-Za-z0-9.-]+)\s+said/i.exec(text) ??
    /\bwhile talking to\s+([A-Za-z0-9.-]+?)\.?:/i.exec(text) ??
    /\bGenerating server:\s*([A-Za-z0-9.-]+)/i.exec(text)
  return m ? m[1].replace(/\.$/, '') : ''
}

/** Sendmail transcript: the command that drew the first error reply (">>> RCPT To:<x>" then "<<< 550 ..."). */
export function transcriptCommand(pre: string): string {
  // no ">>>" line, no command to remember: most notices carry no transcript, so skip splitting them into lines
  if (!pre.includes('>>>')) return ''
  const lines = pre.split('\n')
  let lastCmd = ''
  for (const l of lines) {
    const c = /^\s*>>>\s*([A-Za-z]+)/.exec(l)
    if (c) lastCmd = c[1].toUpperCase()
    else if (/^\s*<<<\s*[45]\d\d/.test(l) && lastCmd)
      return lastCmd === 'MAIL' ||
        lastCmd === 'RCPT' ||
        lastCmd === 'DATA' ||
        lastCmd === 'EHLO' ||
        lastCmd === 'HELO'
        ? lastCmd
        : ''
  }
  return ''
}
