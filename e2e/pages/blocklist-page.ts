import type { Locator, Page } from '@playwright/test'
import catalogue from '../../resources/blocklists.json'
import type { Zones } from '../../test/support/dns-server'

/**
 * Fixture DNS for the blocklist specs: every default, key-less list passes its RFC 5782 §5 self-test (lists
 * 127.0.0.2 / its TEST name, not 127.0.0.1 / INVALID), so answers are trusted and NXDOMAIN means clean; then
 * `extra` adds listings and broken zones.
 */
export function blocklistZones(extra: Zones = {}): Zones {
  const zones: Zones = {}
  for (const l of catalogue.lists as {
    zone?: string
    defunct?: boolean
    requiresKey: boolean
    testPoints: Record<string, { listed: string[] } | undefined>
  }[]) {
    if (!l.zone || l.defunct || l.requiresKey) continue
    const ip4 = l.testPoints.ip4?.listed[0]
    if (ip4) zones[`${ip4.split('.').reverse().join('.')}.${l.zone}`] = { A: ['127.0.0.2'] }
    const domain = l.testPoints.domain?.listed[0]
    if (domain) zones[`${domain}.${l.zone}`] = { A: ['127.0.0.2'] }
  }
  return { ...zones, ...extra }
}

/** The Name a listing of `ip` has in `zone` (RFC 5782 §2.1: reversed octets). */
export const listingName = (ip: string, zone: string): string =>
  `${ip.split('.').reverse().join('.')}.${zone}`

/** Page object for the Blocklists view, the case's Delist step and the delisting board. */
export class BlocklistPage {
  constructor(readonly page: Page) {}

  async openView(): Promise<void> {
    await this.page.getByTestId('nav-blocklists').click()
    await this.page.getByTestId('blocklist-view').waitFor()
  }

  async check(targets: string[]): Promise<void> {
    await this.page.getByTestId('bl-targets').fill(targets.join('\n'))
    await this.page.getByTestId('bl-run').click()
  }

  target(value: string): Locator {
    return this.page.getByTestId(`bl-target-${value}`)
  }

  async openDelistStep(): Promise<void> {
    await this.page.getByTestId('tab-delist').click()
    await this.page.getByTestId('delist-panel').waitFor()
  }

  async requestDelisting(list: string, reference: string): Promise<void> {
    await this.page.getByTestId(`request-delist-${list}`).first().click()
    await this.page.getByTestId('delist-reference').fill(reference)
    await this.page.getByTestId('delist-form-submit').click()
    await this.page.getByTestId('delist-form').waitFor({ state: 'detached' })
  }

  requestRow(list: string): Locator {
    return this.page.locator(`[data-testid^="delist-row-"][data-list="${list}"]`)
  }

  async checkNow(list: string): Promise<void> {
    await this.requestRow(list).locator('[data-testid^="delist-check-"]').click()
  }

  async openBoard(): Promise<void> {
    await this.page.getByTestId('nav-board').click()
    await this.page.getByTestId('board').waitFor()
  }
}
