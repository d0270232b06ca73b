import { ADDR_RE, squash, type FormatFact, type FormatParser } from './types'

/**
 * Trend Micro InterScan MSS (sisimai lib/Sisimai/Lhost/InterScanMSS.pm): a transcript with
 * `Sent <<< RCPT TO:<rcpt>` / `Received >>> 550 ...`, or `Reason: Unable to deliver message to <rcpt>`.
 */
const TRANSCRIPT = new RegExp(`^.+[<>]{3}[ \\t]+.+<(${ADDR_RE})>`)
const UNABLE = new RegExp(`^(?:Reason:[ ]+)?Unable to deliver message to <(${ADDR_RE})>`)
const SUBJECTS = ['Mail could not be delivered', 'メッセージを配信できません。', 'メール配信に失敗しました']

export const interscanmss: FormatParser = {
  name: 'InterScanMSS',
  parse({ body, from, subject }) {
    if (!/^"?InterScan (MSS|Notification)"?/.test(from) && !SUBJECTS.includes(subject.trim()))
      return undefined
    const out: FormatFact[] = []
    for (const l of body.split('\n')) {
      const m = TRANSCRIPT.exec(l) ?? UNABLE.exec(l)
      if (m && (out.length === 0 || out[out.length - 1].recipient !== m[1]))
        out.push({ recipient: m[1], diagnosticCode: '' })
      const v = out[out.length - 1]
      if (!v) continue
      if (m && /Unable to deliver /.test(l)) v.diagnosticCode = l
      const c = /^Sent[ \t]+<<<[ \t]+([A-Z]{4})[ \t]/.exec(l)
      if (c) v.command = c[1]
      const r = /^Received[ \t]+>>>[ \t]+(\d{3}[ \t]+.+)$/.exec(l)
      if (r) v.diagnosticCode = r[1]
    }
    for (const f of out) {
      f.diagnosticCode = squash(f.diagnosticCode)
      // InterScanMSS.pm: the bare "Unable to deliver" notice is its recipient-rejected wording
      if (/Unable to deliver/.test(f.diagnosticCode)) f.reason = 'userunknown'
    }
    return out
  }
}
