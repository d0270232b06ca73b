import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import type { Zones } from '../test/support/dns-server'
import { ROOT, expect, shotPath, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { DomainPage } from './pages/domain-page'

/** Element screenshots scroll the page; the app's fixed header would be pasted across them. */
const HIDE_FIXED_HEADER = '.mantine-AppShell-header { visibility: hidden !important }'

const DATA = join(ROOT, 'e2e/data')

/** A 1024-bit key: valid, but below what RFC 8301 §3.2 recommends, so the view has a weak-key warning to show. */
const weakKey = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64')

/**
 * northwind.test is misconfigured the way real senders are: four SPF includes that fan out to 13 lookups,
 * DMARC p=none, the selector its messages use (s2024) missing, a 1024-bit key on a common selector.
 */
const zones: Zones = {
  'northwind.test': {
    TXT: [
      'v=spf1 ip4:192.0.2.25 include:_spf.northwind.test include:mail.esp-one.test include:spf.esp-two.test include:_spf.crm.test ~all'
    ],
    MX: [{ exchange: 'mx.northwind.test', priority: 10 }]
  },
  '_spf.northwind.test': { TXT: ['v=spf1 include:_a.northwind.test include:_b.northwind.test -all'] },
  '_a.northwind.test': { TXT: ['v=spf1 a:relay1.northwind.test a:relay2.northwind.test -all'] },
  'relay1.northwind.test': { A: ['192.0.2.30'] },
  '_b.northwind.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
  'mail.esp-one.test': { TXT: ['v=spf1 include:_s1.esp-one.test include:_s2.esp-one.test ~all'] },
  '_s1.esp-one.test': { TXT: ['v=spf1 ip4:203.0.113.0/25 -all'] },
  '_s2.esp-one.test': { TXT: ['v=spf1 ip4:203.0.113.128/25 -all'] },
  'spf.esp-two.test': {
    TXT: ['v=spf1 a mx ip4:198.18.0.0/24 ~all'],
    A: ['198.18.0.1'],
    MX: [{ exchange: 'spf.esp-two.test', priority: 5 }]
  },
  '_spf.crm.test': { TXT: ['v=spf1 include:spf1.crm.test -all'] },
  'spf1.crm.test': { TXT: ['v=spf1 ip4:198.18.1.0/24 -all'] },
  '_dmarc.northwind.test': { TXT: ['v=DMARC1; p=none; rua=mailto:dmarc@northwind.test'] },
  'default._domainkey.northwind.test': { TXT: [`v=DKIM1; k=rsa; p=${weakKey}`] },
  'mx.northwind.test': { A: ['192.0.2.25'] },
  '25.2.0.192.in-addr.arpa': { PTR: ['mx.northwind.test'] },

  // A zone whose name servers never answer.
  'slow.test': { behaviour: 'timeout' },
  '*.slow.test': { behaviour: 'timeout' }
}

test('check a misconfigured domain in the standalone view', async ({ app }) => {
  await app.useDns(zones)
  const page = app.page
  const ui = new DomainPage(page)
  await ui.open()

  // Not a domain: a clear message, nothing sent, the input kept for correction.
  await ui.check('http://northwind.test/')
  await expect(page.getByText(/looks like a URL/)).toBeVisible()
  await expect(page.getByTestId('domain-input')).toHaveValue('http://northwind.test/')
  await expect(page.getByTestId('domain-report')).toHaveCount(0)

  await ui.check('northwind.test', { ips: ['192.0.2.25'], helo: 'mx.northwind.test', selectors: ['s2024'] })
  await expect(page.getByTestId('domain-report')).toBeVisible()

  // SPF over the limit, drawn as a tree with the running count.
  await expect(page.getByTestId('spf-lookup-total')).toHaveText('13/10')
  await expect(ui.finding('spf.lookups-exceeded')).toBeVisible()
  await expect(ui.mechanism('spf')).toHaveAttribute('data-state', 'fail')
  const tree = page.getByTestId('spf-tree')
  await expect(tree.locator('[data-testid="spf-node"][data-domain="_a.northwind.test"]')).toBeVisible()
  await expect(tree.getByTestId('spf-term-over')).toHaveCount(3)
  await expect(tree.getByTestId('spf-void-total')).toContainText('1')

  // DMARC p=none with the next step to publish.
  await expect(ui.finding('dmarc.policy-none')).toBeVisible()
  await expect(ui.mechanism('dmarc').getByTestId('finding-fix-record')).toContainText('p=quarantine')

  // The selector the messages use is missing; the common one found has a weak key.
  await expect(ui.finding('dkim.selector-missing:s2024')).toBeVisible()
  await expect(page.locator('[data-testid="dkim-row"][data-selector="default"]')).toContainText('1024')
  await expect(ui.mechanism('ptr')).toHaveAttribute('data-state', 'pass')
  await expect(page.getByTestId('count-error')).not.toHaveText(/: 0$/)
  await expect(page.getByTestId('severity-chart')).toBeVisible()

  // Corrected records come with a copy button.
  await expect(
    ui.finding('spf.lookups-exceeded').or(ui.mechanism('dmarc')).getByRole('button', { name: 'Copy' }).first()
  ).toBeVisible()

  await page.screenshot({ path: shotPath('domain.png'), fullPage: false })
  await ui.mechanism('spf').screenshot({ path: shotPath('domain-spf-tree.png'), style: HIDE_FIXED_HEADER })

  // A zone that never answers: a progress bar while waiting, then "could not check", never "missing" or a pass.
  await page.getByTestId('ips-input').press('Backspace')
  await page.getByTestId('selectors-input').press('Backspace')
  await page.getByTestId('helo-input').fill('')
  await ui.check('slow.test')
  await expect(page.getByTestId('domain-progress')).toBeVisible()
  await expect(page.getByTestId('domain-progress')).toHaveCount(0, { timeout: 30_000 })
  for (const m of ['spf', 'dmarc', 'mta-sts'])
    await expect(ui.mechanism(m)).toHaveAttribute('data-state', 'could_not_check')
  await expect(ui.mechanism('spf').getByText('Could not check').first()).toBeVisible()
  await expect(ui.finding('spf.missing')).toHaveCount(0)
  await expect(ui.finding('dmarc.missing')).toHaveCount(0)
  await expect(page.getByTestId('count-could-not-check')).toBeVisible()
  await expect(page.getByTestId('domain-nothing-answered')).toBeVisible()
  await expect(page.locator('[data-testid^="mech-state-"] [data-state="pass"]')).toHaveCount(0)
})

test('case-level domain check from the evidence of the case', async ({ app }) => {
  await app.useDns(zones)
  const page = app.page
  const ui = new DomainPage(page)
  await new AppPage(page).newCase()
  await expect(ui.panel.getByTestId('case-domain-none')).toBeVisible()
  await expect(ui.panel.getByTestId('case-domain-check')).toBeDisabled()

  await new AppPage(page).dropFiles([join(DATA, 'domain-northwind.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)
  await expect(ui.panel).toContainText('northwind.test')
  await expect(ui.panel.getByTestId('case-domain-never')).toBeVisible()

  await ui.panel.getByTestId('case-domain-check').click()
  await expect(ui.panel.getByTestId('domain-report-compact')).toBeVisible({ timeout: 30_000 })
  // IP and HELO from the edge Received hop, selector from the message's DKIM-Signature.
  await expect(ui.panel.getByTestId('case-domain-inputs')).toContainText('192.0.2.25')
  await expect(ui.panel.getByTestId('case-domain-inputs')).toContainText('mx.northwind.test')
  await expect(ui.panel.getByTestId('case-domain-inputs')).toContainText('s2024')
  await expect(ui.finding('spf.lookups-exceeded')).toBeVisible()
  await expect(ui.finding('dkim.selector-missing:s2024')).toBeVisible()
  await expect(ui.finding('dmarc.policy-none')).toBeVisible()
  await expect(ui.panel.getByTestId('case-domain-time')).toBeVisible()
  await ui.panel.screenshot({
    path: shotPath('domain-case.png'),
    style: HIDE_FIXED_HEADER
  })

  // The check is in the timeline and survives a reload.
  await page.getByTestId('tab-timeline').click()
  await expect(page.getByTestId('event').filter({ hasText: 'Domain health of northwind.test' })).toBeVisible()
  await app.reload()
  await page.waitForSelector('[data-app-state="ready"]')
  await page.getByTestId('case-item').first().click()
  await expect(ui.panel.getByTestId('domain-report-compact')).toBeVisible()
  await expect(ui.finding('dkim.selector-missing:s2024')).toBeVisible()

  // The link opens the full view with the stored report and the inputs it was run with.
  await ui.panel.getByTestId('case-domain-open').click()
  await expect(page.getByTestId('domain-view')).toBeVisible()
  await expect(page.getByTestId('domain-input')).toHaveValue('northwind.test')
  await expect(page.getByTestId('spf-tree')).toBeVisible()
  await expect(page.getByTestId('ptr-table')).toContainText('192.0.2.25')
})
