import { getDomain } from 'tldts'
import type { PartyValue, Parties } from '../../../shared/schemas/analysis'
import type { BounceRecipient, BounceResult } from '../../../shared/schemas/bounce'
import type { HopChain } from '../../../shared/schemas/message'
import {
  canonicalIp,
  HOST,
  LOOKS_LIKE_IP,
  receiversInText,
  senderIpsInText,
  usableIp
} from '../bounce/ips-in-text'
import { cleanIp, isInternalIp } from '../headers/ip'

export { receiversInText, senderIpsInText }

/**
 * Who is who. A bounce carries three parties: the sender (the admin using this tool: the original's From domain that
 * DMARC aligns with, the envelope domain, and the sending MTA's host, HELO and IP as the receiver saw them), the
 * receiver (the host that refused the message, its IP and its organisation) and relays in between. Fixes, sweep
 * targets and letters must only ever use the sender's values: offering a receiver's IP as "yours" would have an
 * admin authorise a stranger's MX in their SPF record.
 *
 * Every value names its source (a header, a DSN field, a quoted phrase) and a confidence, so the UI can show why.
 */

const org = (host: string | undefined | null): string | undefined => {
  if (!host) return undefined
  const h = host.toLowerCase().replace(/\.$/, '')
  if (LOOKS_LIKE_IP.test(h)) return undefined
  return getDomain(h) ?? undefined
}
const domainOf = (address: string | undefined | null): string | undefined => {
  const at = address?.lastIndexOf('@') ?? -1
  if (!address || at < 0) return undefined
  const d = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/[>\s]+$/, '')
  return d || undefined
}

function hostOf(mta: string | undefined): string | undefined {
  if (!mta) return undefined
  const m = new RegExp(`(${HOST})`, 'i').exec(mta.replace(/^\s*(?:dns|smtp|x-[a-z-]+);\s*/i, ''))
  return m && !LOOKS_LIKE_IP.test(m[1]) ? m[1].toLowerCase().replace(/\.$/, '') : undefined
}

const v = (value: string, source: string, confidence: number): PartyValue => ({
  value,
  source,
  confidence
})

export interface PartiesInput {
  kind: 'bounce' | 'smtp-text' | 'message' | 'headers' | 'auto-reply' | 'challenge' | 'feedback' | 'error'
  /** The evidence's own From / To / Return-Path addresses and Received chain. */
  from?: string | null
  to?: string[]
  returnPath?: string | null
  chain?: HopChain
  bounce?: Pick<BounceResult, 'reportingMta' | 'recipients'>
  /** The returned (or reported) original message, when there is one. */
  original?: { from?: string | null; returnPath?: string | null; to?: string[]; chain: HopChain }
}

/** Organisational domains that belong to the receiving side of this evidence. */
function receiverOrgs(input: PartiesInput, failed: BounceRecipient[]): Set<string> {
  const orgs = new Set<string>()
  for (const r of failed) {
    const d = org(domainOf(r.recipient))
    if (d) orgs.add(d)
    const h = org(hostOf(r.remoteMta))
    if (h) orgs.add(h)
  }
  for (const t of input.original?.to ?? []) {
    const d = org(domainOf(t))
    if (d) orgs.add(d)
  }
  return orgs
}

function emptyParties(): Parties {
  return {
    sender: { domain: null, envelopeDomain: null, host: null, helo: null, ip: null },
    receiver: { host: null, ip: null, domain: null },
    relays: []
  }
}

/** The sending MTA's HELO when the rejection quotes it ("Helo command rejected" names it in angle brackets). */
function heloInText(text: string): string | undefined {
  const m =
    /<([a-z0-9.-]+)>:\s*Helo command rejected/i.exec(text) ??
    /\b(?:HELO|EHLO)(?: name| hostname| argument)?\s*(?:=|:|is)?\s*[<[(]?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})[>\])]?/i.exec(
      text
    )
  return m?.[1]?.toLowerCase()
}

