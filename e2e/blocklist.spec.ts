import { join } from 'node:path'
import { ROOT, expect, shotPath, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { blocklistZones, BlocklistPage, listingName } from './pages/blocklist-page'

const DATA = join(ROOT, 'e2e/data')
const IP = '203.0.113.77'
const ZEN_LISTING = listingName(IP, 'zen.spamhaus.org')

test('bounce from a listed IP → sweep → request delisting → listing dropped → two checks → delisted on the board', async ({
  app
}) => {
  const page = app.page
  const dns = await app.useDns(
    blocklistZones({
      [ZEN_LISTING]: { A: ['127.0.0.2'], TXT: ['https://check.spamhaus.org/sbl/query/SBL654321'] }
    })
  )
  const ui = new AppPage(page)
  const bl = new BlocklistPage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'bl-bounce.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)

  await bl.openDelistStep()
  // The case offers the IP the rejection names, and the sender's domains; the rejection names Spamhaus ZEN.
  const ipBox = page.getByRole('checkbox', { name: IP })
  await expect(ipBox).toBeChecked()
  await expect(page.getByRole('checkbox', { name: 'acme-widgets.example' })).toBeVisible()
  await expect(page.getByTestId('delist-named')).toContainText('Spamhaus ZEN')

  await page.getByTestId('delist-sweep').click()
  const card = bl.target(IP)
  await expect(card.getByTestId('bl-listed-spamhaus-zen')).toContainText('127.0.0.2')
  await expect(card.getByTestId('bl-listed-spamhaus-zen')).toContainText('SBL654321')
  await expect(card.getByTestId('bl-listed-count')).toContainText('1')
  await expect(page.getByTestId('bl-chart')).toBeVisible()

  await bl.requestDelisting('spamhaus-zen', 'SBL654321-ticket')
  const row = bl.requestRow('spamhaus-zen')
  await expect(row.getByTestId('delist-status')).toHaveAttribute('data-status', 'requested')
  await expect(card.getByTestId('bl-tracked')).toBeVisible()

  // Still listed: a check keeps the request open.
  await bl.checkNow('spamhaus-zen')
  await expect(row.getByTestId('delist-streak')).toHaveText('0/2')
  await expect(row.getByTestId('delist-status')).toHaveAttribute('data-status', 'requested')

  // The operator removes the listing; two clean checks in a row confirm it.
  dns.deleteName(ZEN_LISTING)
  await bl.checkNow('spamhaus-zen')
  await expect(row.getByTestId('delist-streak')).toHaveText('1/2')
  await expect(row.getByTestId('delist-status')).toHaveAttribute('data-status', 'requested')
  await bl.checkNow('spamhaus-zen')
  await expect(row.getByTestId('delist-status')).toHaveAttribute('data-status', 'delisted')

  await page.screenshot({ path: test.info().outputPath('delist-panel.png') })

  // The timeline records each status change.
  await page.getByTestId('tab-timeline').click()
  // The event is text-as-data rendered through the catalogue (status labels as the UI writes them).
  await expect(page.getByTestId('case-workspace')).toContainText(/requested → delisted/i)

  // A provider block tracked by hand in the same case sits in its own column.
  const caseId = Number(/cases\/(\d+)/.exec(page.url())?.[1])
  await app.api('delist.create', {
    caseId,
    list: 'microsoft',
    target: IP,
    requested: true,
    reference: 'MS-88231'
  })

  await bl.openBoard()
  const delisted = page.getByTestId('board-col-delisted')
  await expect(delisted.getByTestId('board-card')).toHaveCount(1)
  await expect(delisted.getByTestId('board-card')).toContainText(IP)
  const requested = page.getByTestId('board-col-requested').getByTestId('board-card')
  await expect(requested).toHaveCount(1)
  await expect(requested).toContainText('Microsoft 365')
  await page.screenshot({ path: shotPath('board.png') })

  await delisted.getByTestId('board-case-link').click()
  await expect(page.getByTestId('case-workspace')).toBeVisible()
})

test('standalone check: listed first, refused explained, could-not-check never clean, bad input reported', async ({
  app
}) => {
  const page = app.page
  await app.useDns(
    blocklistZones({
      [ZEN_LISTING]: {
        A: ['127.0.0.4'],
        TXT: ['https://check.spamhaus.org/listed/?searchterm=203.0.113.77']
      },
      [listingName(IP, 'bl.spamcop.net')]: {
        A: ['127.0.0.2'],
        TXT: ['Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.77']
      },
      // URIBL answers 127.0.0.1 to a resolver it refuses (https://uribl.com/refused.shtml).
      '*.multi.uribl.com': { A: ['127.0.0.1'] },
      '*.psbl.surriel.com': { behaviour: 'timeout' }
    })
  )
  const bl = new BlocklistPage(page)
  await bl.openView()
  await bl.check([IP, 'acme-widgets.example', 'bad_target!'])

  const ip = bl.target(IP)
  await expect(ip.getByTestId('bl-listed-spamhaus-zen')).toContainText('127.0.0.4')
  await expect(ip.getByTestId('bl-listed-spamcop')).toBeVisible()
  await expect(ip.getByTestId('bl-errors')).toContainText('PSBL')
  await expect(ip.getByTestId('request-delist-spamhaus-zen')).toHaveCount(0) // no case: nothing to track
  const domain = bl.target('acme-widgets.example')
  await expect(domain.getByTestId('bl-refused')).toContainText('URIBL')
  await expect(page.getByTestId('bl-invalid')).toContainText('bad_target!')
  await ip.getByTestId('bl-clean-toggle').click()
  // A tall viewport rather than fullPage: the app shell's header and navbar are fixed.
  await page.setViewportSize({ width: 1440, height: 1500 })
  await page.getByTestId('bl-chart').scrollIntoViewIfNeeded()
  await page.screenshot({ path: shotPath('blocklists.png') })
  await page.setViewportSize({ width: 1440, height: 960 })

  await page.getByTestId('bl-tab-catalogue').click()
  await page.getByTestId('bl-catalogue-search').fill('sorbs')
  await expect(page.getByTestId('bl-catalogue-row')).toHaveCount(1)
  await expect(page.getByTestId('bl-defunct')).toContainText('defunct — explains old rejections only')
})

test('a provider block is tracked by hand from the case', async ({ app }) => {
  const page = app.page
  await app.useDns(blocklistZones())
  const ui = new AppPage(page)
  const bl = new BlocklistPage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'bl-bounce.eml')])
  await expect(page.getByTestId('evidence-item')).toHaveCount(1)
  await bl.openDelistStep()
  await page.getByTestId('delist-track-provider').click()
  await page.getByTestId('delist-provider').click()
  await page.getByRole('option', { name: /Microsoft 365/ }).click()
  await page.getByTestId('delist-target').fill('')
  await page.getByTestId('delist-form-submit').click()
  await expect(page.getByTestId('delist-form-error')).toBeVisible() // nothing lost: the form stays open
  await page.getByTestId('delist-target').fill(IP)
  await expect(page.getByTestId('delist-removal-url')).toHaveAttribute('href', 'https://sender.office.com/')
  await page.getByTestId('delist-form-submit').click()
  const row = bl.requestRow('microsoft')
  await expect(row.getByTestId('delist-status')).toHaveAttribute('data-status', 'requested')
  await expect(row.locator('[data-testid^="delist-check-"]')).toHaveCount(0) // never re-checked over DNS
  await row.locator('[data-testid^="delist-menu-"]').click()
  await page.getByTestId('delist-mark-delisted').click()
  await expect(row.getByTestId('delist-status')).toHaveAttribute('data-status', 'delisted')
})
