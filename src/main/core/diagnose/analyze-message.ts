import { getDomain } from 'tldts'
import type { Analysis, EvidenceKind } from '../../../shared/schemas/analysis'
import { analyzeReceived } from '../headers/received'
import type { ParsedMessage } from '../mime'

function addr(a?: { name: string; address: string }): string | null {
  if (!a) return null
  return a.name ? `${a.name} <${a.address}>` : a.address
}

function domainOf(address: string | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1
  if (!address || at < 0) return null
  return address.slice(at + 1).toLowerCase().replace(/[>\s]+$/, '') || null
}

/** Offline analysis of one parsed message: everything that needs no DNS. */
export async function analyzeParsed(file: string, msg: ParsedMessage, _raw: Uint8Array | string): Promise<Analysis> {
  const header = (n: string) => msg.headers.find((h) => h.name.toLowerCase() === n)?.value ?? null
  const kind: EvidenceKind = msg.headersOnly ? 'headers' : 'message'
  const recipientDomains = msg.to.map((t) => domainOf(t.address)).filter((d): d is string => !!d)
  const chain = analyzeReceived(msg.headers, { receivingDomains: recipientDomains })
  const fromDomain = domainOf(msg.from?.address)
  return {
    file,
    kind,
    summary: {
      from: addr(msg.from),
      to: msg.to.map((t) => addr(t)).join(', ') || null,
      subject: msg.subject ?? null,
      date: msg.date ?? null,
      messageId: msg.messageId ?? null,
      returnPath: header('return-path')
    },
    headers: msg.headers,
    hops: chain.hops,
    totalDelaySec: chain.totalDelaySec,
    edge: chain.edge,
    hopAnomalies: chain.anomalies,
    sendingIp: chain.edge?.ip ?? null,
    sendingDomain: fromDomain ? (getDomain(fromDomain) ?? fromDomain) : null,
    findings: [],
    warnings: msg.warnings.map((w) => w.message),
    details: {}
  }
}

export function analyzeSmtpText(file: string, text: string): Analysis {
  return {
    file,
    kind: 'smtp-text',
    summary: { from: null, to: null, subject: text.slice(0, 200), date: null, messageId: null },
    headers: [],
    hops: [],
    totalDelaySec: null,
    edge: null,
    hopAnomalies: [],
    sendingIp: null,
    sendingDomain: null,
    findings: [],
    warnings: [],
    details: { smtpText: text }
  }
}
