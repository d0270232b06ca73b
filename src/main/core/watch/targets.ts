import ipaddr from 'ipaddr.js'
import type { WatchTargetType } from '../../../shared/contract/watch'
import { parseTarget, TargetError } from '../blocklist/targets'

/**
 * A watch target: an IP address, a domain, or an IPv4 range of at most 256 addresses (/24). Larger ranges are
 * refused rather than sampled: a sweep of every address of a /16 against every list is 65,536 × N queries per run,
 * more than the free lists' usage terms allow (e.g. Spamhaus's public mirrors: "low volume, non-commercial").
 */
export interface WatchTargetSpec {
  type: WatchTargetType
  /** Canonical form: the IP, "192.0.2.0/24" (network address), or the lower-case A-label domain. */
  value: string
  /** Addresses a blocklist sweep queries (the range expanded); the domain itself for a domain. */
  addresses: string[]
}

export const MAX_RANGE_PREFIX = 24

export class WatchTargetError extends Error {
  override name = 'WatchTargetError'
}

export function parseWatchTarget(input: string): WatchTargetSpec {
  const raw = input.trim()
  const slash = raw.indexOf('/')
  if (slash >= 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    const addr = raw.slice(0, slash)
    const bits = raw.slice(slash + 1)
    if (!/^\d{1,3}$/.test(bits))
      throw new WatchTargetError(`"${input}" is not a range: write it as 192.0.2.0/24.`)
    if (ipaddr.IPv6.isValid(addr))
      throw new WatchTargetError(
        `"${input}" is an IPv6 range: watch the addresses that send mail one by one (an IPv6 /64 holds 2^64 addresses).`
      )
    if (!ipaddr.IPv4.isValidFourPartDecimal(addr))
      throw new WatchTargetError(`"${input}" is not an IPv4 range such as 192.0.2.0/24.`)
    const prefix = Number(bits)
    if (prefix > 32) throw new WatchTargetError(`"${input}": an IPv4 prefix is at most /32.`)
    if (prefix < MAX_RANGE_PREFIX)
      throw new WatchTargetError(
        `"${input}" is larger than a /${MAX_RANGE_PREFIX} (256 addresses): watch it as several /24 ranges or the sending addresses.`
      )
    const network = ipaddr.IPv4.networkAddressFromCIDR(raw).toString()
    if (prefix === 32) return { type: 'ip4', value: network, addresses: [network] }
    const base = ipaddr.IPv4.parse(network).toByteArray()
    const count = 2 ** (32 - prefix)
    const addresses: string[] = []
    for (let i = 0; i < count; i++) addresses.push([base[0], base[1], base[2], base[3] + i].join('.'))
    return { type: 'range', value: `${network}/${prefix}`, addresses }
  }
  try {
    const t = parseTarget(raw)
    return { type: t.type, value: t.value, addresses: [t.value] }
  } catch (e) {
    if (e instanceof TargetError)
      throw new WatchTargetError(`"${input}" is not an IP address, an IPv4 range up to /24 or a domain name.`)
    throw e
  }
}
