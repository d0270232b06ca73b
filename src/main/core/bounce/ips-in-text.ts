import ipaddr from 'ipaddr.js'
import { cleanIp } from '../headers/ip'

/**
 * IP addresses in a rejection text, by whose they are. A reporting MTA quotes two kinds: the server that answered
 * it (the receiver) and, inside that server's reply, the client the reply judged (the sender). Telling them apart
 * is what keeps a receiver's MX out of an SPF record, a sweep or a letter (see core/diagnose/parties.ts).
 */
const IPV4 = '(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}'
const IPV6 = '[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}'
/** Cheaper than ipaddr.isValid (which throws inside) for telling a host name from an address literal. */
export const LOOKS_LIKE_IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i
export const HOST = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+'

/**
 * Where a reporting MTA names the server that answered it — the receiver, never the sender:
 *   Postfix  "host mx.example.net[198.51.100.7] said:", "connect to mx[ip]:25: Connection refused"
 *   Exim     "SMTP error from remote mail server after RCPT TO:<x>: host mx.example.net [198.51.100.7]: 550 …"
 *   qmail    "198.51.100.7 does not like recipient." / "Remote host said:"
 *   DragonFly / others "mx.example.net [192.0.2.25] did not like our RCPT TO", "… refused to talk to me"
 *   RFC 3464 "Remote-MTA: dns; mx.example.net [198.51.100.7]"
 */
// Found by the bracketed address, then judged by the few words around it: anchored checks on short slices stay
// linear, where one regex with a host name in front of every bracket backtracks on long NDRs.
const BRACKETED = new RegExp(`\\[(?:IPv6:)?(${IPV4}|${IPV6})\\]`, 'gi')
const HOST_BEFORE = new RegExp(`(${HOST})\\.?\\s*$`, 'i')
const NAMED_BEFORE = /\b(?:host|connect(?:ion)? to|talking to)\s+\S+\s*$/i
const ANSWERED_AFTER =
  /^\s*(?::\s*[245]\d\d|:?\s*said\b|did not like|does not like|refused to talk|replied|responded|:\s*SMTP error|:\d+:)/i
const QMAIL_REMOTE = new RegExp(`(?:^|\\s)(${IPV4})\\s+(?:does not like|failed after I sent)`, 'gim')
const REMOTE_MTA = new RegExp(
  `^Remote-MTA:\\s*(?:dns|x-ip|ip|smtp)?;?\\s*(${HOST})?\\.?\\s*\\[?(${IPV4}|${IPV6})\\]?`,
  'gim'
)

/**
 * Where a rejection names the client it judged — the sender:
 *   "Client host [192.0.2.1] blocked using …" (Postfix), "banned sending IP [192.0.2.1]" (Microsoft),
 *   "Messages from 192.0.2.1 temporarily deferred" (Yahoo), "[192.0.2.1      12] Our system has detected"
 *   (Gmail, the IP padded with a counter), "Missing reverse DNS for 192.0.2.1", "192.0.2.1 is listed on …",
 *   "your IP 192.0.2.1", lookup URLs ending in the IP ("query/ip/192.0.2.1").
 */
const SENDER_BEFORE =
  /(?:client(?: host)?|sending ip|sender ip|your ip(?: address)?|ip address|connecting ip|source ip|from ip|messages from|mail from|connection from|from|ip|address|query\/ip|lookup|\/ip\/|dns|ptr|rdns|record|hostname|for|because|banned sending ip|sender)[\s:[(/=]*$/i
const SENDER_AFTER =
  /^[\])]?\s*(?:\d{1,3}\])?\s*(?:is\s+|was\s+|has been\s+|are\s+)?(?:blocked|listed|black|block|banned|rbl|dnsbl|on\s|in\s+(?:a\s+)?(?:black|block|rbl)|not (?:allowed|permitted|authori[sz]ed)|Our system)/i
const ANY_IP = new RegExp(
  `(?<![\\w.:-])(${IPV4}|(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*)(?![\\w.:])`,
  'gi'
)

