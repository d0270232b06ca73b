import ipaddr from 'ipaddr.js'
import type { Finding } from '../../../shared/schemas/common'
import type { MxHostReport, PtrReport } from '../../../shared/schemas/domain'
import type { DnsClient, MxRecord } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { text } from '../../../shared/text'
import { couldNotCheck, finding, isIpLiteral } from './util'

export async function checkMx(input: {
  domain: string
  client: DnsClient
}): Promise<{ reports: MxHostReport[]; findings: Finding[] }> {
  const { domain, client } = input
  const findings: Finding[] = []
  const mx = await client.query(domain, 'MX')
  if (!isDefinitive(mx)) {
    findings.push(couldNotCheck('mx', text('checks:what.mx'), mx))
    return { reports: [], findings }
  }
  if (mx.status === 'nxdomain') {
    findings.push(
      finding({
        id: 'mx.domain-nxdomain',
        severity: 'critical',
        title: text('checks:mx.nxdomain.title', { domain }),
        detail: text('checks:mx.nxdomain.detail'),
        fix: text('checks:mx.nxdomain.fix')
      })
    )
    return { reports: [], findings }
  }
  if (mx.status === 'nodata') {
    findings.push(
      finding({
        id: 'mx.none',
        severity: 'warning',
        title: text('checks:mx.none.title'),
        detail: text('checks:mx.none.detail', { domain }),
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
          title: text('checks:mx.nullMixed.title'),
          detail: text('checks:mx.nullMixed.detail'),
          current: records.map((r) => `${r.priority} ${r.exchange || '.'}`).join(', '),
          fix: text('checks:mx.nullMixed.fix')
        })
      )
    else
      findings.push(
        finding({
          id: 'mx.null',
          severity: 'info',
          title: text('checks:mx.null.title'),
          detail: text('checks:mx.null.detail')
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
            title: text('checks:mx.ipLiteral.title', { host: r.exchange }),
            detail: text('checks:mx.ipLiteral.detail'),
            current: `${domain}. MX ${r.priority} ${r.exchange}`,
            fix: text('checks:mx.ipLiteral.fix'),
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
            title: text('checks:mx.cname.title', { host: r.exchange }),
            detail: text('checks:mx.cname.detail', { target: String(cname.records[0]) }),
            current: `${domain}. MX ${r.priority} ${r.exchange}`,
            fix: text('checks:mx.cname.fix'),
            fixRecord: `${domain}. MX ${r.priority} ${String(cname.records[0])}.`
          })
        )
      }
      if (!isDefinitive(a) || !isDefinitive(aaaa)) {
        rep.state = 'could_not_check'
        findings.push(
          couldNotCheck(
            `mx.${r.exchange}`,
            text('checks:what.mxAddress', { host: r.exchange }),
            !isDefinitive(a) ? a : aaaa
          )
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
            title: text('checks:mx.noAddress.title', { host: r.exchange }),
            detail: text('checks:mx.noAddress.detail', { host: r.exchange, status: a.status }),
            current: `${domain}. MX ${r.priority} ${r.exchange}`,
            fix: text('checks:mx.noAddress.fix', { host: r.exchange })
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
          title: text('checks:ptr.badIp.title', { ip }),
          detail: text('checks:ptr.badIp.detail')
        })
      )
      continue
    }
    const v6 = ipaddr.process(ip).kind() === 'ipv6'
    const rep: PtrReport = { ip, state: 'pass', names: [], heloResolves: null }
    const ptr = await client.query(reverseName(ip), 'PTR')
    if (!isDefinitive(ptr)) {
      rep.state = 'could_not_check'
      findings.push(couldNotCheck(`ptr.${ip}`, text('checks:what.ptr', { ip }), ptr))
    } else if (ptr.status !== 'ok') {
      rep.state = 'fail'
      findings.push(
        finding({
          id: `ptr.missing:${ip}`,
          severity: 'error',
          title: text('checks:ptr.missing.title', { ip }),
          detail: text('checks:ptr.missing.detail'),
          fix: text('checks:ptr.missing.fix', { ip, type: v6 ? 'AAAA' : 'A' }),
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
            title: text('checks:ptr.notConfirmed.title', { ip }),
            detail: text(
              rep.names.length > 1 ? 'checks:ptr.notConfirmed.detailMany' : 'checks:ptr.notConfirmed.detail',
              { ip, names: rep.names.join(', ') }
            ),
            current: rep.names.join(', '),
            fix: text('checks:ptr.notConfirmed.fix', { ip, name: rep.names[0], type: v6 ? 'AAAA' : 'A' }),
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
            title: text('checks:helo.notFqdn.title', { helo }),
            detail: text('checks:helo.notFqdn.detail'),
            fix: rep.confirmedName
              ? text('checks:helo.notFqdn.fixName', { name: rep.confirmedName })
              : text('checks:helo.notFqdn.fix')
          })
        )
      } else {
        const fwd = await client.query(helo, v6 ? 'AAAA' : 'A')
        if (!isDefinitive(fwd))
          findings.push(couldNotCheck(`helo.${ip}`, text('checks:what.helo', { helo }), fwd))
        else {
          rep.heloResolves = fwd.status === 'ok' && fwd.records.some((r) => sameIp(String(r), ip))
          if (!rep.heloResolves)
            findings.push(
              finding({
                id: `helo.mismatch:${ip}`,
                severity: 'warning',
                title: text('checks:helo.mismatch.title', { helo, ip }),
                detail: text(
                  fwd.status === 'ok'
                    ? 'checks:helo.mismatch.detail'
                    : 'checks:helo.mismatch.detailNoAddress',
                  { helo, addresses: fwd.records.join(', ') }
                ),
                fix: rep.confirmedName
                  ? text('checks:helo.mismatch.fixName', { name: rep.confirmedName })
                  : text('checks:helo.mismatch.fix'),
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
