import ipaddr from 'ipaddr.js'
import { getDomain } from 'tldts'
import type { FixSnippet } from '../../../shared/schemas/fix'
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
}

export function reverseDnsRequest(input: ReverseDnsInput): FixSnippet[] {
  const addr = ipaddr.parse(input.ip.trim())
  const ip = addr.toString()
  const host = input.hostname.trim().replace(/\.$/, '').toLowerCase()
  const warnings: string[] = []
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host))
    warnings.push(`"${input.hostname}" is not a fully qualified host name.`)
  if (addr.range() !== 'unicast')
    warnings.push(`${ip} is a ${addr.range()} address; only public addresses can get a useful PTR record.`)
  const digits = ip.split(/[.:]/).filter(Boolean)
  if (digits.length >= 3 && digits.slice(-2).every((d) => host.includes(d)))
    warnings.push(
      'The hostname contains the IP digits; receivers treat such names as dynamic/generic. Prefer a name like mail.example.com.'
    )
  if (/(dynamic|dhcp|dsl|cable|pool|client|customer|dyn)/i.test(host))
    warnings.push('The hostname looks like a residential/dynamic name; choose a name in your own domain.')
  const ptr = ptrOwnerName(ip)
  const type = addr.kind() === 'ipv6' ? 'AAAA' : 'A'
  const org = getDomain(host) ?? host
  const records = [
    snippet(
      'rdns-ptr',
      'PTR record (set by the owner of the IP)',
      'dns-ptr',
      [
        line(
          `${ptr}. 3600 IN PTR ${host}.`,
          `Reverse DNS for ${ip}: only the holder of the IP block (your ISP or hosting provider) can publish it.`
        )
      ],
      {
        name: ptr,
        record: `${host}.`
      }
    ),
    snippet(
      'rdns-forward',
      `${type} record (set in your DNS for ${org})`,
      'dns-a',
      [
        line(
          `${host}. 3600 IN ${type} ${ip}`,
          `Forward DNS for the hostname, pointing back to the same IP, which makes the reverse DNS "forward-confirmed".`
        )
      ],
      {
        name: host,
        record: ip
      }
    )
  ]
  const provider = input.provider ?? 'your support team'
  const letter = snippet(
    'rdns-request-letter',
    'Request to the IP provider',
    'text',
    [
      line(
        `Subject: Reverse DNS (PTR) request for ${ip}`,
        'Short subject with the IP, so the ticket is routed to the network team.'
      ),
      line('', ''),
      line(`Hello ${provider},`, ''),
      line('', ''),
      line(
        `please set the reverse DNS (PTR record) of our IP address ${ip} to:`,
        'What you need, stated plainly.'
      ),
      line('', ''),
      line(
        `    ${ptr}. IN PTR ${host}.`,
        'The exact record, in zone-file form, so nothing is lost in translation.'
      ),
      line('', ''),
      line(
        `We run a mail server on this address. ${host} already resolves to ${ip} (${type} record), so the name is forward-confirmed; receiving mail servers such as Gmail and Microsoft reject mail from IPs without matching reverse DNS.`,
        'Why it matters and that the forward record is in place (publish it first).'
      ),
      line('', ''),
      line(`Thank you,`, ''),
      line(
        `${input.requester ?? '[name]'}${input.organisation ? `, ${input.organisation}` : ''}`,
        'Sign with the name on the account, or the provider may refuse the change.'
      )
    ],
    { warnings }
  )
  return [...records, letter]
}
