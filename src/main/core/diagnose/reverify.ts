import type { Analysis, AuthAnalysis } from '../../../shared/schemas/analysis'
import { compareAuth, verifyAuth } from '../auth'
import { parseBounce } from '../bounce'
import type { DnsClient } from '../dns/types'
import { parseMessage, parseMsg, sniffInput } from '../mime'
import { collectFindings, verdictInputOf } from './analyze-message'
import { computeVerdict } from './verdict'

const angle = (s: string | null | undefined) => s?.replace(/^[\s<]+|[>\s]+$/g, '') || undefined

export interface ReverifyOptions {
  /** DNS access; undefined = offline, every DNS-dependent result stays `not_checked`. */
  client?: DnsClient
  now?: Date
  onProgress?: (done: number, total: number, label: string) => void
}

/**
 * Re-verifies the authentication of the stored evidence *today* (SPF RFC 7208, DKIM RFC 6376, DMARC RFC 7489, ARC
 * RFC 8617) and refreshes the verdict with the result. For a bounce the message checked is the returned original
 * (that is what the receiver judged), with the IP quoted in the rejection as the SMTP client: the NDR's own hops are
 * the way back to us and say nothing about the rejected delivery.
 */
export async function reverifyAnalysis(
  a: Analysis,
  content: Uint8Array,
  opts: ReverifyOptions = {}
): Promise<Analysis> {
  const total = 3
  opts.onProgress?.(0, total, 'parse')
  const sniff = sniffInput(content)
  if (a.kind === 'smtp-text' || a.kind === 'error' || sniff.kind === 'error' || sniff.kind === 'smtp-text')
    return a
  const msg = sniff.kind === 'msg' ? parseMsg(content) : await parseMessage(content)

  let target: {
    raw: string | Uint8Array
    headersOnly: boolean
    ip?: string
    helo?: string
    mailFrom?: string
    auth: AuthAnalysis
  }
  if (a.kind === 'bounce' && a.original) {
    const b = parseBounce(msg)
    if (!b.original?.raw.trim()) return a
    const o = a.original
    target = {
      raw: b.original.raw,
      headersOnly: o.headersOnly,
      ip: a.sendingIp ?? o.sendingIp ?? undefined,
      // The original's HELO is only known when the remote receiver's Received line came back with it.
      helo: o.edge?.ip && o.edge.ip === a.sendingIp ? o.edge.helo : undefined,
      mailFrom:
        angle(o.summary.returnPath) ??
        (o.summary.from ? /<([^>]+)>|(\S+@\S+)/.exec(o.summary.from)?.slice(1).find(Boolean) : undefined),
      auth: o.auth
    }
  } else if (a.auth) {
    target = {
      raw: sniff.kind === 'msg' ? msg.rawHeaders : content,
      headersOnly: sniff.kind === 'msg' || msg.headersOnly,
      ip: a.edge?.ip,
      helo: a.edge?.helo,
      mailFrom: angle(a.summary.returnPath),
      auth: a.auth
    }
  } else return a

  opts.onProgress?.(1, total, 'verify')
  const message = typeof target.raw === 'string' ? target.raw : Buffer.from(target.raw)
  const now = await verifyAuth({
    message,
    ip: target.ip,
    helo: target.helo,
    mailFrom: target.mailFrom,
    client: opts.client,
    headersOnly: target.headersOnly,
    now: opts.now
  })
  opts.onProgress?.(2, total, 'compare')
  const auth: AuthAnalysis = {
    recorded: target.auth.recorded,
    now,
    comparison: compareAuth(target.auth.recorded, now)
  }
  const next: Analysis =
    a.kind === 'bounce' && a.original ? { ...a, original: { ...a.original, auth } } : { ...a, auth }
  next.verdict = computeVerdict(verdictInputOf(next))
  next.findings = collectFindings(next)
  opts.onProgress?.(3, total, 'done')
  return next
}