export function identifyParties(input: PartiesInput): Parties {
  const p = emptyParties()
  const failed = (input.bounce?.recipients ?? []).filter(
    (r) => !['delivered', 'relayed', 'expanded'].includes(r.action ?? '')
  )

  if (input.kind === 'message' || input.kind === 'headers') {
    // A message the admin received (a copy of their own mail at a test inbox): From is the sender, and the edge
    // hop of its Received chain is where the receiving organisation accepted it (RFC 5321 §4.4)
    const fromDomain = domainOf(input.from)
    if (fromDomain) p.sender.domain = v(fromDomain, 'From', 0.9)
    const env = domainOf(input.returnPath)
    if (env) p.sender.envelopeDomain = v(env, 'Return-Path', 0.9)
    const edge = input.chain?.edge
    if (edge) {
      const conf = edge.confidence === 'high' ? 0.9 : edge.confidence === 'medium' ? 0.7 : 0.5
      const src = `Received#${input.chain!.hops[edge.index]?.headerIndex ?? edge.index}`
      if (edge.ip && !isInternalIp(edge.ip)) p.sender.ip = v(edge.ip, src, conf)
      if (edge.helo) p.sender.helo = v(edge.helo.toLowerCase(), src, conf)
      if (edge.reverse) p.sender.host = v(edge.reverse.toLowerCase(), src, conf)
      if (edge.by) {
        p.receiver.host = v(edge.by.toLowerCase(), src, conf)
        const d = org(edge.by)
        if (d) p.receiver.domain = v(d, src, conf)
      }
    }
    return p
  }

  if (input.kind === 'auto-reply' || input.kind === 'challenge') {
    // The answer comes from the recipient's side, addressed to us: its To is the sender, its From the receiver
    const ours = domainOf(input.to?.[0])
    if (ours) p.sender.domain = v(ours, 'To', 0.7)
    const theirs = domainOf(input.from)
    if (theirs) p.receiver.domain = v(theirs, 'From', 0.8)
    return p
  }

  if (input.kind === 'feedback') {
    // RFC 5965 §3.2: Source-IP is the IP the reported message came from (ours); the report comes from the receiver
    const src = failed[0]?.sourceIp ?? input.bounce?.recipients.find((r) => r.sourceIp)?.sourceIp
    const ip = src ? canonicalIp(src) : undefined
    if (usableIp(ip)) p.sender.ip = v(ip, 'feedback-report:Source-IP', 0.9)
    const fromDomain = domainOf(input.original?.from)
    if (fromDomain) p.sender.domain = v(fromDomain, 'original:From', 0.9)
    const env = domainOf(input.original?.returnPath)
    if (env) p.sender.envelopeDomain = v(env, 'original:Return-Path', 0.8)
    const theirs = org(input.bounce?.reportingMta) ?? org(domainOf(input.from))
    if (theirs) p.receiver.domain = v(theirs, input.bounce?.reportingMta ? 'Reporting-MTA' : 'From', 0.7)
    return p
  }

  // A bounce or a pasted rejection.
  const texts = failed.map((r, i) => ({
    text: r.diagnosticCode ?? '',
    source: `diagnostic:${r.recipient || i + 1}`
  }))

  // Receiver: the host that answered (Remote-MTA, "host X[ip] said"), its IP, and its organisation.
  for (const r of failed) {
    const src = `diagnostic:${r.recipient || 1}`
    const quoted = receiversInText(r.diagnosticCode ?? '')
    const host = hostOf(r.remoteMta) ?? quoted.find((q) => q.host)?.host
    if (host && !p.receiver.host) p.receiver.host = v(host, r.remoteMta ? 'Remote-MTA' : src, 0.9)
    const rip = r.remoteIp ?? quoted.find((q) => !host || !q.host || q.host === host)?.ip
    if (usableIp(rip) && !p.receiver.ip) p.receiver.ip = v(rip, src, 0.9)
  }
  const rOrgs = receiverOrgs(input, failed)
  const rDomain = org(p.receiver.host?.value) ?? org(domainOf(failed[0]?.recipient))
  if (rDomain)
    p.receiver.domain = v(
      rDomain,
      p.receiver.host && org(p.receiver.host.value) ? p.receiver.host.source : 'Final-Recipient',
      0.8
    )

  // Sender domain: the original's From (what DMARC aligns with, RFC 7489 §3.1); without a returned original, the
  // bounce's own To — a DSN goes to the envelope sender (RFC 3464 §2, RFC 5321 §3.6.3)
  const oFrom = domainOf(input.original?.from)
  const bounceTo = domainOf(input.to?.[0])
  if (oFrom) p.sender.domain = v(oFrom, 'original:From', 0.95)
  else if (bounceTo) p.sender.domain = v(bounceTo, 'To', 0.6)
  const oEnv = domainOf(input.original?.returnPath)
  if (oEnv) p.sender.envelopeDomain = v(oEnv, 'original:Return-Path', 0.9)
  else if (bounceTo) p.sender.envelopeDomain = v(bounceTo, 'To', 0.7)
  const sOrgs = new Set([org(p.sender.domain?.value), org(p.sender.envelopeDomain?.value)].filter(Boolean))

  // Whose MTA wrote the report: ours when it relayed to another organisation, theirs when it is the recipient's
  // own server (a mailer-daemon at googlemail.com is Google's, not the sender's)
  const reporting = hostOf(input.bounce?.reportingMta ?? failed[0]?.reportingMta)
  const reportingOrg = org(reporting)
  let reporterSide: 'sender' | 'receiver' | 'relay' | undefined
  if (reporting) {
    if (reportingOrg && sOrgs.has(reportingOrg) && !rOrgs.has(reportingOrg)) reporterSide = 'sender'
    else if (reportingOrg && rOrgs.has(reportingOrg)) reporterSide = 'receiver'
    else if (p.receiver.host && org(p.receiver.host.value) !== reportingOrg) reporterSide = 'sender'
    else reporterSide = 'relay'
  }
  if (reporterSide === 'receiver' && !p.receiver.host) p.receiver.host = v(reporting!, 'Reporting-MTA', 0.7)

  // every server any recipient's report quotes as answering is on the receiving side
  const receiverIps = new Set(
    [
      p.receiver.ip?.value,
      ...failed.map((r) => r.remoteIp),
      ...failed.flatMap((r) => receiversInText(r.diagnosticCode ?? '').map((q) => q.ip))
    ].filter((x): x is string => !!x)
  )
  const isReceiverIp = (ip: string) => receiverIps.has(ip)

  // Sender IP: the address the rejection says it judged; else the original's edge when that edge is the
  // receiver's own Received line (the address it saw connecting, RFC 5321 §4.4)
  for (const t of texts) {
    const ip = senderIpsInText(t.text).find((x) => !isReceiverIp(x))
    if (ip) {
      p.sender.ip = v(ip, t.source, 0.9)
      break
    }
  }
  const chain = input.original?.chain
  const edge = chain?.edge
  const edgeByOrg = org(edge?.by)
  const edgeIsReceiver = !!edge && !!edgeByOrg && rOrgs.has(edgeByOrg) && !sOrgs.has(edgeByOrg)
  if (edge && edgeIsReceiver) {
    const src = `original:Received#${chain!.hops[edge.index]?.headerIndex ?? edge.index}`
    if (!p.sender.ip && edge.ip && !isInternalIp(edge.ip) && !isReceiverIp(edge.ip))
      p.sender.ip = v(edge.ip, src, 0.85)
    if (edge.helo) p.sender.helo = v(edge.helo.toLowerCase(), src, 0.85)
    if (edge.reverse) p.sender.host = v(edge.reverse.toLowerCase(), src, 0.85)
  }
  if (!p.sender.ip && chain) {
    // The returned copy holds only the sender's own hops: the last public client address on them is on the
    // sending side (a submission client or an internal relay), a weaker stand-in for the MTA's address
    for (let i = chain.hops.length - 1; i >= 0; i--) {
      const h = chain.hops[i]
      const ip = h.from?.ip
      if (!ip || !cleanIp(ip) || isInternalIp(ip) || isReceiverIp(ip)) continue
      if (org(h.by?.host) && rOrgs.has(org(h.by?.host)!) && !sOrgs.has(org(h.by?.host)!)) continue
      p.sender.ip = v(ip, `original:Received#${h.headerIndex}`, 0.5)
      break
    }
  }
  for (const t of texts) {
    const helo = heloInText(t.text)
    if (helo && !p.sender.helo) p.sender.helo = v(helo, t.source, 0.8)
  }
  if (reporterSide === 'sender' && reporting) {
    if (!p.sender.host) p.sender.host = v(reporting, 'Reporting-MTA', 0.7)
  } else if (reporterSide === 'relay' && reporting) {
    p.relays.push({ host: reporting, ip: null, source: 'Reporting-MTA' })
  }
  if (!p.sender.host && chain?.hops.length) {
    // The top of the returned copy's chain is the last server of ours that handled it
    const top = chain.hops[chain.hops.length - 1]
    const by = top.by?.host?.toLowerCase()
    if (by && (!org(by) || !rOrgs.has(org(by)!) || sOrgs.has(org(by)!)))
      p.sender.host = v(by, `original:Received#${top.headerIndex}`, 0.5)
  }
  return p
}

/**
 * The sender's HELO of one stored analysis: the parties' when known. Evidence stored before parties existed falls
 * back to what that version used: a plain message's edge, or a bounce's returned original's edge — never the
 * bounce's own edge, which is the receiver's MTA delivering the NDR to us.
 */
export function senderHelo(a: {
  kind: string
  parties?: Parties
  edge?: { helo?: string } | null
  original?: { edge?: { helo?: string } | null }
}): string | undefined {
  if (a.parties) return a.parties.sender.helo?.value
  return a.kind === 'message' || a.kind === 'headers' ? a.edge?.helo : a.original?.edge?.helo
}
