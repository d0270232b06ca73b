import { dropListingAndChangeSpf, WATCH_IP, watchZones } from '../test/support/watch-fixtures'
import { expect, test } from './fixtures'

/**
 * Issue 14 (watchlist): the same three runs as the CLI test (src/main/host/cli-commands/watch.test.ts), driven from
 * the Watch view against a loopback DNS server: two listings, then nothing new, then a delisting and an SPF change.
 * The view shows the same history, and "Open a case" from an alert creates a case holding the check.
 */
test('watch: add targets, three runs, the history and the alerts, open a case from an alert', async ({
  app
}) => {
  test.setTimeout(120_000)
  const { page } = app
  const dns = await app.useDns(watchZones())
  await page.getByTestId('nav-watch').click()
  await expect(page.getByTestId('watch-view')).toBeVisible()

  // A range larger than /24 is refused with a clear message, nothing is added
  await page.getByTestId('watch-targets-input').fill('198.51.100.0/23')
  await page.getByTestId('watch-add').click()
  await expect(page.getByTestId('watch-add-error')).toContainText('larger than a /24')

  await page.getByTestId('watch-targets-input').fill(WATCH_IP)
  await page.getByTestId('watch-add').click()
  await expect(page.getByTestId('watch-target')).toHaveCount(1)
  await page.getByTestId('watch-targets-input').fill('shop.test')
  await page.getByTestId('watch-selectors-input').fill('s1')
  await page.getByTestId('watch-add').click()
  await expect(page.getByTestId('watch-target')).toHaveCount(2)

  const alerts = page.getByTestId('watch-alert')
  // The history shown is the first target's (the IP): one point per run
  const runOnce = async (n: number) => {
    await page.getByTestId('watch-run').click()
    await expect(page.getByTestId('watch-point')).toHaveCount(n, { timeout: 60_000 })
    await expect(page.getByTestId('watch-run')).toBeEnabled()
  }

  // Run 1: two listings
  await runOnce(1)
  await expect(alerts).toHaveCount(2)
  await expect(page.locator('[data-testid="watch-alert"][data-kind="listed"]')).toHaveCount(2)
  await expect(page.getByTestId('watch-alerts')).toContainText(
    `${WATCH_IP} is listed on SpamCop Blocking List`
  )
  await expect(page.locator(`[data-target="${WATCH_IP}"] [data-testid="watch-listed-on"]`)).toHaveCount(2)

  // Run 2: nothing new
  await runOnce(2)
  await expect(alerts).toHaveCount(2)

  // Run 3: delisted from SpamCop, SPF changed
  dropListingAndChangeSpf(dns)
  await runOnce(3)
  await expect(alerts).toHaveCount(4)
  await expect(page.locator('[data-testid="watch-alert"][data-kind="delisted"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="watch-alert"][data-kind="record-changed"]')).toContainText(
    'The SPF record of shop.test changed'
  )

  // The history of the IP: the same three points as the CLI's
  await page.locator(`[data-target="${WATCH_IP}"] [data-testid="watch-show"]`).click()
  await expect(page.getByTestId('watch-history')).toContainText(WATCH_IP)
  await expect(page.getByTestId('watch-point-listed')).toHaveText(['2', '2', '1'])
  await expect(page.getByTestId('watch-point-alerts')).toHaveText(['2', '0', '1'])
  await expect(page.locator('[data-testid="watch-history"] .recharts-surface').first()).toBeVisible()

  // Open a case from the delisting alert: the case holds the sweep and the alert in its timeline
  await page
    .locator('[data-testid="watch-alert"][data-kind="delisted"] [data-testid="watch-open-case"]')
    .click()
  await expect(page).toHaveURL(/#\/cases\/\d+/)
  const caseId = Number(/#\/cases\/(\d+)/.exec(page.url())![1])
  const last = await app.api<{ scan: { reports: { target: string }[] } | null }>('blocklist.lastScan', {
    caseId
  })
  expect(last.scan?.reports.map((r) => r.target)).toEqual([WATCH_IP])

  // A later run's alerts for the IP go to that case's timeline
  dns.setRecord('77.113.0.203.bl.spamcop.net', 'A', ['127.0.0.2'])
  await app.api('watch.run', {})
  const detail = await app.api<{ notes: { kind: string; body: string }[] }>('cases.get', { id: caseId })
  const events = detail.notes.filter((n) => n.kind === 'event').map((n) => n.body)
  expect(events).toContainEqual(expect.stringContaining('Case opened from a watch alert'))
  expect(events.at(-1)).toBe(`${WATCH_IP} is listed on SpamCop Blocking List (127.0.0.2)`)
})
