import type { Locator, Page } from '@playwright/test'

/** Page object for the domain health check: the standalone view and the case panel. */
export class DomainPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-domain').click()
    await this.page.getByTestId('domain-view').waitFor()
  }

  /** Fills the form (tags are committed with Enter, as a user does) and presses Check. */
  async check(
    domain: string,
    opts: { ips?: string[]; helo?: string; selectors?: string[] } = {}
  ): Promise<void> {
    await this.page.getByTestId('domain-input').fill(domain)
    for (const ip of opts.ips ?? []) await this.addTag('ips-input', ip)
    if (opts.helo !== undefined) await this.page.getByTestId('helo-input').fill(opts.helo)
    for (const s of opts.selectors ?? []) await this.addTag('selectors-input', s)
    await this.page.getByTestId('domain-run').click()
  }

  private async addTag(testId: string, value: string): Promise<void> {
    const input = this.page.getByTestId(testId)
    await input.fill(value)
    await input.press('Enter')
  }

  finding(id: string): Locator {
    return this.page.locator(`[data-testid="domain-finding"][data-finding-id="${id}"]`)
  }

  mechanism(m: string): Locator {
    return this.page.getByTestId(`mechanism-${m}`)
  }

  get panel(): Locator {
    return this.page.getByTestId('case-domain-panel')
  }
}
