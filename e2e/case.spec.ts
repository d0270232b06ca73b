import { join } from 'node:path'
import { ROOT, expect, shotPath, test } from './fixtures'
import { AppPage } from './pages/app-page'

const DATA = join(ROOT, 'e2e/data')

test('drop a real bounce, see its hops, add a note, and find both after a reload', async ({ app }) => {
  const ui = new AppPage(app.page)
  const page = app.page
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'postfix-bounce-spamhaus.eml')])

  await expect(page.getByTestId('evidence-item')).toHaveCount(1)
  await expect(page.getByTestId('summary-card')).toContainText('Undelivered Mail Returned to Sender')
  const rows = page.getByTestId('hop-row')
  await expect(rows).toHaveCount(2)
  await expect(page.getByTestId('hop-table')).toContainText('mx1.example.org')
  await expect(page.getByTestId('hop-table')).toContainText('203.0.113.25')

  await page.getByTestId('tab-timeline').click()
  await page.getByTestId('note-input').fill('Opened a ticket with Spamhaus: #4711')
  await page.getByTestId('note-add').click()
  await expect(page.getByTestId('note')).toContainText('#4711')

  // Edit and persist.
  await page.getByTestId('note-edit').click()
  await page.getByTestId('note-edit-input').fill('Opened a ticket with Spamhaus: #4712')
  await page.getByTestId('note-save').click()
  await expect(page.getByTestId('note')).toContainText('#4712')

  // Every panel subscribes to events; in the browser they must share one stream (6 connections per host).
  const streams: string[] = []
  page.on('request', (r) => void (r.url().includes('/events') && streams.push(r.url())))
  await app.reload()
  await page.waitForSelector('[data-app-state="ready"]')
  await expect(page.getByTestId('case-item')).toHaveCount(1)
  await page.getByTestId('case-item').first().click()
  await expect(page.getByTestId('hop-row')).toHaveCount(2)
  if (app.url) expect(streams).toHaveLength(1)
  await page.screenshot({ path: shotPath('case.png'), fullPage: false })
  await page.getByTestId('tab-timeline').click()
  await expect(page.getByTestId('note')).toContainText('#4712')

  // Search finds the case by its note.
  await page.getByTestId('case-search').fill('4712')
  await expect(page.getByTestId('case-item')).toHaveCount(1)
  await page.getByTestId('case-search').fill('nothing-like-this')
  await expect(page.getByTestId('case-item')).toHaveCount(0)
})

test('dropping a PNG renamed .eml shows a clear error and saves nothing', async ({ app }) => {
  const ui = new AppPage(app.page)
  const page = app.page
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'screenshot.png.eml')])
  await expect(page.getByTestId('drop-error')).toContainText(/PNG/i)
  await expect(page.getByTestId('evidence-item')).toHaveCount(0)
})

test('deleting a note removes it for good', async ({ app }) => {
  const page = app.page
  await new AppPage(page).newCase()
  await page.getByTestId('tab-timeline').click()
  await page.getByTestId('note-input').fill('temporary note')
  await page.getByTestId('note-add').click()
  await expect(page.getByTestId('note')).toHaveCount(1)
  await page.getByTestId('note-delete').click()
  await expect(page.getByTestId('note')).toHaveCount(0)
  await app.reload()
  await page.getByTestId('case-item').first().click()
  await page.getByTestId('tab-timeline').click()
  await expect(page.getByTestId('note')).toHaveCount(0)
})
