import ipaddr from 'ipaddr.js'

/**
 * IP helpers for trace fields. Classification uses ipaddr.js `range()` so that private, loopback and special-use
 * space (RFC 1918, RFC 6598, RFC 4193, RFC 6890) is recognised for both families.
 */

const IPV4_SHAPE = /^\d{1,3}(?:\.\d{1,3}){3}$/
const IPV6_SHAPE = /^[0-9a-f:.]+$/i

export type IpClass = 'public' | 'private' | 'loopback' | 'reserved'

/** Strip brackets, an "IPv6:" tag (RFC 5321 §4.1.3 address literal) and a trailing ":port" from IPv4. */
export function cleanIp(text: string): string | undefined {
  let t = text.trim()
  if (t.startsWith('[') && t.includes(']')) t = t.slice(1, t.indexOf(']'))
  t = t.replace(/^ipv6:/i, '')
  if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(t)) t = t.slice(0, t.lastIndexOf(':'))
  if (t.includes('%')) t = t.slice(0, t.indexOf('%'))
  if (!t || t.length > 45) return undefined
  // Cheap shape checks first: ipaddr.isValid costs ~15 µs per call, too much for 5,000-hop chains.
  if (IPV4_SHAPE.test(t)) return ipaddr.IPv4.isValidFourPartDecimal(t) ? t : undefined
  if (IPV6_SHAPE.test(t) && t.indexOf(':') !== t.lastIndexOf(':'))
    return ipaddr.IPv6.isValid(t) ? t : undefined
  return undefined
}

export function classifyIp(ip: string): IpClass {
  try {
    let addr = ipaddr.parse(ip)
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      addr = (addr as ipaddr.IPv6).toIPv4Address()
    }
    const range = addr.range()
    switch (range) {
      case 'unicast':
      case '6to4': // Google writes internal "by 2002:a05:..." hops; 6to4 space is globally routed
      case 'teredo':
      case 'rfc6052':
      case 'rfc6145':
        return 'public'
      case 'private':
      case 'uniqueLocal':
      case 'carrierGradeNat':
      case 'linkLocal':
        return 'private'
      case 'loopback':
        return 'loopback'
      default:
        return 'reserved'
    }
  } catch {
    return 'reserved'
  }
}

/** Internal to an organisation: private, loopback or link-local space. */
export function isInternalIp(ip: string | undefined): boolean {
  if (!ip) return false
  const c = classifyIp(ip)
  return c === 'private' || c === 'loopback'
}
