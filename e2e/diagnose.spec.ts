import { join } from 'node:path'
import { ROOT, expect, shotPath, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { DiagnosePage } from './pages/diagnose-page'

const DATA = join(ROOT, 'e2e/data')

test('a Microsoft 365 S3150 NDR: verdict with the delist link, bounce row, recorded dmarc=fail, re-verified', async ({
  app
}, testInfo) => {
  const page = app.page
  // A loopback DNS server that knows shop.example: the automatic re-verification after the drop uses it.
  await app.useDns({
    'shop.example': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
    '_dmarc.shop.example': { TXT: ['v=DMARC1; p=quarantine'] }
  })
  const ui = new AppPage(page)
  const d = new DiagnosePage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'diag-ms365-s3150.eml')])

  await expect(d.verdict).toHaveAttribute('data-cause', /^(blocklist|reputation)$/)
  await expect(d.verdict).toContainText('S3150')
  await expect(page.getByTestId('verdict-delist')).toHaveAttribute(
    'href',
    /^https:\/\/olcsupport\.office\.com/
  )
  // The matched words are highlighted inside the quoted diagnostic.
  await expect(page.getByTestId('evidence-mark').first()).toContainText(
    'part of their network is on our block list'
  )
  await expect(page.getByTestId('verdict-listed')).toContainText('203.0.113.9')

  await expect(d.bounceRows).toHaveCount(1)
  await expect(d.bounceRows.first()).toContainText('jane.doe@hotmail.com')
  await expect(d.bounceRows.first().getByTestId('bounce-status')).toHaveText('5.7.1')
  await expect(d.bounceRows.first().getByTestId('bounce-reply')).toHaveText('550')

  await expect(d.recorded('dmarc')).toHaveText('dmarc=fail')
  await expect(d.recorded('dmarc')).toHaveAttribute('data-state', 'fail')
  // Re-verified once automatically: SPF now fails for real (203.0.113.9 is outside the published range); the DKIM
  // key is not published, so DKIM is a fail or could-not-check — never a green pass.
  await expect(page.getByTestId('auth-checked-at')).toBeVisible()
  await expect(d.now('spf')).toHaveAttribute('data-state', 'fail')
  await expect(d.now('dkim')).not.toHaveAttribute('data-state', 'pass')
  await expect(page.getByTestId('original-section')).toContainText('Your order #48213 has shipped')

  await page.getByTestId('verdict-card').scrollIntoViewIfNeeded()
  await page.screenshot({ path: shotPath('diagnose.png') })
  // Panel close-ups for review (test artifacts, not docs).
  for (const id of ['verdict-card', 'auth-panel', 'bounce-panel', 'original-section'])
    await page.getByTestId(id).screenshot({ path: testInfo.outputPath(`${id}.png`) })

  // "Re-verify now" works again by hand and shows progress until done.
  await page.getByTestId('reverify-button').click()
  await expect(page.getByTestId('reverify-button')).toBeEnabled()
  await expect(d.now('spf')).toHaveAttribute('data-state', 'fail')
})

test('without DNS, re-verification never shows pass or fail', async ({ app }) => {
  const page = app.page
  await app.api('settings.set', { resolver: '127.0.0.1:9', dnsTimeoutMs: 300 })
  const ui = new AppPage(page)
  const d = new DiagnosePage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'diag-ms365-s3150.eml')])
  await expect(page.getByTestId('auth-checked-at')).toBeVisible()
  for (const m of ['spf', 'dkim', 'dmarc'])
    await expect(d.now(m)).toHaveAttribute('data-state', /^(not_checked|could_not_check)$/)
})

test('a pasted SMTP line gets a verdict', async ({ app }) => {
  const page = app.page
  const d = new DiagnosePage(page)
  await new AppPage(page).newCase()
  await d.paste('554 5.7.1 Service unavailable; Client host [198.51.100.44] blocked using zen.spamhaus.org')
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)
  await expect(d.verdict).toHaveAttribute('data-cause', 'blocklist')
  await expect(page.getByTestId('verdict-listed')).toContainText('Spamhaus')
  await expect(page.getByTestId('evidence-mark').first()).toContainText('zen.spamhaus.org')
})

test('XSS in Subject, From and the HTML body never runs, and no remote request is made', async ({ app }) => {
  const page = app.page
  const remote: string[] = []
  page.on('request', (r) => {
    if (/evil\.example/.test(r.url())) remote.push(r.url())
  })
  const ui = new AppPage(page)
  const d = new DiagnosePage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'diag-xss.eml')])
  // The payloads are shown as text.
  await expect(page.getByTestId('summary-card')).toContainText(
    '<img src=x onerror="window.__xss=1"> Invoice overdue'
  )
  await expect(page.getByTestId('summary-card')).toContainText('<script>window.__xss=2</script>')
  // The anti-spam panel decoded SpamAssassin with its rules.
  await expect(page.getByTestId('antispam-vendor').first()).toContainText('SpamAssassin')

  await page.getByTestId('body-show').click()
  await expect(page.getByTestId('body-text')).toContainText('<script>window.__xss=4</script>')
  const frame = await d.showHtml()
  await expect(frame).toHaveAttribute('sandbox', '')
  await expect(page.frameLocator('[data-testid="body-frame"]').locator('b')).toHaveText('overdue')

  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined()
  const inFrame = await page
    .frames()
    .find((f) => f !== page.mainFrame())
    ?.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)
    .catch(() => 'blocked')
  // The sandboxed frame cannot be scripted from outside either (opaque origin): either way nothing ran inside.
  expect([undefined, 'blocked']).toContain(inFrame)
  expect(remote).toEqual([])
})
