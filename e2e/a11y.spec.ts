import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { ROOT, expect, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { WorkflowPage } from './pages/workflow-page'
import { brokenZones } from '../src/main/core/findings/__fixtures__/wf-zones'

/** Serious and critical axe-core violations of the page as it is now (WCAG 2.1 A/AA and best practices). */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).setLegacyMode(true).analyze()
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.any[0]?.message ?? ''}`).join(' | ')}`
    )
}

test('every view has no serious or critical accessibility violation, and the navigation works from the keyboard', async ({
  app
}) => {
  test.setTimeout(180_000)
  const page = app.page
  await app.useDns(brokenZones())
  const ui = new AppPage(page)
  const wf = new WorkflowPage(page)
  const found: Record<string, string[]> = {}
  const check = async (name: string) => {
    await page.waitForLoadState('networkidle').catch(() => undefined)
    found[name] = await seriousViolations(page)
  }

  await check('cases (empty)')
  await ui.newCase()
  await ui.dropFiles([join(ROOT, 'e2e/data/wf-s3150-dmarc.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)
  await expect(page.getByTestId('verdict-card')).toBeVisible()
  await check('case: diagnose')
  for (const step of ['fix', 'delist', 'verify', 'report'] as const) {
    await wf.openStep(step)
    await check(`case: ${step}`)
  }
  await page.getByTestId('tab-timeline').click()
  await check('case: timeline')
  for (const view of ['domain', 'blocklists', 'dmarc', 'board', 'hygiene', 'settings']) {
    await page.getByTestId(`nav-${view}`).click()
    await check(view)
  }
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])))

  // The navigation is reachable with Tab and opens a view with Enter.
  await page.getByTestId('nav-cases').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('nav-domain')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#\/domain$/)

  // The case's step tabs follow the arrow keys (WAI-ARIA tabs pattern).
  await page.getByTestId('nav-cases').click()
  await page.getByTestId('case-item').first().click()
  await page.getByTestId('tab-diagnose').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('tab-fix')).toBeFocused()
  await expect(page.getByTestId('tab-fix')).toHaveAttribute('aria-selected', 'true')
})
