import ipaddr from 'ipaddr.js'
import type { Finding } from '../../../shared/schemas/common'
import type { MxHostReport, PtrReport } from '../../../shared/schemas/domain'
import type { DnsClient, MxRecord } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { couldNotCheck, finding, isIpLiteral } from './util'

export async function checkMx(input: {
  domain: string
  client: DnsClient
}): Promise<{ reports: MxHostReport[]; findings: Finding[] }> {
  const { domain, client } = input
  const findings: Finding[] = []
  const mx = await client.query(domain, 'MX')
  if (!isDefinitive(mx)) {
    findings.push(couldNotCheck('mx', 'the MX records', mx))
    return { reports: [], findings }
  }
  if (mx.status === 'nxdomain') {
    findings.push(
      finding({
        id: 'mx.domain-nxdomain',
        severity: 'critical',
        title: `${domain} does not exist in DNS`,
        detail:
          'The domain returns NXDOMAIN, so nobody can deliver to it and receivers reject mail from it (sender domain does not resolve).',
        fix: 'Check the spelling or the domain registration and its name servers.'
      })
    )
    return { reports: [], findings }
  }
  if (mx.status === 'nodata') {
    findings.push(
      finding({
        id: 'mx.none',
        severity: 'warning',
        title: 'No MX records',
        detail: `${domain} has no MX; senders fall back to its A/AAAA address (RFC 5321 §5.1 implicit MX). If the domain should not receive mail, publish a null MX (RFC 7505) instead; if it should, publish MX records.`,
        fixRecord: `${domain}. MX 0 .`
      })
    )
    return { reports: [], findings }
  }
  const records = (mx.records as MxRecord[]).slice().sort((a, b) => a.priority - b.priority)
  const isNullMx = (r: MxRecord): boolean => r.exchange === '' || r.exchange === '.'
  if (records.some(isNullMx)) {
    if (records.length > 1)
      findings.push(
        finding({
          id: 'mx.null-mixed',
          severity: 'error',
          title: 'Null MX published together with other MX records',
          detail:
            'RFC 7505 §3: a domain that advertises a null MX MUST NOT advertise any other MX records; senders behave inconsistently.',
          current: records.map((r) => `${r.priority} ${r.exchange || '.'}`).join(', '),
          fix: 'Remove the null MX if the domain receives mail, otherwise remove the other MX records.'
        })
      )
    else
      findings.push(
        finding({
          id: 'mx.null',
          severity: 'info',
          title: 'Domain accepts no mail (null MX)',
          detail:
            'RFC 7505 null MX: senders fail mail to this domain immediately, and many receivers reject mail FROM it because bounces could not be returned.'
        })
      )
  }
  const reports = await Promise.all(
    records.map(async (r): Promise<MxHostReport> => {
      const rep: MxHostReport = {
        exchange: r.exchange || '.',
        priority: r.priority,
        state: 'pass',
        addresses: [],
        isCname: false,
        isIpLiteral: isIpLiteral(r.exchange),
        isNull: isNullMx(r)
      }
      if (rep.isNull) {
        rep.state = records.length > 1 ? 'fail' : 'none'
        return rep
      }
      if (rep.isIpLiteral) {
        rep.state = 'fail'
        findings.push(
          finding({
            id: `mx.ip-literal:${r.exchange}`,
            severity: 'error',
            title: `MX ${r.exchange} is an IP address`,
            detail:
              'RFC 5321 §5.1 / RFC 1035 §3.3.9: an MX target must be a host name; senders look up A/AAAA for it and an address literal fails.',
            current: `${domain}. MX ${r.priority} ${r.exchange}`,
            fix: 'Point the MX at a host name that has an A/AAAA record for this address.',
            fixRecord: `mail.${domain}. A ${r.exchange}\n${domain}. MX ${r.priority} mail.${domain}.`
          })
        )
        return rep
      }
      const [cname, a, aaaa] = await Promise.all([
        client.query(r.exchange, 'CNAME'),
        client.query(r.exchange, 'A'),
        client.query(r.exchange, 'AAAA')
      ])
      if (cname.status === 'ok') {
        rep.isCname = true
        rep.state = 'warn'
        findings.push(
          finding({
            id: `mx.cname:${r.exchange}`,
            severity: 'warning',
            title: `MX ${r.exchange} is a CNAME`,
            detail: `RFC 2181 §10.3 and RFC 5321 §5.1: MX targets must not be aliases (it points to ${String(cname.records[0])}). Most MTAs cope, some reject or loop.`,
            current: `${domain}. MX ${r.priority} ${r.exchange}`,
            fix: 'Point the MX directly at the canonical host name.',
            fixRecord: `${domain}. MX ${r.priority} ${String(cname.records[0])}.`
          })
        )
      }
      if (!isDefinitive(a) || !isDefinitive(aaaa)) {
        rep.state = 'could_not_check'
        findings.push(
          couldNotCheck(`mx.${r.exchange}`, `the address of MX ${r.exchange}`, !isDefinitive(a) ? a : aaaa)
        )
      }
      rep.addresses = [
        ...(a.status === 'ok' ? a.records : []),
        ...(aaaa.status === 'ok' ? aaaa.records : [])
      ].map(String)
      if (rep.addresses.length === 0 && isDefinitive(a) && isDefinitive(aaaa)) {
        rep.state = 'fail'
        findings.push(
          finding({
            id: `mx.no-address:${r.exchange}`,
            severity: 'error',
            title: `MX ${r.exchange} has no address`,
            detail: `${r.exchange} has no A or AAAA record (${a.status}), so senders cannot deliver through it (RFC 5321 §5.1).`,
            current: `${domain}. MX ${r.priority} ${r.exchange}`,
            fix: `Publish an A/AAAA record for ${r.exchange} or remove the MX.`
          })
        )
      }
      return rep
    })
  )
  return { reports, findings }
}

