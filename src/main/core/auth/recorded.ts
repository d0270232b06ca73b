import { getDomain } from 'tldts'
import type { EvidenceSpan, Finding } from '../../../shared/schemas/common'
import type {
  AuthResultsHeader,
  CompAuthReason,
  HopChain,
  ReceivedSpf,
  RecordedAuth,
  RecordedVerdict
} from '../../../shared/schemas/message'
import compauthTable from '../../../../resources/compauth-reasons.json'
import type { HeaderField } from '../headers/received'
import { familyOf, PROVIDER_FAMILIES } from '../headers/provider-orgs'
import { text, type Text, type TextParam } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { parseAuthResults, parseReceivedSpf } from './auth-results'

/** A compauth reason's meaning as a Text: the documented rows are translated in auth.json (compauth.<pattern>). */
export function compauthMeaning(d: CompAuthReason): Text {
  return d.pattern ? text(`auth:compauth.${d.pattern}`) : text('auth:compauth.unknown', { code: d.code })
}

/**
 * Recorded authentication verdicts: what the receiving servers wrote into the message when it arrived.
 *
 * Any hop can add Authentication-Results, and a sender can forge them, so only the ones written by the receiving
 * organisation count (RFC 8601 §5: consumers must ignore fields whose authserv-id they do not trust; §7.2 "Forged
 * Header Fields"). We trust, in order:
 * 1. fields whose authserv-id belongs to the receiving organisation, written where only the receiver writes: above
 *    the edge hop's Received field, or in the edge hop's own trace block right under it (Gmail, iCloud and Yahoo
 *    put their Authentication-Results and Received-SPF below the Received field they prepend). The organisation is
 *    the edge receiver's or the recipient's domain, widened to the provider's whole family of domains
 *    (resources/mail-provider-orgs.json: google.com = gmail.com = googlemail.com, me.com = icloud.com ...);
 * 2. authserv-id-less fields written above the edge hop (Microsoft 365 omits the id);
 * 3. the receiving organisation's ARC-Authentication-Results (RFC 8617 §4.1.1: a copy of its Authentication-Results);
 * 4. anything above the edge (flagged ambiguous).
 * A field below the edge's trace block was in the message before the receiver saw it: the sender wrote it, so it is
 * never trusted, whatever authserv-id it claims. One directly under the edge's Received field carrying the
 * receiver's own id is the receiver's: RFC 8601 §5 requires a receiver to delete incoming fields that claim its
 * authserv-id.
 */

export interface RecordedOptions {
  /** The Received chain of the same message: gives the edge hop and the receiving organisation. */
  chain?: HopChain
  /** Extra domains of the receiving organisation (e.g. the recipient's domain). */
  receivingDomains?: string[]
}

interface CompauthRow {
  pattern: string
  verdict?: string
  meaning: string
  documented: boolean
}

const COMPAUTH_ROWS: CompauthRow[] = (compauthTable as { reasons: CompauthRow[] }).reasons

/** Decode a Microsoft compauth reason code (three digits) using resources/compauth-reasons.json. */
export function decodeCompauthReason(code: string): CompAuthReason {
  const c = (code ?? '').trim()
  if (!/^\d{3}$/.test(c))
    return { code: c, meaning: 'Not a three-digit compauth reason code.', documented: false }
  const exact = COMPAUTH_ROWS.find((r) => r.pattern === c)
  const family = COMPAUTH_ROWS.find(
    (r) => r.pattern.length === 3 && r.pattern.endsWith('xx') && r.pattern[0] === c[0]
  )
  const row = exact ?? family
  if (!row) return { code: c, meaning: 'Unknown compauth reason code.', documented: false }
  const out: CompAuthReason = {
    code: c,
    pattern: row.pattern,
    meaning: row.meaning,
    documented: row.documented
  }
  if (row.verdict) out.verdict = row.verdict
  return out
}

function orgOfId(id: string | undefined): string | undefined {
  if (!id) return undefined
  const h = id.toLowerCase().replace(/\.+$/, '')
  return getDomain(h) ?? undefined
}

/**
 * Header fields that the message itself carries (RFC 5322 §3.6, MIME, DKIM-Signature). The first of them below the
 * edge's Received field ends the receiver's trace block: what follows was written before the receiver saw it.
 */
