import { crc32, deflateRawSync, gzipSync } from 'node:zlib'

/**
 * Small DMARC/TLS report fixtures written for the tests and the benchmark (never copies of the corpus):
 * aggregate XML in the RFC 7489 Appendix C shape, RFC 8460 JSON, and .zip/.gz/.eml containers.
 */

export interface FixtureRecord {
  ip: string
  count: number
  dkim?: 'pass' | 'fail'
  spf?: 'pass' | 'fail'
  disposition?: 'none' | 'quarantine' | 'reject'
  dkimDomain?: string
  selector?: string
  spfDomain?: string
  headerFrom?: string
}

export interface FixtureReport {
  org: string
  reportId: string
  domain: string
  /** Epoch seconds. */
  begin: number
  records: FixtureRecord[]
  p?: 'none' | 'quarantine' | 'reject'
}

export function aggregateXml(r: FixtureReport): string {
  const rec = (x: FixtureRecord) => `  <record>
    <row>
      <source_ip>${x.ip}</source_ip>
      <count>${x.count}</count>
      <policy_evaluated>
        <disposition>${x.disposition ?? 'none'}</disposition>
        <dkim>${x.dkim ?? 'fail'}</dkim>
        <spf>${x.spf ?? 'fail'}</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>${x.headerFrom ?? r.domain}</header_from>
    </identifiers>
    <auth_results>
${
  x.dkimDomain
    ? `      <dkim>
        <domain>${x.dkimDomain}</domain>
        ${x.selector ? `<selector>${x.selector}</selector>` : ''}
        <result>${x.dkim ?? 'fail'}</result>
      </dkim>
`
    : ''
}      <spf>
        <domain>${x.spfDomain ?? r.domain}</domain>
        <result>${x.spf ?? 'fail'}</result>
      </spf>
    </auth_results>
  </record>`
  return `<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>${r.org}</org_name>
    <email>noreply-dmarc@${r.org}</email>
    <report_id>${r.reportId}</report_id>
    <date_range>
      <begin>${r.begin}</begin>
      <end>${r.begin + 86399}</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>${r.domain}</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>${r.p ?? 'none'}</p>
    <pct>100</pct>
  </policy_published>
${r.records.map(rec).join('\n')}
</feedback>
`
}

export const gz = (s: string | Uint8Array) =>
  new Uint8Array(gzipSync(typeof s === 'string' ? Buffer.from(s) : s))

/** A .zip (PKWARE APPNOTE: local headers, central directory, end record); deflated unless `stored`. */
export function zip(entries: { name: string; data: string | Uint8Array }[], stored = false): Uint8Array {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const raw = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data)
    const data = stored ? raw : deflateRawSync(raw)
    const name = Buffer.from(e.name)
    const crc = crc32(raw)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(stored ? 0 : 8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(raw.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(stored ? 0 : 8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(raw.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, data)
    centrals.push(central, name)
    offset += local.length + name.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, cd, end]))
}

/** A report mail as receivers send it (RFC 7489 §7.2.1.1): a short text and the report as an attachment. */
export function reportEml(
  attachment: { name: string; type: string; data: Uint8Array },
  reporter = 'google.com'
): string {
  const b64 = Buffer.from(attachment.data).toString('base64').replace(/.{76}/g, '$&\r\n')
  return [
    `From: noreply-dmarc-support@${reporter}`,
    'To: dmarc@example.com',
    `Subject: Report domain: example.com Submitter: ${reporter}`,
    'Date: Tue, 02 Dec 2025 10:00:00 +0000',
    `Message-ID: <${attachment.name}@${reporter}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an aggregate report.',
    '--b1',
    `Content-Type: ${attachment.type}; name="${attachment.name}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${attachment.name}"`,
    '',
    b64,
    '--b1--',
    ''
  ].join('\r\n')
}

export function tlsReportJson(domain: string, reportId: string, begin: string): string {
  return JSON.stringify({
    'organization-name': 'Example Receiver',
    'date-range': { 'start-datetime': begin, 'end-datetime': begin.replace('T00:00:00Z', 'T23:59:59Z') },
    'contact-info': 'smtp-tls-reporting@receiver.example',
    'report-id': reportId,
    policies: [
      {
        policy: {
          'policy-type': 'sts',
          'policy-string': ['version: STSv1', 'mode: enforce'],
          'policy-domain': domain,
          'mx-host': [`mx1.${domain}`]
        },
        summary: { 'total-successful-session-count': 90, 'total-failure-session-count': 12 },
        'failure-details': [
          {
            'result-type': 'certificate-expired',
            'sending-mta-ip': '203.0.113.9',
            'receiving-mx-hostname': `mx1.${domain}`,
            'failed-session-count': 8
          },
          {
            'result-type': 'sts-policy-fetch-error',
            'sending-mta-ip': '203.0.113.9',
            'receiving-mx-hostname': `mx2.${domain}`,
            'failed-session-count': 4
          }
        ]
      }
    ]
  })
}
