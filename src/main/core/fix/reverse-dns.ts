import ipaddr from 'ipaddr.js'
import { getDomain } from 'tldts'
import type { FixSnippet } from '../../../shared/schemas/fix'
import type { ReportLanguage } from '../../../shared/schemas/workflow'
import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'
import { SaidError } from '../text/said-error'
import { line, snippet } from './snippet'

/**
 * Reverse DNS request for the owner of the sending IP (ISP / hosting provider). Receivers want forward-confirmed
 * reverse DNS: PTR ip → hostname and A/AAAA hostname → the same ip (Gmail 5.7.25, Postfix
 * reject_unknown_client_hostname, M365 IPv6 5.7.25). PTR names: in-addr.arpa (RFC 1035 §3.5) and nibble-format
 * ip6.arpa (RFC 3596 §2.5).
 */

export function ptrOwnerName(ip: string): string {
  const addr = ipaddr.parse(ip)
  if (addr.kind() === 'ipv4')
    return `${(addr as ipaddr.IPv4).octets.slice().reverse().join('.')}.in-addr.arpa`
  const hex = (addr as ipaddr.IPv6)
    .toNormalizedString()
    .split(':')
    .map((g) => g.padStart(4, '0'))
    .join('')
  return `${hex.split('').reverse().join('.')}.ip6.arpa`
}

export interface ReverseDnsInput {
  ip: string
  /** The mail server's FQDN, also used as HELO/EHLO name. */
  hostname: string
  provider?: string
  requester?: string
  organisation?: string
  /** The language the letter to the provider is written in (the reader's); English by default. */
  language?: ReportLanguage
}

export function reverseDnsRequest(input: ReverseDnsInput): FixSnippet[] {
  let addr: ipaddr.IPv4 | ipaddr.IPv6
  try {
    addr = ipaddr.parse(input.ip.trim())
  } catch {
    throw new SaidError(text('fixgen:rdns.badIp', { ip: input.ip }))
  }
  const ip = addr.toString()
  const host = input.hostname.trim().replace(/\.$/, '').toLowerCase()
  const warnings: Text[] = []
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host))
    warnings.push(text('fixgen:rdns.warn.notFqdn', { host: input.hostname }))
  if (addr.range() !== 'unicast')
    warnings.push(text('fixgen:rdns.warn.notPublic', { ip, range: addr.range() }))
  const digits = ip.split(/[.:]/).filter(Boolean)
  if (digits.length >= 3 && digits.slice(-2).every((d) => host.includes(d)))
    warnings.push(text('fixgen:rdns.warn.ipDigits'))
  if (/(dynamic|dhcp|dsl|cable|pool|client|customer|dyn)/i.test(host))
    warnings.push(text('fixgen:rdns.warn.dynamic'))
  const ptr = ptrOwnerName(ip)
  const type = addr.kind() === 'ipv6' ? 'AAAA' : 'A'
  const org = getDomain(host) ?? host
  const records = [
    snippet(
      'rdns-ptr',
      text('fixgen:rdns.ptrTitle'),
      'dns-ptr',
      [line(`${ptr}. 3600 IN PTR ${host}.`, text('fixgen:rdns.ptrLine', { ip }))],
      {
        name: ptr,
        record: `${host}.`
      }
    ),
    snippet(
      'rdns-forward',
      text('fixgen:rdns.forwardTitle', { type, org }),
      'dns-a',
      [line(`${host}. 3600 IN ${type} ${ip}`, text('fixgen:rdns.forwardLine'))],
      {
        name: host,
        record: ip
      }
    )
  ]
  // The letter is what the admin sends: written in their language, the records in it verbatim.
  const say = (code: string, params?: Record<string, string | undefined>) =>
    renderText(input.language ?? 'en', text(`fixgen:rdns.letter.${code}`, params))
  const provider = input.provider ?? say('provider')
  const letter = snippet(
    'rdns-request-letter',
    text('fixgen:rdns.letterTitle'),
    'text',
    [
      line(say('subject', { ip }), text('fixgen:rdns.why.subject')),
      line('', ''),
      line(say('hello', { provider }), ''),
      line('', ''),
      line(say('ask', { ip }), text('fixgen:rdns.why.ask')),
      line('', ''),
      line(`    ${ptr}. IN PTR ${host}.`, text('fixgen:rdns.why.record')),
      line('', ''),
      line(say('reason', { host, ip, type }), text('fixgen:rdns.why.reason')),
      line('', ''),
      line(say('thanks'), ''),
      line(
        `${input.requester ?? say('name')}${input.organisation ? `, ${input.organisation}` : ''}`,
        text('fixgen:rdns.why.sign')
      )
    ],
    { warnings }
  )
  return [...records, letter]
}
