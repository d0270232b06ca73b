import { join } from 'node:path'
import { ROOT, expect, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { WorkflowPage } from './pages/workflow-page'
import {
  RELAY_IP,
  RELAY_LIST,
  RELAY_LISTING,
  relayZones
} from '../src/main/core/findings/__fixtures__/relay-zones'

const DATA = join(ROOT, 'e2e/data')

/**
 * Issue 10's case that must converge, in the UI: a relay on Spamhaus ZEN, a healthy domain, ten lists that never
 * answer. After Verify: a few to-dos at most and one coverage note for the silent lists. Once the listing has been
 * gone for two checks: nothing left in Diagnose, Fix and Delist, and the verdict's cause resolved with it.
 */
test('a blocklisted relay with a healthy domain converges: coverage apart, closed after two clean checks', async ({
  app
}) => {
  test.setTimeout(240_000)
  const page = app.page
  const dns = await app.useDns(relayZones())
  const ui = new AppPage(page)
  const wf = new WorkflowPage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'relay-listed.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)

  const todo = async () => {
    let n = 0
    for (const s of ['diagnose', 'fix', 'delist'])
      n += Number(await wf.step(s).getAttribute('data-remaining'))
    return n
  }
  const verify = async () => {
    const before = await page
      .getByTestId('verify-result')
      .getAttribute('data-run', { timeout: 1000 })
      .catch(() => null)
    await page.getByTestId('verify-run').click()
    await expect(page.getByTestId('verify-result')).toBeVisible({ timeout: 90_000 })
    if (before)
      await expect(page.getByTestId('verify-result')).not.toHaveAttribute('data-run', before, {
        timeout: 90_000
      })
  }

  await wf.openStep('verify')
  await verify()
  const listing = `listing:${RELAY_LIST}:${RELAY_IP}`
  await expect(wf.verifyItem(listing)).toHaveAttribute('data-outcome', /still-open|new/)
  await expect.poll(todo).toBeGreaterThan(0)
  expect(await todo()).toBeLessThanOrEqual(3)
  const note = page.getByTestId('coverage-note').and(page.locator('[data-check="blocklist"]'))
  await expect(note).toHaveCount(1)
  await expect(note.getByTestId('coverage-text')).toContainText('10 lists gave no usable answer')

  dns.deleteName(RELAY_LISTING)
  await verify()
  // One clean answer is not a delisting yet.
  await expect(wf.verifyItem(listing)).not.toHaveAttribute('data-outcome', 'resolved')
  await verify()
  await expect(wf.verifyItem(listing)).toHaveAttribute('data-outcome', 'resolved')
  await expect.poll(todo).toBe(0)
  for (const s of ['diagnose', 'fix', 'delist'])
    await expect(wf.step(s)).toHaveAttribute('data-complete', 'true')
  // The coverage note stays: the silent lists were never checked, whatever else resolved.
  await expect(note).toHaveCount(1)
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-open', '0')
})
