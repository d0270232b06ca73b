import { join } from 'node:path'
import { ROOT, expect, shotPath, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { WorkflowPage } from './pages/workflow-page'
import { brokenZones, WF_IP } from '../src/main/core/findings/__fixtures__/wf-zones'

const DATA = join(ROOT, 'e2e/data')

/** English sentences the backend renders for the parts that travel as Texts (coverage, timeline events). */
const ENGLISH = [
  /gave no usable answer/,
  /Case opened/,
  /Evidence added/,
  /could not be re-verified/,
  /Checks that/
]

test('root causes once each, coverage apart, and the French UI shows no English from the backend', async ({
  app
}) => {
  test.setTimeout(240_000)
  const page = app.page
  // Spamhaus ZEN refuses the resolver (as it refuses public ones): that list is coverage, neither listed nor clean.
  await app.useDns({ ...brokenZones(), '*.zen.spamhaus.org': { behaviour: 'refused' } })
  const ui = new AppPage(page)
  const wf = new WorkflowPage(page)

  // French, chosen in Settings the way a user does.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('setting-language').click()
  await page.getByRole('option', { name: 'Français' }).click()
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('nav-cases')).toHaveText('Dossiers')
  await page.getByTestId('nav-cases').click()

  await ui.newCase()
  await ui.dropFiles([join(DATA, 'wf-s3150-dmarc.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)

  // Delist: sweep the sending IP; the refusing list becomes a coverage note, the SpamCop listing one cause.
  await wf.openStep('delist')
  const ipBox = page.getByRole('checkbox', { name: WF_IP })
  if (!(await ipBox.isChecked())) await ipBox.check()
  await page.getByTestId('delist-sweep').click()
  const delist = page.getByTestId('delist-panel')
  await expect(delist.getByTestId('coverage-note').first()).toBeVisible({ timeout: 60_000 })
  await expect(delist.getByTestId('coverage-note').first()).toHaveAttribute('data-check', 'blocklist')
  await expect(delist.getByTestId('coverage-text').first()).toContainText(/n'a pas donné|n'ont pas donné/)
  await delist.getByTestId('coverage-expand').first().click()
  await expect(delist.getByTestId('coverage-items')).toContainText(/Spamhaus ZEN/i)
  await expect(wf.cause(`listing:spamcop:${WF_IP}`, page.getByTestId('delist-causes'))).toHaveCount(1)

  // Diagnose: every root cause once, each with its step; coverage in its own block, in French.
  await wf.openStep('diagnose')
  const causes = page.getByTestId('diagnose-causes')
  await expect(wf.cause('dmarc', causes)).toHaveCount(1)
  const ids = await causes
    .getByTestId('cause-card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-cause')))
  expect(ids.length).toBeGreaterThan(2)
  expect(new Set(ids).size).toBe(ids.length)
  await expect(wf.cause(`listing:spamcop:${WF_IP}`, causes)).toHaveCount(1)
  // The expander shows the cause's findings with the receiver's words quoted verbatim (never translated).
  await wf.cause('dmarc', causes).getByTestId('cause-expand').click()
  await expect(wf.cause('dmarc', causes).getByTestId('cause-evidence').first()).toContainText('dmarc=fail')
  const coverage = page.getByTestId('coverage-notes')
  await expect(coverage).toContainText('Couverture')
  await expect(causes.getByTestId('coverage-note')).toHaveCount(0)
  await expect(page.getByTestId('verdict-card')).toBeVisible()
  for (const en of ENGLISH) {
    await expect(coverage).not.toContainText(en)
    await expect(page.getByTestId('verdict-card')).not.toContainText(en)
  }

  // Fix: each cause once; the listing is "fixed by delisting" with the way to the Delist step; coverage apart.
  await wf.openStep('fix')
  const fix = page.getByTestId('fix-panel')
  const fixIds = await fix
    .getByTestId('cause-card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-cause')))
  expect(new Set(fixIds).size).toBe(fixIds.length)
  await expect(wf.cause('dmarc', fix)).toHaveCount(1)
  await expect(page.getByTestId('fix-by-delisting')).toContainText('Corrigées par une radiation')
  await expect(fix.getByTestId('fix-none-open')).toHaveCount(0)
  await expect(fix.getByTestId('coverage-notes')).toContainText(/n'a pas donné|n'ont pas donné/)
  for (const en of ENGLISH) await expect(fix.getByTestId('coverage-notes')).not.toContainText(en)
  await fix.getByTestId('open-delist').first().click()
  await expect(page.getByTestId('tab-delist')).toHaveAttribute('aria-selected', 'true')

  // Verify: causes by id, and the coverage in French.
  await wf.openStep('verify')
  await page.getByTestId('verify-run').click()
  await expect(page.getByTestId('verify-result')).toBeVisible({ timeout: 90_000 })
  await expect(wf.verifyItem('dmarc')).toHaveCount(1)
  const verify = page.getByTestId('verify-panel')
  await expect(verify.getByTestId('coverage-notes')).toContainText('Couverture')
  for (const en of ENGLISH) await expect(verify.getByTestId('coverage-notes')).not.toContainText(en)

  // Timeline: the app's events in French.
  await page.getByTestId('tab-timeline').click()
  const timeline = page.getByTestId('timeline')
  await expect(timeline).toContainText('Dossier ouvert')
  await expect(timeline).toContainText('Pièce ajoutée')
  for (const en of ENGLISH) await expect(timeline).not.toContainText(en)
})

test('at 1024×768 the case title stays visible and the step cards fit', async ({ app }) => {
  const page = app.page
  await app.useDns(brokenZones())
  await page.setViewportSize({ width: 1024, height: 768 })
  const ui = new AppPage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'wf-s3150-dmarc.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)
  await expect(page.getByTestId('case-title')).toBeVisible()
  const title = await page.getByTestId('case-title').boundingBox()
  expect(title!.width).toBeGreaterThan(200)
  const bar = (await page.getByTestId('steps-bar').boundingBox())!
  for (const s of ['diagnose', 'fix', 'delist', 'verify', 'report']) {
    const card = (await page.getByTestId(`step-${s}`).boundingBox())!
    expect(card.x + card.width).toBeLessThanOrEqual(bar.x + bar.width + 1)
    // Nothing inside a card is wider than the card (the counts line wraps rather than overflowing).
    const overflow = await page.getByTestId(`step-${s}`).evaluate((el) => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
  }
  // No horizontal scrolling of the whole page at this size.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
  await page.screenshot({ path: shotPath('case-1024x768.png') })
})
