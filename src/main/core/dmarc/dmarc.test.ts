import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  aggregateXml,
  gz,
  reportEml,
  tlsReportJson,
  zip,
  type FixtureReport
} from '../../../../test/support/dmarc-fixtures'
import { zoneClient } from '../../../../test/support/zone-client'
import { createIdentifier, type ServiceDef } from './identify'
import { readReportBytes } from './read-file'
import { readiness, summarise, type SummaryRecord } from './summary'
import { escapeStrayLt } from './xml'

const enc = (s: string) => new TextEncoder().encode(s)

const report: FixtureReport = {
  org: 'receiver.example',
  reportId: 'r-1',
  domain: 'shop.example',
  begin: 1_735_689_600,
  records: [
    { ip: '192.0.2.10', count: 7, dkim: 'pass', spf: 'pass', dkimDomain: 'shop.example', selector: 's1' },
    { ip: '198.51.100.5', count: 3, dkim: 'fail', spf: 'fail', disposition: 'none' }
  ]
}

describe('reading report files', () => {
  it('reads an RFC 7489 aggregate report with counts, policy and auth results', async () => {
    const { reports, errors } = await readReportBytes(enc(aggregateXml(report)), 'r.xml')
    expect(errors).toEqual([])
    const r = reports[0]
    if (r.kind !== 'aggregate') throw new Error('not aggregate')
    expect(r).toMatchObject({ orgName: 'receiver.example', reportId: 'r-1', begin: 1_735_689_600 })
    expect(r.policy).toMatchObject({ domain: 'shop.example', p: 'none', pct: 100, adkim: 'r' })
    expect(r.records.map((x) => [x.sourceIp, x.count, x.dkim, x.spf])).toEqual([
      ['192.0.2.10', 7, 'pass', 'pass'],
      ['198.51.100.5', 3, 'fail', 'fail']
    ])
    expect(r.records[0].authDkim).toEqual([{ domain: 'shop.example', selector: 's1', result: 'pass' }])
  })

  it('reads the DMARCbis schema (namespace, np, testing) and lower-cases PASS', async () => {
    const xml = `<?xml version="1.0"?><feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0"><version>1.0</version>
      <report_metadata><org_name>R</org_name><report_id>x</report_id><date_range><begin>1</begin><end>2</end></date_range></report_metadata>
      <policy_published><domain>a.example</domain><p>reject</p><np>quarantine</np><testing>n</testing><discovery_method>treewalk</discovery_method></policy_published>
      <record><row><source_ip>192.0.2.1</source_ip><count>4</count><policy_evaluated><disposition>None</disposition><dkim>PASS</dkim><spf>Fail</spf></policy_evaluated></row>
      <identifiers><header_from>a.example</header_from></identifiers><auth_results><spf><domain>a.example</domain><result>PASS</result></spf></auth_results></record></feedback>`
    const r = (await readReportBytes(enc(xml), 'bis.xml')).reports[0]
    if (r.kind !== 'aggregate') throw new Error('not aggregate')
    expect(r.xmlNamespace).toBe('urn:ietf:params:xml:ns:dmarc-2.0')
    expect(r.policy).toMatchObject({
      p: 'reject',
      np: 'quarantine',
      testing: 'n',
      discoveryMethod: 'treewalk',
      adkim: 'r'
    })
    expect(r.records[0]).toMatchObject({ disposition: 'none', dkim: 'pass', spf: 'fail', count: 4 })
  })

  it('escapes a "<" that cannot start a tag, and leaves markup alone', () => {
    expect(escapeStrayLt('<a>bad<xml.net</a><b x="1"/><!-- c -->')).toBe(
      '<a>bad&lt;xml.net</a><b x="1"/><!-- c -->'
    )
    expect(escapeStrayLt('<email><me@example.net></email>')).toBe('<email>&lt;me@example.net></email>')
  })

  it('refuses DTDs and entity declarations (XXE, billion laughs) with a clear code', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><feedback>&b;</feedback>`
    const res = await readReportBytes(enc(xml), 'lol.xml')
    expect(res.reports).toEqual([])
    expect(res.errors).toMatchObject([{ file: 'lol.xml', code: 'dmarc.doctype' }])
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><feedback>&e;</feedback>`
    expect((await readReportBytes(enc(xxe), 'xxe.xml')).errors[0].code).toBe('dmarc.doctype')
  })

  it('gives one clear error for a truncated report, an empty file and a file that is no report', async () => {
    const xml = aggregateXml(report)
    expect((await readReportBytes(enc(xml.slice(0, xml.length / 2)), 't.xml')).errors).toMatchObject([
      { code: 'dmarc.truncated', params: { file: 't.xml' } }
    ])
    expect((await readReportBytes(new Uint8Array(), 'e.xml')).errors[0].code).toBe('dmarc.empty')
    expect((await readReportBytes(enc('hello'), 'x.txt')).errors[0].code).toBe('dmarc.unknownFormat')
    const g = gz(xml)
    expect((await readReportBytes(g.subarray(0, g.length - 20), 't.xml.gz')).errors[0].code).toBe(
      'dmarc.badCompression'
    )
  })

  it('opens .gz (trailing junk ignored), .zip and .eml containers to the same report', async () => {
    const xml = aggregateXml(report)
    const plain = (await readReportBytes(enc(xml), 'r.xml')).reports.map(({ source: _s, ...r }) => r)
    const junk = new Uint8Array([...gz(xml), 0x0d, 0x0a])
    for (const [name, bytes] of [
      ['r.xml.gz', junk],
      ['r.zip', zip([{ name: 'r.xml', data: xml }])],
      [
        'r.eml',
        enc(reportEml({ name: 'r.zip', type: 'application/zip', data: zip([{ name: 'r.xml', data: xml }]) }))
      ],
      ['g.eml', enc(reportEml({ name: 'r.xml.gz', type: 'application/gzip', data: gz(xml) }))]
    ] as const) {
      const res = await readReportBytes(bytes, name)
      expect(res.errors, name).toEqual([])
      expect(
        res.reports.map(({ source: _s, ...r }) => r),
        name
      ).toEqual(plain)
    }
  })

  it('caps decompression: a zip bomb is refused, not inflated', async () => {
    const bomb = zip([{ name: 'big.xml', data: new Uint8Array(8 * 1024 * 1024) }])
    expect(bomb.length).toBeLessThan(20_000)
    const limits = { maxEntryBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024, maxEntries: 10 }
    const res = await readReportBytes(bomb, 'bomb.zip', limits)
    expect(res.errors).toMatchObject([{ code: 'dmarc.tooLarge' }])
    const gzBomb = new Uint8Array([
      0x1f,
      0x8b,
      0x08,
      0,
      0,
      0,
      0,
      0,
      0,
      3,
      ...deflateRawSync(new Uint8Array(8 * 1024 * 1024))
    ])
    expect((await readReportBytes(gzBomb, 'bomb.gz', limits)).errors[0].code).toBe('dmarc.tooLarge')
    const many = zip(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.xml`, data: 'x' })))
    expect((await readReportBytes(many, 'many.zip', limits)).errors[0].code).toBe('dmarc.tooManyEntries')
  })

  it('reads an RFC 8460 TLS report and an RFC 6591 failure report', async () => {
    const tls = (
      await readReportBytes(enc(tlsReportJson('shop.example', 'tls-1', '2025-01-01T00:00:00Z')), 't.json')
    ).reports[0]
    if (tls.kind !== 'tls') throw new Error('not tls')
    expect(tls.policies[0]).toMatchObject({
      policyType: 'sts',
      policyDomain: 'shop.example',
      successful: 90,
      failed: 12
    })
    expect(tls.policies[0].failures.map((f) => [f.resultType, f.receivingMx, f.count])).toEqual([
      ['certificate-expired', 'mx1.shop.example', 8],
      ['sts-policy-fetch-error', 'mx2.shop.example', 4]
    ])
    const arf = [
      'From: dmarc@reporter.example',
      'To: ruf@shop.example',
      'Subject: DMARC failure report',
      'Message-ID: <f1@reporter.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="x"',
      '',
      '--x',
      'Content-Type: text/plain',
      '',
      'A message failed DMARC.',
      '--x',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: auth-failure',
      'User-Agent: test/1.0',
      'Version: 1',
      'Auth-Failure: dmarc',
      'Source-IP: 198.51.100.5',
      'Reported-Domain: shop.example',
      'Arrival-Date: Wed, 01 Jan 2025 10:00:00 +0000',
      '',
      '--x',
      'Content-Type: text/rfc822-headers',
      '',
      'From: ceo@shop.example',
      'Subject: Invoice',
      '',
      '--x--',
      ''
    ].join('\r\n')
    const f = (await readReportBytes(enc(arf), 'f.eml')).reports[0]
    expect(f).toMatchObject({
      kind: 'failure',
      reportedDomain: 'shop.example',
      sourceIp: '198.51.100.5',
      authFailure: 'dmarc',
      subject: 'Invoice',
      reporter: 'reporter.example'
    })
  })
})

describe('sources, services and readiness', () => {
  const services: ServiceDef[] = [
    {
      id: 'google',
      name: 'Google Workspace',
      includes: ['_spf.google.example'],
      ptr: ['google.example'],
      dkimDomains: ['gappssmtp.example'],
      selectors: ['google']
    },
    {
      id: 'sendgrid',
      name: 'SendGrid',
      includes: [],
      ptr: ['sendgrid.example'],
      dkimDomains: ['sendgrid.example'],
      selectors: ['s1']
    }
  ]
  const client = zoneClient({
    '_spf.google.example': { TXT: ['v=spf1 include:_nb.google.example ~all'] },
    '_nb.google.example': { TXT: ['v=spf1 ip4:209.85.128.0/17 ip6:2001:db8::/32 ~all'] }
  })
  const rec = (
    ip: string,
    count: number,
    dkim: string,
    spf: string,
    day = '2025-01-01',
    dkimDomain = ''
  ): SummaryRecord => ({
    orgName: 'google.com',
    report: 1,
    day,
    dateBegin: 0,
    sourceIp: ip,
    count,
    disposition: 'none',
    dkim,
    spf,
    headerFrom: 'shop.example',
    authDkim: dkimDomain ? [{ domain: dkimDomain, selector: 's1', result: dkim }] : [],
    authSpf: []
  })

  it('identifies services by live SPF ranges, PTR suffix and DKIM d=; counts are sums of record counts', async () => {
    const identifier = await createIdentifier(services, client)
    const records = [
      rec('209.85.220.41', 40, 'pass', 'pass'),
      rec('209.85.220.41', 2, 'fail', 'fail', '2025-01-02'),
      rec('198.51.100.7', 5, 'pass', 'fail', '2025-01-01', 'sendgrid.example'),
      rec('203.0.113.66', 9, 'pass', 'fail', '2025-01-02', 'shop.example'),
      rec('192.0.2.99', 4, 'fail', 'fail')
    ]
    const ptr = (ip: string) => (ip === '209.85.220.41' ? 'mail-sor-f41.google.example' : null)
    const s = summarise('shop.example', records, ptr, identifier, new Map())
    expect(s.messages).toBe(60)
    expect(s.dmarcPass).toBe(54)
    expect(s.timeline).toEqual([
      { day: '2025-01-01', messages: 49, dmarcPass: 45 },
      { day: '2025-01-02', messages: 11, dmarcPass: 9 }
    ])
    const by = Object.fromEntries(s.sources.map((x) => [x.ip, x]))
    expect(by['209.85.220.41'].service).toEqual({
      id: 'google',
      name: 'Google Workspace',
      signals: ['spf', 'ptr']
    })
    expect(by['209.85.220.41'].messages).toBe(42)
    expect(by['198.51.100.7'].service?.id).toBe('sendgrid')
    expect(by['203.0.113.66'].category).toBe('forwarder')
    expect(by['192.0.2.99'].category).toBe('unknown')
  })

  it('says ready only when every legitimate source passes, and lists what the policy would hit', async () => {
    const identifier = await createIdentifier(services, client)
    const records = [
      rec('209.85.220.41', 98, 'pass', 'pass'),
      rec('209.85.220.41', 1, 'fail', 'fail'),
      rec('192.0.2.99', 4, 'fail', 'fail')
    ]
    const none = readiness(
      summarise('shop.example', records, () => null, identifier, new Map()),
      'reject',
      30
    )
    expect(none.verdict.code).toBe('dmarc.readiness.noLegitimate')
    const marked = new Map([['service:google', true]])
    const ok = readiness(
      summarise('shop.example', records, () => null, identifier, marked),
      'reject',
      30
    )
    expect(ok.verdict).toMatchObject({ code: 'dmarc.readiness.ready', params: { target: 'reject' } })
    expect(ok.wouldHit.map((h) => [h.ip, h.failing, h.legitimate])).toEqual([
      ['209.85.220.41', 1, true],
      ['192.0.2.99', 4, null]
    ])
    const strict = readiness(
      summarise('shop.example', records, () => null, identifier, marked),
      'reject',
      30,
      0.999
    )
    expect(strict.verdict).toMatchObject({
      code: 'dmarc.readiness.notReady',
      params: { worst: '209.85.220.41', count: 1 }
    })
    expect(strict.stagedPct).toBe(true)
  })
})