export function reverseName(ip: string): string {
  const addr = ipaddr.process(ip)
  if (addr.kind() === 'ipv4')
    return `${(addr as ipaddr.IPv4).octets.slice().reverse().join('.')}.in-addr.arpa`
  const hex = (addr as ipaddr.IPv6)
    .toByteArray()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
  return `${hex.split('').reverse().join('.')}.ip6.arpa`
}

function sameIp(a: string, b: string): boolean {
  try {
    return ipaddr.process(a).toNormalizedString() === ipaddr.process(b).toNormalizedString()
  } catch {
    return false
  }
}

/** PTR + forward-confirmed reverse DNS (FCrDNS) for each sending IP, and whether the HELO name resolves to it. */
export async function checkPtr(input: {
  ips: string[]
  helo?: string
  client: DnsClient
}): Promise<{ reports: PtrReport[]; findings: Finding[] }> {
  const { client, helo } = input
  const findings: Finding[] = []
  const reports: PtrReport[] = []
  for (const ip of input.ips) {
    if (!ipaddr.isValid(ip)) {
      findings.push(
        finding({
          id: `ptr.bad-ip:${ip}`,
          severity: 'error',
          title: `"${ip}" is not an IP address`,
          detail: 'Skipped.'
        })
      )
      continue
    }
    const v6 = ipaddr.process(ip).kind() === 'ipv6'
    const rep: PtrReport = { ip, state: 'pass', names: [], heloResolves: null }
    const ptr = await client.query(reverseName(ip), 'PTR')
    if (!isDefinitive(ptr)) {
      rep.state = 'could_not_check'
      findings.push(couldNotCheck(`ptr.${ip}`, `reverse DNS of ${ip}`, ptr))
    } else if (ptr.status !== 'ok') {
      rep.state = 'fail'
      findings.push(
        finding({
          id: `ptr.missing:${ip}`,
          severity: 'error',
          title: `${ip} has no reverse DNS (PTR)`,
          detail:
            'Gmail, Microsoft and many others reject or junk mail from IPs without a PTR record (sisimai reason "requireptr"); RFC 1912 §2.1 and M3AAWG ask for matching forward and reverse DNS for mail servers.',
          fix: `Ask whoever owns ${ip} (hosting/ISP) to set its PTR to your mail server's host name, and give that name an ${v6 ? 'AAAA' : 'A'} record for ${ip}.`,
          fixRecord: `${reverseName(ip)}. PTR mail.example.com.`
        })
      )
    } else {
      rep.names = ptr.records.map(String).slice(0, 10)
      for (const n of rep.names) {
        const fwd = await client.query(n, v6 ? 'AAAA' : 'A')
        if (fwd.status === 'ok' && fwd.records.some((r) => sameIp(String(r), ip))) {
          rep.confirmedName = n
          break
        }
      }
      if (!rep.confirmedName) {
        rep.state = 'fail'
        findings.push(
          finding({
            id: `ptr.not-confirmed:${ip}`,
            severity: 'error',
            title: `Reverse DNS of ${ip} is not forward-confirmed`,
            detail: `${ip} points to ${rep.names.join(', ')}, but ${rep.names.length > 1 ? 'none of those names resolves' : 'that name does not resolve'} back to ${ip}. Receivers checking FCrDNS treat the host as unidentified.`,
            current: rep.names.join(', '),
            fix: `Add an ${v6 ? 'AAAA' : 'A'} record for ${rep.names[0]} pointing to ${ip}.`,
            fixRecord: `${rep.names[0]}. ${v6 ? 'AAAA' : 'A'} ${ip}`
          })
        )
      }
    }
    if (helo) {
      rep.helo = helo
      if (isIpLiteral(helo) || !helo.includes('.')) {
        rep.heloResolves = false
        findings.push(
          finding({
            id: `helo.not-fqdn:${ip}`,
            severity: 'warning',
            title: `HELO "${helo}" is not a fully qualified host name`,
            detail:
              'RFC 5321 §4.1.1.1 requires the EHLO argument to be the FQDN of the client (or an address literal when it has none); many receivers reject bare names and literals.',
            fix: `Configure the server to announce ${rep.confirmedName ?? 'its host name'} in EHLO.`
          })
        )
      } else {
        const fwd = await client.query(helo, v6 ? 'AAAA' : 'A')
        if (!isDefinitive(fwd)) findings.push(couldNotCheck(`helo.${ip}`, `the HELO name ${helo}`, fwd))
        else {
          rep.heloResolves = fwd.status === 'ok' && fwd.records.some((r) => sameIp(String(r), ip))
          if (!rep.heloResolves)
            findings.push(
              finding({
                id: `helo.mismatch:${ip}`,
                severity: 'warning',
                title: `HELO name ${helo} does not resolve to ${ip}`,
                detail: `${helo} ${fwd.status === 'ok' ? `resolves to ${fwd.records.join(', ')}` : 'has no address'}. Receivers (and SPF checks of the HELO identity, RFC 7208 §2.3) expect the EHLO name to point back at the connecting IP.`,
                fix: `Use ${rep.confirmedName ?? 'a name that resolves to the IP'} as the EHLO name, or add the address record.`,
                fixRecord: `${helo}. ${v6 ? 'AAAA' : 'A'} ${ip}`
              })
            )
        }
      }
    }
    reports.push(rep)
  }
  return { reports, findings }
}
