/**
 * RFC 3464 message/delivery-status parsing: one per-message group (Reporting-MTA, Arrival-Date ...) then one
 * group per recipient (Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code ...), groups separated by
 * blank lines (2.1). Fields may be folded. Values carry a type prefix ("rfc822;", "dns;", "smtp;") which we split
 * off (2.1.2 address-type / mta-name-type / diagnostic-type). Tolerant: also works on DS text pasted in a body.
 */
export interface DsnRecipient {
  finalRecipient?: string
  originalRecipient?: string
  action?: string
  status?: string
  /** The comment after the status code ("5.2.1 (mailbox disabled, not accepting messages)"). */
  statusComment?: string
  remoteMta?: string
  diagnosticType?: string
  diagnosticCode?: string
  lastAttemptDate?: string
  reportingMta?: string
  arrivalDate?: string
  /** PowerMTA's own verdict, `X-PowerMTA-BounceCategory: bad-mailbox` (a vendor extension field, RFC 3464 2.4). */
  bounceCategory?: string
}

export interface DsnReport {
  reportingMta?: string
  arrivalDate?: string
  recipients: DsnRecipient[]
}

const FIELD = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/

function typed(v: string): { type?: string; value: string } {
  const m = /^([A-Za-z0-9-]+)[ \t]*;[ \t]*(.*)$/.exec(v)
  return m ? { type: m[1], value: m[2].trim() } : { value: v.trim() }
}

export function cleanAddress(v: string): string {
  let a = v
    .trim()
    .replace(/^<+|>+$/g, '')
    .replace(/^"(.*)"$/, '$1')
    .trim()
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(a)
  if (m) a = m[1]
  return decodeImcea(a.replace(/[.,;:]+$/, ''))
}

/**
 * Exchange encapsulates foreign addresses as "IMCEA<type>-<address with +XX escapes>@<org domain>"
 * (IMCEASMTP-bob+40partner+2Eexample@corp.example is bob@partner.example; Microsoft's "IMCEA encapsulation").
 * An SMTP one decodes to its RFC 822 address; X.500 ones (IMCEAEX-_O=…) name a directory entry and stay as they are.
 */
export function decodeImcea(address: string): string {
  const m = /^IMCEASMTP-(.+)@[^@]+$/i.exec(address)
  if (!m) return address
  const decoded = m[1].replace(/\+([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)))
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(decoded) ? decoded : address
}

/**
 * DSN field (RFC 3464 §2.2, §2.3; X-Actual-Recipient, PowerMTA's category) → its DsnRecipient property. A Map, not
 * an object literal: a field named after an Object.prototype member (`constructor:`, `toString:`) is not a DSN field.
 */
const FIELD_KEYS = new Map<string, string>(
  Object.entries({
    'final-recipient': 'finalRecipient',
    'original-recipient': 'originalRecipient',
    'x-actual-recipient': 'xActual',
    action: 'action',
    status: 'status',
    'remote-mta': 'remoteMta',
    'diagnostic-code': 'diagnosticCode',
    'last-attempt-date': 'lastAttemptDate',
    'reporting-mta': 'reportingMta',
    'arrival-date': 'arrivalDate',
    'x-powermta-bouncecategory': 'bounceCategory'
  })
)

export function parseDeliveryStatus(text: string): DsnReport {
  const report: DsnReport = { recipients: [] }
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let cur: DsnRecipient | null = null
  let last: { key: string; target: Record<string, string | undefined> } | null = null
  const perMsg: Record<string, string | undefined> = {}
  let blank = false
  for (const raw of lines) {
    if (/^[ \t]+\S/.test(raw) && last) {
      const t = last.target
      t[last.key] = `${t[last.key] ?? ''} ${raw.trim()}`
      continue
    }
    const m = FIELD.exec(raw)
    if (!m) {
      if (raw.trim() === '') {
        last = null
        blank = true
      }
      continue
    }
    const name = m[1].toLowerCase()
    const value = m[2]
    const hasRcpt = !!cur && (cur.finalRecipient !== undefined || cur.originalRecipient !== undefined)
    if (name === 'final-recipient' || name === 'original-recipient') {
      // A new recipient group starts at a recipient field when none is open, after a blank line, or when the
      // open group already has this field (RFC 3464 2.3; Postfix writes Original- after Final-Recipient).
      const dup =
        name === 'final-recipient' ? cur?.finalRecipient !== undefined : cur?.originalRecipient !== undefined
      if (!cur || dup || (blank && hasRcpt)) {
        cur = {}
        report.recipients.push(cur)
      }
    }
    blank = false
    const target: Record<string, string | undefined> = cur
      ? (cur as Record<string, string | undefined>)
      : perMsg
    const key = FIELD_KEYS.get(name)
    if (!key) {
      last = null
      continue
    }
    if (!cur && key !== 'reportingMta' && key !== 'arrivalDate' && key !== 'originalRecipient') {
      // fields such as Action before any recipient: open an anonymous group
      cur = {}
      report.recipients.push(cur)
    }
    const t =
      cur && key !== 'reportingMta' && key !== 'arrivalDate'
        ? (cur as Record<string, string | undefined>)
        : target
    if (t[key] === undefined) t[key] = value
    last = { key, target: t }
  }
  report.reportingMta = perMsg.reportingMta ? typed(perMsg.reportingMta).value : undefined
  report.arrivalDate = perMsg.arrivalDate?.trim()
  for (const r of report.recipients) {
    const rr = r as DsnRecipient & { xActual?: string }
    if (r.finalRecipient) r.finalRecipient = cleanAddress(typed(r.finalRecipient).value)
    if (r.originalRecipient) r.originalRecipient = cleanAddress(typed(r.originalRecipient).value)
    if (!r.finalRecipient && rr.xActual) r.finalRecipient = cleanAddress(typed(rr.xActual).value)
    delete rr.xActual
    if (r.remoteMta) r.remoteMta = typed(r.remoteMta).value
    if (r.reportingMta) r.reportingMta = typed(r.reportingMta).value
    // set only when there is one: deleting a property afterwards would slow every later read of the object
    const comment = r.status ? /\(([^)]{3,})\)/.exec(r.status)?.[1]?.trim() : undefined
    if (comment) r.statusComment = comment
    if (r.status) r.status = /[245]\.\d{1,3}\.\d{1,3}/.exec(r.status)?.[0] ?? r.status.trim()
    if (r.action) r.action = r.action.trim().toLowerCase().split(/[\s(]/)[0]
    if (r.bounceCategory) r.bounceCategory = r.bounceCategory.trim().toLowerCase()
    if (r.diagnosticCode !== undefined) {
      const d = typed(r.diagnosticCode)
      r.diagnosticType = d.type?.toUpperCase()
      r.diagnosticCode = d.value.replace(/\s+/g, ' ').trim()
    }
  }
  report.recipients = report.recipients.filter((r) => r.finalRecipient || r.originalRecipient)
  return report
}
