import { join } from 'node:path'
import { ROOT, expect, shotPath, test } from './fixtures'
import { AppPage } from './pages/app-page'

const DATA = join(ROOT, 'e2e/data')

test('an mbox of four bounces: the triage counts causes, reasons, receivers, lists and the IP', async ({
  app
}) => {
  const page = app.page
  // The automatic re-verification of the first message stays on loopback.
  await app.useDns({})
  const ui = new AppPage(page)
  await ui.newCase()
  await expect(page.getByTestId('triage-panel')).toHaveCount(0)
  await ui.dropFiles([join(DATA, 'triage-bounces.mbox')], 'application/mbox')

  await expect(page.getByTestId('evidence-item')).toHaveCount(4)
  const panel = page.getByTestId('triage-panel')
  await expect(panel).toBeVisible()
  await expect(page.getByTestId('triage-title')).toHaveText('Triage across 4 messages')
  await expect(page.getByTestId('triage-bounces')).toHaveText('Bounces: 4')
  await expect(page.getByTestId('triage-recipients')).toHaveText('Failed recipients: 4')

  const cause = (c: string) => panel.locator(`[data-testid="triage-cause"][data-cause="${c}"]`)
  await expect(panel.getByTestId('triage-cause')).toHaveCount(3)
  await expect(panel.getByTestId('triage-cause').first()).toHaveAttribute('data-cause', 'blocklist')
  await expect(cause('blocklist')).toHaveAttribute('data-messages', '2')
  await expect(cause('blocklist')).toHaveAttribute('data-recipients', '2')
  await expect(cause('recipient-unknown')).toHaveAttribute('data-messages', '1')
  await expect(cause('authentication')).toHaveAttribute('data-messages', '1')
  await expect(page.getByTestId('triage-reason-chart')).toBeVisible()

  const receiver = (d: string) => panel.locator(`[data-testid="triage-receiver"][data-domain="${d}"]`)
  await expect(panel.getByTestId('triage-receiver')).toHaveCount(3)
  await expect(receiver('customer.example.net').getByTestId('triage-receiver-count')).toHaveText('2')
  await expect(receiver('customer.example.net')).toContainText('Blocklist')
  await expect(receiver('customer.example.net')).toContainText('Unknown recipient')
  await expect(receiver('gmail.com')).toContainText('gmail-smtp-in.l.google.com')
  await expect(receiver('partner.example.com').getByTestId('triage-receiver-count')).toHaveText('1')

  const zen = panel.locator('[data-testid="triage-list"][data-list="spamhaus-zen"]')
  await expect(zen).toContainText('203.0.113.25')
  await expect(zen.getByTestId('triage-list-count')).toHaveText('2')
  await expect(panel.getByTestId('triage-ip')).toHaveText(['203.0.113.25 × 4'])
  await expect(page.getByTestId('triage-statuses')).toContainText('5.7.1 × 2')
  await expect(page.getByTestId('triage-statuses')).toContainText('5.7.26 × 1')

  await page.screenshot({ path: shotPath('triage.png') })

  // A cause opens the first message with that cause: the Gmail DMARC rejection.
  await cause('authentication').click()
  await expect(page.locator('[data-testid="evidence-item"][data-active]')).toContainText(
    'triage-bounces.mbox'
  )
  await expect(page.getByTestId('verdict-card')).toContainText('5.7.26')
  await expect(page.getByTestId('bounce-row')).toContainText('erin@gmail.com')

  // Removing evidence down to one hides the triage.
  page.on('dialog', (d) => void d.accept())
  for (let n = 4; n > 1; n--) {
    await page.getByTestId('evidence-item').first().getByRole('button', { name: 'Remove' }).click()
    await expect(page.getByTestId('evidence-item')).toHaveCount(n - 1)
  }
  await expect(page.getByTestId('triage-panel')).toHaveCount(0)
})
