import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { aggregateXml, gz, reportEml, zip, type FixtureReport } from '../../../../test/support/dmarc-fixtures'
import { runCli } from '../cli'

/** `delivery-desk dmarc ingest|summary|readiness|mark --json` on generated reports and a loopback DNS server. */
const day = 1_735_689_600
const reports: FixtureReport[] = [
  {
    org: 'google.com',
    reportId: 'g-1',
    domain: 'shop.test',
    begin: day,
    records: [
      { ip: '209.85.220.41', count: 120, dkim: 'pass', spf: 'pass', dkimDomain: 'shop.test' },
      { ip: '192.0.2.66', count: 7, dkim: 'fail', spf: 'fail', disposition: 'none' }
    ]
  },
  {
    org: 'outlook.com',
    reportId: 'o-9',
    domain: 'shop.test',
    begin: day + 86400,
    records: [
      { ip: '209.85.220.41', count: 33, dkim: 'pass', spf: 'fail', dkimDomain: 'shop.test' },
      { ip: '198.51.100.20', count: 5, dkim: 'pass', spf: 'fail', dkimDomain: 'shop.test' }
    ]
  },
  {
    org: 'yahoo.com',
    reportId: 'y-3',
    domain: 'shop.test',
    begin: day + 86400,
    records: [{ ip: '192.0.2.66', count: 11 }]
  }
]
const sum = (rs: FixtureReport[]) => rs.reduce((n, r) => n + r.records.reduce((m, x) => m + x.count, 0), 0)

let dns: DnsTestServer
let dataDir: string
let inbox: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dd-cli-dmarc-'))
  inbox = join(dataDir, 'inbox')
  mkdirSync(join(inbox, 'sub'), { recursive: true })
  const [a, b, c] = reports.map(aggregateXml)
  writeFileSync(join(inbox, 'google.xml.gz'), gz(a))
  writeFileSync(join(inbox, 'outlook.zip'), zip([{ name: 'outlook.xml', data: b }]))
  writeFileSync(
    join(inbox, 'sub', 'yahoo.eml'),
    reportEml({ name: 'y.xml.gz', type: 'application/gzip', data: gz(c) }, 'yahoo.com')
  )
  // The same Google report again, as plain XML: a duplicate, counted once.
  writeFileSync(join(inbox, 'sub', 'google-again.xml'), a)
  // A report cut in the middle: one error, the others still go in.
  writeFileSync(join(inbox, 'truncated.xml'), aggregateXml({ ...reports[0], reportId: 'cut' }).slice(0, 400))
  dns = await startDnsServer({
    zones: {
      '41.220.85.209.in-addr.arpa': { PTR: ['mail-sor-f41.google.com'] },
      '_spf.google.com': { TXT: ['v=spf1 include:_netblocks.google.com ~all'] },
      '_netblocks.google.com': { TXT: ['v=spf1 ip4:209.85.128.0/17 ~all'] }
    }
  })
})
afterAll(async () => {
  await dns.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function run(args: string[]) {
  let out = ''
  const code = await runCli(
    [...args, '--data', dataDir],
    { write: (s) => void (out += s) },
    { write: () => undefined }
  )
  return { code, out, json: out.trim() ? JSON.parse(out.trim().split('\n').pop()!) : null }
}

describe('cli: dmarc', () => {
  it('ingests a folder: totals are the sums of record counts, duplicates once, a truncated report is one error', async () => {
    const { code, json } = await run(['dmarc', 'ingest', inbox, '--json'])
    expect(code).toBe(1)
    expect(json).toMatchObject({ reports: 3, records: 5, messages: sum(reports), duplicates: 1 })
    expect(json.messages).toBe(176)
    expect(json.errors).toHaveLength(1)
    expect(json.errors[0].file).toBe(join(inbox, 'truncated.xml'))
    expect(json.errors[0].error).toMatch(/truncated/)
    // Ingesting everything again adds nothing: every report is a duplicate.
    const again = await run(['dmarc', 'ingest', inbox, '--json'])
    expect(again.json).toMatchObject({ reports: 0, messages: 0, duplicates: 4 })
  })

  it('summarises a domain with PTR names and services resolved over DNS', async () => {
    const { code, json } = await run([
      'dmarc',
      'summary',
      '--domain',
      'shop.test',
      '--resolver',
      dns.address,
      '--json'
    ])
    expect(code).toBe(0)
    expect(json).toMatchObject({
      domain: 'shop.test',
      messages: 176,
      dmarcPass: 158,
      spfAligned: 120,
      dkimAligned: 158
    })
    const google = json.sources.find((s: { ip: string }) => s.ip === '209.85.220.41')
    expect(google).toEqual(
      expect.objectContaining({
        ptr: 'mail-sor-f41.google.com',
        service: 'google',
        messages: 153,
        dmarcPass: 153
      })
    )
    expect(json.sources.reduce((n: number, s: { messages: number }) => n + s.messages, 0)).toBe(json.messages)
    expect(json.reporters.map((r: { org: string }) => r.org).sort()).toEqual([
      'google.com',
      'outlook.com',
      'yahoo.com'
    ])
    const since = await run([
      'dmarc',
      'summary',
      '--domain',
      'shop.test',
      '--since',
      '2025-01-02',
      '--resolver',
      dns.address,
      '--json'
    ])
    expect(since.json.messages).toBe(33 + 5 + 11)
  })

  it('marks a service legitimate and answers readiness over the whole window', async () => {
    expect(
      (await run(['dmarc', 'mark', '--domain', 'shop.test', '--source', 'service:google', '--json'])).code
    ).toBe(0)
    const { json } = await run([
      'dmarc',
      'readiness',
      '--domain',
      'shop.test',
      '--target',
      'reject',
      '--days',
      '366',
      '--resolver',
      dns.address,
      '--json'
    ])
    // Readiness looks back from today; the fixture reports are older than a year, so there is nothing to judge yet.
    expect(json.verdict.code).toBe('dmarc.readiness.noData')
    const bad = await run(['dmarc', 'summary', '--domain', 'not a domain', '--json'])
    expect(bad.code).toBe(1)
    expect(bad.json.error.code).toBe('INVALID_INPUT')
  })
})
