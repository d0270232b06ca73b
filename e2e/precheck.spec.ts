import { LISTED_DOMAIN, SENDING_IP, signedNewsletter } from '../test/support/precheck-fixtures'
import { expect, shotPath, test } from './fixtures'
import { PrecheckPage } from './pages/precheck-page'

/**
 * Issue 14 (pre-send half): the newsletter of shop.test, DKIM-signed as its ESP would, dropped with the IP it will
 * be sent from. The loopback DNS server publishes shop.test's SPF, key and DMARC policy, the IP's PTR/FCrDNS and
 * the domain lists (one link domain listed on the DBL); the real SpamAssassin scores it.
 */
test('a pre-send check of a fixture message shows the score, the checklist and the SpamAssassin rules', async ({
  app
}) => {
  // SpamAssassin starts Perl and compiles its rules: several seconds on a loaded machine.
  test.setTimeout(120_000)
  const { eml, zones } = await signedNewsletter()
  await app.useDns(zones)
  const page = app.page
  const ui = new PrecheckPage(page)
  await ui.open()
  await ui.setIp('not-an-ip')
  await expect(page.getByText(/is not an IPv4 or IPv6 address/)).toBeVisible()
  await ui.setIp(SENDING_IP)
  await ui.drop('june-newsletter.eml', eml)

  await expect(page.getByTestId('precheck-result')).toBeVisible({ timeout: 90_000 })
  const score = Number((await page.getByTestId('precheck-score').innerText()).replace(',', '.'))
  expect(score).toBeGreaterThan(0)
  expect(score).toBeLessThan(10)

  for (const id of ['dkim', 'spf', 'dmarc', 'alignment', 'unsubscribe', 'ptr'])
    await expect(ui.check(id), id).toHaveAttribute('data-status', 'pass')
  await expect(ui.check('dkim')).toContainText('verifies against the key published today')
  await expect(ui.check('ptr')).toContainText('mail.shop.test')
  // The partner link's domain is listed: a failure with what to change.
  await expect(ui.check('links')).toHaveAttribute('data-status', 'fail')
  await expect(ui.check('links')).toContainText(`${LISTED_DOMAIN}: listed on Spamhaus DBL`)
  await expect(ui.check('links').getByTestId('precheck-fix')).toContainText('Remove the links')
  // No sent volume known: the complaint rate could not be checked, and says so.
  await expect(ui.check('complaints')).toHaveAttribute('data-status', 'unknown')
  await expect(ui.check('complaints').getByTestId('precheck-status')).toHaveText('could not check')

  // SpamAssassin ran for real: its rules with their scores and its own descriptions.
  await expect(page.getByTestId('precheck-sa')).toHaveAttribute('data-status', 'ran')
  await expect(page.getByTestId('precheck-sa-score')).toContainText('5 required')
  const guaranteed = ui.rule('GUARANTEED_100_PERCENT')
  await expect(guaranteed).toBeVisible()
  await expect(guaranteed).toContainText('One hundred percent guaranteed')
  expect(Number((await guaranteed.locator('td').first().innerText()).replace(',', '.'))).toBeGreaterThan(0)
  await page.getByTestId('precheck-sa').screenshot({ path: shotPath('precheck-spamassassin.png') })

  // The same result through the contract, with the codes the UI rendered.
  const r = await app.api<{ checks: { id: string; detail: { code: string } }[] }>('precheck.run', {
    file: { name: 'june.eml', base64: Buffer.from(eml).toString('base64') },
    ip: SENDING_IP
  })
  expect(r.checks.find((c) => c.id === 'dkim')?.detail.code).toBe('precheck:dkim.pass')
})

test('the pre-send check reads in French', async ({ app }) => {
  test.setTimeout(120_000)
  const { eml, zones } = await signedNewsletter()
  await app.useDns(zones)
  await app.api('settings.set', { language: 'fr' })
  await app.reload()
  await app.page.waitForSelector('[data-app-state="ready"]')
  const ui = new PrecheckPage(app.page)
  await ui.open()
  await expect(app.page.getByRole('heading', { name: 'Test avant envoi' })).toBeVisible()
  await ui.drop('juin.eml', eml)
  await expect(ui.check('spf')).toHaveAttribute('data-status', 'unknown', { timeout: 90_000 })
  await expect(ui.check('spf')).toContainText("Aucune IP d'envoi indiquée")
  await expect(ui.check('spf').getByTestId('precheck-fix')).toContainText("Indiquez l'IP d'envoi")
  // SpamAssassin's rule descriptions stay verbatim.
  await expect(ui.rule('GUARANTEED_100_PERCENT')).toContainText('One hundred percent guaranteed')
})
