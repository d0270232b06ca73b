import ipaddr from 'ipaddr.js'
import { domainToASCII } from 'node:url'
import type { ListType } from '../../../shared/schemas/blocklist'

/**
 * Turning a target (IP or domain) into the label that is prepended to a list's zone, per RFC 5782:
 *   §2.1 IPv4: octets reversed, "192.0.2.99" → "99.2.0.192"
 *   §2.4 IPv6: the full 32 nibbles reversed, "2001:db8::1" → "1.0.0.0.…8.b.d.0.1.0.0.2"
 *   §2.3 domain: the name itself (lower-case A-labels; IDNs are converted to punycode, RFC 5890/5891)
 */

export interface Target {
  /** What the user typed. */
  input: string
  type: ListType
  /** Canonical form: dotted quad, RFC 5952 IPv6, or lower-case A-label domain. */
  value: string
  /** The label prepended to a zone. */
  label: string
  /** ipaddr.js range name for IPs ("unicast", "private", "loopback" ...). */
  range?: string
}

export class TargetError extends Error {
  override name = 'TargetError'
}

/** RFC 5782 §2.1. */
export function reverseIp4(ip: string): string {
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) throw new TargetError(`not an IPv4 address: ${ip}`)
  return ipaddr.IPv4.parse(ip).octets.slice().reverse().join('.')
}

/** RFC 5782 §2.4: every nibble, including leading zeros, least significant first. */
export function reverseIp6(ip: string): string {
  if (!ipaddr.IPv6.isValid(ip)) throw new TargetError(`not an IPv6 address: ${ip}`)
  const hex = ipaddr.IPv6.parse(ip)
    .toByteArray()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
  return hex.split('').reverse().join('.')
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

/** Lower-case, strip trailing dot, IDN → punycode; throws on anything that is not a host name. */
export function normaliseDomain(input: string): string {
  let name = input.trim().toLowerCase()
  // Accept "user@example.com" and "https://example.com/path" because that is how domains arrive from bounces.
  const at = name.lastIndexOf('@')
  if (at >= 0) name = name.slice(at + 1)
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/.exec(name)
  if (scheme) name = scheme[1]
  name = name.replace(/\.$/, '')
  const ascii = domainToASCII(name)
  if (!ascii || ascii.length > 253) throw new TargetError(`not a domain name: ${input}`)
  const labels = ascii.split('.')
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
    throw new TargetError(`not a domain name: ${input}`)
  }
  return ascii
}

/**
 * Classify and normalise one target. IPv4-mapped IPv6 (::ffff:192.0.2.1) is treated as the IPv4 address, which
 * is what a receiving MTA on a dual-stack socket actually checks.
 */
export function parseTarget(input: string): Target {
  const raw = input.trim().replace(/^\[|\]$/g, '')
  if (ipaddr.IPv4.isValidFourPartDecimal(raw)) {
    const ip = ipaddr.IPv4.parse(raw)
    return { input, type: 'ip4', value: ip.toString(), label: reverseIp4(ip.toString()), range: ip.range() }
  }
  if (ipaddr.IPv6.isValid(raw)) {
    const ip6 = ipaddr.IPv6.parse(raw.replace(/%.*$/, ''))
    if (ip6.isIPv4MappedAddress()) {
      const ip = ip6.toIPv4Address()
      return { input, type: 'ip4', value: ip.toString(), label: reverseIp4(ip.toString()), range: ip.range() }
    }
    const value = ip6.toRFC5952String()
    return { input, type: 'ip6', value, label: reverseIp6(value), range: ip6.range() }
  }
  const value = normaliseDomain(raw)
  return { input, type: 'domain', value, label: value }
}

/**
 * Label for a catalogue test point. Unlike parseTarget, IPv6 test points stay IPv6 (::FFFF:7F00:2 must be
 * queried as 32 nibbles, RFC 5782 §5) and domain test points are used verbatim ("test", "_dnsbl_.test").
 */
export function testPointLabel(point: string, type: ListType): string {
  if (type === 'ip4') return reverseIp4(point)
  if (type === 'ip6') return reverseIp6(point)
  return point.toLowerCase()
}

/** Query name for a label in a zone. */
export function queryName(label: string, zone: string): string {
  return `${label}.${zone}`
}
