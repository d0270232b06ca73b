import {
  aggregateXml,
  gz,
  reportEml,
  tlsReportJson,
  zip,
  type FixtureReport
} from '../test/support/dmarc-fixtures'
import { expect, test } from './fixtures'
import { DmarcPage } from './pages/dmarc-page'

/**
 * Issue 13: aggregate reports for shop.test dropped as a .zip, a .gz and an .eml (plus a truncated one and a TLS
 * report). Google's outbound IP is recognised from its SPF include and PTR served by the loopback DNS server;
 * an unknown IP that fails DMARC is the spoofing candidate the readiness verdict lists.
 */
const now = Math.floor(Date.now() / 1000)
const dayStart = (daysAgo: number) => Math.floor(now / 86400) * 86400 - daysAgo * 86400

const reports: FixtureReport[] = [
  {
    org: 'google.com',
    reportId: 'e2e-g-1',
    domain: 'shop.test',
    begin: dayStart(3),
    records: [
      {
        ip: '209.85.220.41',
        count: 120,
        dkim: 'pass',
        spf: 'pass',
        dkimDomain: 'shop.test',
        selector: 'google'
      },
      { ip: '192.0.2.66', count: 9, dkim: 'fail', spf: 'fail' }
    ]
  },
  {
    org: 'outlook.com',
    reportId: 'e2e-o-1',
    domain: 'shop.test',
    begin: dayStart(2),
    records: [{ ip: '209.85.220.41', count: 80, dkim: 'pass', spf: 'pass', dkimDomain: 'shop.test' }]
  },
  {
    org: 'yahoo.com',
    reportId: 'e2e-y-1',
    domain: 'shop.test',
    begin: dayStart(1),
    records: [
      { ip: '209.85.220.41', count: 40, dkim: 'pass', spf: 'fail', dkimDomain: 'shop.test' },
      { ip: '198.51.100.20', count: 6, dkim: 'pass', spf: 'fail', dkimDomain: 'shop.test' },
      { ip: '192.0.2.66', count: 4, dkim: 'fail', spf: 'fail', disposition: 'none' }
    ]
  }
]

test('drop a .zip, a .gz and an .eml report: chart, sources and the readiness verdict', async ({ app }) => {
  // Several views reload after each drop and mark; on a loaded CI machine that takes longer than the default.
  test.setTimeout(120_000)
  await app.useDns({
    '41.220.85.209.in-addr.arpa': { PTR: ['mail-sor-f41.google.com'] },
    '_spf.google.com': { TXT: ['v=spf1 include:_netblocks.google.com ~all'] },
    '_netblocks.google.com': { TXT: ['v=spf1 ip4:209.85.128.0/17 ~all'] }
  })
  const page = app.page
  const ui = new DmarcPage(page)
  await ui.open()
  await expect(page.getByText(/No reports yet/)).toBeVisible()

  const [g, o, y] = reports.map(aggregateXml)
  const cut = aggregateXml({ ...reports[0], reportId: 'e2e-cut' })
  await ui.drop([
    { name: 'outlook.zip', bytes: zip([{ name: 'outlook.xml', data: o }]) },
    { name: 'google.xml.gz', bytes: gz(g) },
    {
      name: 'yahoo-report.eml',
      bytes: new TextEncoder().encode(
        reportEml({ name: 'yahoo.xml.gz', type: 'application/gzip', data: gz(y) }, 'yahoo.com')
      )
    },
    { name: 'cut.xml', bytes: new TextEncoder().encode(cut.slice(0, 500)) },
    {
      name: 'tls.json',
      bytes: new TextEncoder().encode(
        tlsReportJson(
          'shop.test',
          'e2e-tls-1',
          new Date(dayStart(1) * 1000).toISOString().replace('.000', '')
        )
      )
    }
  ])

  // Four reports in, one clear error for the truncated file (rendered from its code), nothing else lost.
  await expect(page.getByTestId('dmarc-ingest-result')).toContainText(
    '4 reports stored: 6 records, 259 messages'
  )
  const errors = page.getByTestId('dmarc-ingest-error')
  await expect(errors).toHaveCount(1)
  await expect(errors).toHaveAttribute('data-code', 'dmarc.truncated')
  await expect(errors).toContainText('cut.xml is truncated')

  // Totals are sums of the records' counts; the chart draws one point per report day.
  await expect(page.getByTestId('dmarc-stat-messages')).toContainText('259')
  await expect(page.getByTestId('dmarc-stat-pass')).toContainText('95')
  const chart = page.getByTestId('dmarc-chart')
  await expect(chart.locator('.recharts-surface').first()).toBeVisible()
  await expect(chart.locator('.recharts-area')).toHaveCount(2)

  // Sources: Google recognised live from SPF + PTR, a forwarder, and the unknown spoofing candidate.
  await expect(page.getByTestId('dmarc-source')).toHaveCount(3)
  const google = ui.source('209.85.220.41')
  await expect(google).toContainText('mail-sor-f41.google.com')
  await expect(google.getByTestId('dmarc-source-service')).toContainText('Google')
  await expect(ui.source('198.51.100.20')).toHaveAttribute('data-category', 'forwarder')
  await expect(ui.source('192.0.2.66')).toHaveAttribute('data-category', 'unknown')
  await expect(page.getByTestId('dmarc-reporters')).toContainText('yahoo.com')
  await expect(page.getByTestId('dmarc-tls-types')).toContainText('certificate-expired')

  // Readiness: nothing marked yet, then Google marked ours → ready, with the unknown source listed as hit.
  await expect(ui.verdict).toHaveAttribute('data-code', 'dmarc.readiness.noLegitimate')
  await google.getByTestId('dmarc-mark-legit').click()
  await expect(google).toHaveAttribute('data-category', 'legitimate')
  await expect(ui.verdict).toHaveAttribute('data-code', 'dmarc.readiness.ready')
  await expect(ui.verdict).toContainText('Ready for p=quarantine')
  await expect(page.getByTestId('dmarc-would-hit')).toContainText('192.0.2.66')

  // Dropping the same reports again adds nothing.
  await ui.drop([{ name: 'google-again.xml.gz', bytes: gz(g) }])
  await expect(page.getByTestId('dmarc-ingest-result')).toContainText(
    '0 reports stored: 0 records, 0 messages; 1 duplicates skipped'
  )
  await expect(page.getByTestId('dmarc-stat-messages')).toContainText('259')
  await page.screenshot({ path: test.info().outputPath('dmarc-view.png'), fullPage: true })
})