const MESSAGE_FIELDS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'dkim-signature',
  'x-google-dkim-signature',
  'list-unsubscribe',
  'list-id'
])

function domainOfAddress(v: string | undefined): string | undefined {
  if (!v) return undefined
  const m = /@([^\s>@;,"]+)\s*>?\s*$/.exec(v.trim()) ?? /<[^@>]*@([^>]+)>/.exec(v)
  return m ? m[1].toLowerCase().replace(/\.+$/, '') : undefined
}

/** The RFC 5322.From domain of a header list (first address of the last From field... there should be one). */
export function fromDomainOf(headers: HeaderField[]): string | undefined {
  const from = headers.find((h) => h?.name?.toLowerCase() === 'from')
  if (!from) return undefined
  const angle = /<[^<>@]*@([^<>\s]+)>/.exec(from.value)
  if (angle) return angle[1].toLowerCase()
  const bare = /[^\s<>@,;:"]+@([a-z0-9.-]+)/i.exec(from.value)
  return bare ? bare[1].toLowerCase() : undefined
}

function span(source: string, text: string, needle: string): EvidenceSpan {
  const at = text.toLowerCase().indexOf(needle.toLowerCase())
  return at >= 0 ? { source, text, start: at, end: at + needle.length } : { source, text }
}

function verdictFinding(
  id: string,
  severity: Finding['severity'],
  title: Text,
  detail: Text,
  v: RecordedVerdict,
  raw: string,
  remedy?: string
): Finding {
  return textFinding({
    id,
    severity,
    title,
    detail,
    evidence: [span(v.source.header, raw, `${v.method}=${v.result}`)],
    ...(remedy ? { remedy } : {})
  })
}

/**
 * Read every Authentication-Results, ARC-Authentication-Results and Received-SPF field, choose the ones the
 * receiving organisation wrote, and summarise their verdicts per mechanism with findings.
 */
export function analyzeRecordedAuth(headers: HeaderField[], options: RecordedOptions = {}): RecordedAuth {
  const list = (headers ?? []).filter((h) => h && typeof h.name === 'string' && typeof h.value === 'string')
  const authResults: AuthResultsHeader[] = []
  const arcResults: AuthResultsHeader[] = []
  const receivedSpf: ReceivedSpf[] = []
  const receivedPos: number[] = []
  list.forEach((h, idx) => {
    const name = h.name.trim().toLowerCase()
    if (name === 'received') receivedPos.push(idx)
    else if (name === 'authentication-results' || name === 'arc-authentication-results') {
      const p = parseAuthResults(h.value)
      const entry: AuthResultsHeader = {
        header: name === 'authentication-results' ? 'Authentication-Results' : 'ARC-Authentication-Results',
        headerIndex: idx,
        results: p.results,
        raw: h.value
      }
      if (p.authservId) entry.authservId = p.authservId
      if (p.instance !== undefined) entry.instance = p.instance
      ;(name === 'authentication-results' ? authResults : arcResults).push(entry)
    } else if (name === 'received-spf') receivedSpf.push(parseReceivedSpf(h.value, idx))
  })

  // Receiving organisation and where the edge hop's Received field sits in the header list.
  const chain = options.chain
  const orgs = new Set<string>(chain?.receivingOrgs ?? [])
  for (const d of options.receivingDomains ?? []) {
    const o = orgOfId(d)
    if (o) orgs.add(o)
  }
  const edgeHop = chain?.edge ? chain.hops[chain.edge.index] : undefined
  const edgeBy = orgOfId(edgeHop?.by?.host)
  if (edgeBy) orgs.add(edgeBy)
  for (const fam of PROVIDER_FAMILIES)
    if (fam.domains.some((d) => orgs.has(d))) fam.domains.forEach((d) => orgs.add(d))
  const edgePos = edgeHop ? receivedPos[edgeHop.headerIndex] : undefined
  const aboveEdge = (idx: number): boolean => edgePos === undefined || idx < edgePos
  // The edge hop's trace block: the fields right under its Received field, up to the next Received field (the hop
  // before it) or the first field of the message itself. Gmail writes "Received: ... by mx.google.com", then
  // Received-SPF and "Authentication-Results: mx.google.com" there; iCloud adds X-ICL-* fields in between.
  let edgeBlockEnd = edgePos ?? -1
  if (edgePos !== undefined) {
    edgeBlockEnd = list.length
    for (let i = edgePos + 1; i < list.length; i++) {
      const n = list[i].name.trim().toLowerCase()
      if (n === 'received' || MESSAGE_FIELDS.has(n)) {
        edgeBlockEnd = i
        break
      }
    }
  }
  const inEdgeBlock = (idx: number): boolean => edgePos !== undefined && idx > edgePos && idx < edgeBlockEnd
  const ofOrg = (id: string | undefined): boolean => {
    const o = orgOfId(id)
    return !!o && orgs.has(o)
  }

  let trusted: AuthResultsHeader[] = []
  let reason = ''
  let ambiguous = false
  // Under the edge's Received field only for providers known to write there (mail-provider-orgs.json): for any other
  // receiver a field in that position is as likely the sending MTA's own forgery as the receiver's.
  const underEdge = (id: string | undefined, idx: number): boolean =>
    inEdgeBlock(idx) && !!familyOf(orgOfId(id))?.authResultsUnderReceived
  const orgAbove = authResults.filter((a) => ofOrg(a.authservId) && aboveEdge(a.headerIndex))
  const byOrg = orgAbove.length
    ? orgAbove
    : authResults.filter((a) => ofOrg(a.authservId) && underEdge(a.authservId, a.headerIndex))
  if (byOrg.length) {
    // One receiving organisation may write several fields under different ids (iCloud: spf.icloud.com,
    // dkim-verifier.icloud.com, dmarc.icloud.com), so all of them form its verdict set; the most recent wins per
    // method. Two of its fields disagreeing on one method is worth flagging.
    trusted = byOrg
    const ids = [...new Set(byOrg.map((a) => a.authservId!.toLowerCase()))]
    const where = byOrg.some((a) => inEdgeBlock(a.headerIndex))
      ? " and sits in the edge hop's own trace block"
      : ''
    reason = `authserv-id "${byOrg[0].authservId}" belongs to the receiving organisation (${[...orgs].slice(0, 3).join(', ')})${where}`
    if (ids.length > 1) reason += `; its other ids are ${ids.slice(1).join(', ')}`
    const seen = new Map<string, string>()
    for (const r of byOrg.flatMap((a) => a.results.filter((x) => x.method !== 'dkim'))) {
      const prev = seen.get(r.method)
      if (prev !== undefined && prev !== r.result) ambiguous = true
      else seen.set(r.method, r.result)
    }
    if (ambiguous) reason += '; its fields disagree on a method — using the most recent'
  } else {
    const noId = authResults.filter((a) => !a.authservId && aboveEdge(a.headerIndex))
    const arc = arcResults
      .filter(
        (a) => ofOrg(a.authservId) && (aboveEdge(a.headerIndex) || underEdge(a.authservId, a.headerIndex))
      )
      .sort((a, b) => (b.instance ?? 0) - (a.instance ?? 0))
    if (noId.length) {
      trusted = noId
      reason =
        edgePos !== undefined
          ? 'no authserv-id (Microsoft 365 style); the field sits above the edge hop, so the receiving organisation wrote it'
          : 'no authserv-id (Microsoft 365 style) and no Received chain to place it; assumed to be the receiver'
      ambiguous = edgePos === undefined
    } else if (arc.length) {
      trusted = [arc[0]]
      reason = `ARC-Authentication-Results i=${arc[0].instance ?? '?'} from "${arc[0].authservId}", the receiving organisation (RFC 8617 §4.1.1: a copy of its Authentication-Results)`
    } else {
      const above = authResults.filter((a) => aboveEdge(a.headerIndex))
      if (above.length) {
        trusted = [above[0]]
        ambiguous = true
        reason = `authserv-id "${above[0].authservId ?? ''}" is not recognisably the receiving organisation's; using the most recent field above the edge hop`
      } else if (authResults.length) {
        trusted = []
        ambiguous = true
        reason =
          'every Authentication-Results field was added before the message reached the receiving organisation; none is trusted'
      } else {
        reason = 'the message carries no Authentication-Results'
      }
    }
  }

  // Received-SPF may omit receiver= (Gmail); under the edge it counts only when the edge receiver is such a provider.
  const edgeFamily = familyOf(edgeBy) ?? [...orgs].map(familyOf).find(Boolean)
  const trustedSpf = receivedSpf.filter((r) => {
    const o = orgOfId(r.receiver)
    const placed =
      aboveEdge(r.headerIndex) || (inEdgeBlock(r.headerIndex) && !!edgeFamily?.authResultsUnderReceived)
    return placed && (!r.receiver || !o || orgs.has(o))
  })

  const verdicts: Pick<RecordedAuth, 'spf' | 'dkim' | 'dmarc' | 'arc' | 'bimi' | 'compauth'> = { dkim: [] }
  const rawByIndex = new Map<number, string>()
  for (const a of trusted) {
    rawByIndex.set(a.headerIndex, a.raw)
    for (const r of a.results) {
      const v: RecordedVerdict = {
        method: r.method,
        result: r.result,
        comments: r.comments,
        props: r.props,
        source: { header: a.header, headerIndex: a.headerIndex }
      }
      if (r.reason !== undefined) v.reason = r.reason
      if (a.authservId) v.source.authservId = a.authservId
      if (r.method === 'dkim') verdicts.dkim.push(v)
      else if (r.method === 'spf' || r.method === 'dmarc' || r.method === 'arc' || r.method === 'bimi')
        verdicts[r.method] ??= v
      else if (r.method === 'compauth' && !verdicts.compauth) {
        verdicts.compauth = { ...v, ...(r.reason ? { decoded: decodeCompauthReason(r.reason) } : {}) }
      }
    }
  }
  if (!verdicts.spf && trustedSpf.length) {
    const r = trustedSpf[0]
    rawByIndex.set(r.headerIndex, r.raw)
    const props: Record<string, string> = {}
    if (r.envelopeFrom) props['smtp.mailfrom'] = r.envelopeFrom
    if (r.helo) props['smtp.helo'] = r.helo
    if (r.clientIp) props['client-ip'] = r.clientIp
    verdicts.spf = {
      method: 'spf',
      result: r.result,
      comments: r.comment ? [r.comment] : [],
      props,
      source: { header: 'Received-SPF', headerIndex: r.headerIndex }
    }
  }

  const findings = recordedFindings(verdicts, rawByIndex, fromDomainOf(list))
  const headerIndexes = [
    ...trusted.map((a) => a.headerIndex),
    ...trustedSpf.slice(0, 1).map((r) => r.headerIndex)
  ]
  const out: RecordedAuth = {
    authResults,
    arcResults,
    receivedSpf,
    trusted: { headerIndexes, reason, ambiguous },
    ...verdicts,
    findings
  }
  const id = trusted.find((a) => a.authservId)?.authservId
  if (id) out.trusted.authservId = id
  return out
}

function aligned(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  const oa = getDomain(a) ?? a
  const ob = getDomain(b) ?? b
  return oa.toLowerCase() === ob.toLowerCase()
}

function recordedFindings(
  v: Pick<RecordedAuth, 'spf' | 'dkim' | 'dmarc' | 'arc' | 'bimi' | 'compauth'>,
  raw: Map<number, string>,
  fromDomain: string | undefined
): Finding[] {
  const out: Finding[] = []
  const rawOf = (x: RecordedVerdict): string => raw.get(x.source.headerIndex) ?? ''
  const who = (x: RecordedVerdict): TextParam => x.source.authservId ?? text('auth:recorded.receiver')

  if (v.compauth && ['fail', 'softpass'].includes(v.compauth.result)) {
    const d = v.compauth.decoded
    const fail = v.compauth.result === 'fail'
    out.push(
      verdictFinding(
        'auth.compauth-fail',
        fail ? 'error' : 'warning',
        text(fail ? 'auth:recorded.compauthFail.title' : 'auth:recorded.compauthSoftpass.title'),
        text(d ? 'auth:recorded.compauthFail.detailReason' : 'auth:recorded.compauthFail.detail', {
          result: v.compauth.result,
          code: d?.code,
          meaning: d ? compauthMeaning(d) : undefined
        }),
        v.compauth,
        rawOf(v.compauth),
        v.dmarc?.result === 'fail' || d?.code === '000'
          ? 'dmarc-planner'
          : v.spf && v.spf.result !== 'pass'
            ? 'spf-builder'
            : 'dmarc-planner'
      )
    )
  }
  if (v.dmarc && v.dmarc.result === 'fail') {
    const policy =
      /p=(\w+)/i.exec(v.dmarc.comments.join(' '))?.[1] ?? v.dmarc.props['policy.published-domain-policy']
    out.push(
      verdictFinding(
        'auth.dmarc-fail',
        'error',
        text('auth:recorded.dmarcFail.title'),
        text(policy ? 'auth:recorded.dmarcFail.detailPolicy' : 'auth:recorded.dmarcFail.detail', {
          who: who(v.dmarc),
          from: v.dmarc.props['header.from'] ?? fromDomain ?? '?',
          policy
        }),
        v.dmarc,
        rawOf(v.dmarc),
        'dmarc-planner'
      )
    )
  }
  if (v.spf && ['fail', 'softfail', 'permerror'].includes(v.spf.result)) {
    const mailfrom = v.spf.props['smtp.mailfrom'] ?? v.spf.props['smtp.helo']
    const sev = v.spf.result === 'softfail' ? 'warning' : 'error'
    out.push(
      verdictFinding(
        v.spf.result === 'permerror' ? 'auth.spf-permerror' : 'auth.spf-fail',
        sev,
        v.spf.result === 'permerror'
          ? text('auth:recorded.spfPermerror.title')
          : text('auth:recorded.spfFail.title', { result: v.spf.result }),
        v.spf.result === 'permerror'
          ? text(
              mailfrom ? 'auth:recorded.spfPermerror.detail' : 'auth:recorded.spfPermerror.detailUnknown',
              {
                who: who(v.spf),
                domain: mailfrom
              }
            )
          : text(mailfrom ? 'auth:recorded.spfFail.detail' : 'auth:recorded.spfFail.detailUnknown', {
              who: who(v.spf),
              domain: mailfrom
            }),
        v.spf,
        rawOf(v.spf),
        'spf-builder'
      )
    )
  }
  const dkimPass = v.dkim.filter((d) => d.result === 'pass')
  const dkimFail = v.dkim.filter((d) => ['fail', 'neutral', 'permerror', 'policy'].includes(d.result))
  const headerFrom = v.dmarc?.props['header.from'] ?? fromDomain
  if (dkimFail.length && !dkimPass.length) {
    const d = dkimFail[0]
    out.push(
      verdictFinding(
        'auth.dkim-fail',
        'warning',
        text('auth:recorded.dkimFail.title'),
        text('auth:recorded.dkimFail.detail', {
          who: who(d),
          // The header's own comment (RFC 8601 §2.2) is the receiver's words: quoted as written, in quotes.
          result: d.comments.length ? `${d.result} « ${d.comments.join('; ')} »` : d.result,
          domain: d.props['header.d'] ?? d.props['header.i'] ?? '?'
        }),
        d,
        rawOf(d),
        'dkim-keygen'
      )
    )
  }
  if (headerFrom && dkimPass.length) {
    const anyAligned = dkimPass.some((d) =>
      aligned(d.props['header.d'] ?? domainOfAddress(d.props['header.i']), headerFrom)
    )
    if (!anyAligned) {
      const d = dkimPass[0]
      out.push(
        verdictFinding(
          'auth.dkim-misaligned',
          v.dmarc?.result === 'fail' ? 'error' : 'warning',
          text('auth:recorded.dkimMisaligned.title'),
          text('auth:recorded.dkimMisaligned.detail', {
            domain: d.props['header.d'] ?? d.props['header.i'] ?? '?',
            from: headerFrom
          }),
          d,
          rawOf(d),
          'dkim-keygen'
        )
      )
    }
  }
  if (v.dmarc?.result === 'fail' && (!v.dkim.length || v.dkim.every((d) => d.result === 'none'))) {
    const d = v.dkim[0] ?? v.dmarc
    out.push(
      verdictFinding(
        'auth.dkim-missing',
        'warning',
        text('auth:recorded.dkimMissing.title'),
        text('auth:recorded.dkimMissing.detail'),
        d,
        rawOf(d),
        'dkim-keygen'
      )
    )
  }
  if (v.arc && v.arc.result === 'fail') {
    out.push(
      verdictFinding(
        'auth.arc-fail',
        'warning',
        text('auth:recorded.arcFail.title'),
        text('auth:recorded.arcFail.detail', { who: who(v.arc) }),
        v.arc,
        rawOf(v.arc)
      )
    )
  }
  return out
}