export function canonicalIp(raw: string): string | undefined {
  const ip = cleanIp(raw)
  if (!ip) return undefined
  try {
    return ipaddr.process(ip).toString()
  } catch {
    return undefined
  }
}

export const usableIp = (ip: string | undefined): ip is string =>
  !!ip && ip !== '0.0.0.0' && !/^127\./.test(ip) && ip !== '::1'

/** The servers a reporting MTA quotes as the one that answered it: `{host, ip}` per mention. */
export function receiversInText(text: string): { host?: string; ip: string }[] {
  return receivers(text, false)
}

/**
 * `firstIpOnly`: remoteIpOf wants the first address alone, so stop there and skip reading host names (an anchored
 * regex over the words before every bracket).
 */
function receivers(text: string, firstIpOnly: boolean): { host?: string; ip: string }[] {
  const out: { host?: string; ip: string }[] = []
  const add = (rawIp: string, host?: () => string | undefined): boolean => {
    const ip = canonicalIp(rawIp)
    if (usableIp(ip) && !out.some((o) => o.ip === ip)) {
      const h = firstIpOnly ? undefined : host?.()
      out.push({ ...(h && !LOOKS_LIKE_IP.test(h) ? { host: h.toLowerCase() } : {}), ip })
    }
    return firstIpOnly && out.length > 0
  }
  if (text.includes('['))
    for (const m of text.matchAll(BRACKETED)) {
      const i = m.index ?? 0
      const before = text.slice(Math.max(0, i - 120), i)
      const after = text.slice(i + m[0].length, i + m[0].length + 40)
      if (NAMED_BEFORE.test(before) || ANSWERED_AFTER.test(after))
        if (add(m[1], () => HOST_BEFORE.exec(before)?.[1])) return out
    }
  if (/does not like|failed after I sent/i.test(text))
    for (const m of text.matchAll(QMAIL_REMOTE)) if (add(m[1])) return out
  if (/^Remote-MTA:/im.test(text))
    for (const m of text.matchAll(REMOTE_MTA)) if (add(m[2], () => m[1])) return out
  return out
}

/**
 * The IPs a rejection says it judged (the sender's), in order of appearance; never one the same text names as the
 * answering server. Only addresses the wording points at count: replies also carry version-like codes (Yahoo's
 * "4.16.55.1") that are not addresses.
 */
export function senderIpsInText(raw: string): string[] {
  const receivers = new Set(receiversInText(raw).map((r) => r.ip))
  // RFC 5321 §4.1.3 address literals "[IPv6:2001:db8::1]": blank the tag (same length, offsets stay)
  const text = raw.replace(/IPv6:/gi, '     ')
  const out: string[] = []
  for (const m of text.matchAll(ANY_IP)) {
    const ip = canonicalIp(m[1])
    if (!usableIp(ip) || receivers.has(ip) || out.includes(ip)) continue
    const i = m.index ?? 0
    const before = text.slice(Math.max(0, i - 40), i)
    const after = text.slice(i + m[1].length, i + m[1].length + 60)
    // "mx.example.net[192.0.2.1]": a host name glued to the bracket is the name of that address, a server
    if (/[a-z0-9-]\[$/i.test(before)) continue
    if (SENDER_BEFORE.test(before) || SENDER_AFTER.test(after)) out.push(ip)
  }
  return out
}

/**
 * The IP of the server that answered: the address in an RFC 3464 Remote-MTA field ("dns; mx.example [192.0.2.1]",
 * "x-ip; 192.0.2.1"), else the first server the text quotes as answering.
 */
export function remoteIpOf(remoteMta: string | undefined, text: string): string | undefined {
  const field = remoteMta
    ? /\[?((?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})\]?\s*$/i.exec(remoteMta.trim())
    : null
  const ip = field ? canonicalIp(field[1]) : undefined
  if (usableIp(ip)) return ip
  return receivers(text, true)[0]?.ip
}
