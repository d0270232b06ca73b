import type { Locator, Page } from '@playwright/test'

/** Page object for the diagnose view of a case: verdict, authentication, bounce rows, body. */
export class DiagnosePage {
  constructor(readonly page: Page) {}

  get verdict(): Locator {
    return this.page.getByTestId('verdict-card')
  }
  get cause(): Locator {
    return this.page.getByTestId('verdict-cause')
  }
  get bounceRows(): Locator {
    return this.page.getByTestId('bounce-row')
  }
  get authPanel(): Locator {
    return this.page.getByTestId('auth-panel')
  }
  recorded(mechanism: string): Locator {
    return this.page.getByTestId(`auth-recorded-${mechanism}`)
  }
  now(mechanism: string): Locator {
    return this.page.getByTestId(`auth-now-${mechanism}`)
  }

  async paste(text: string): Promise<void> {
    await this.page.getByTestId('paste-toggle').click()
    await this.page.getByTestId('paste-input').fill(text)
    await this.page.getByTestId('paste-add').click()
  }

  async selectEvidence(name: RegExp | string): Promise<void> {
    await this.page
      .getByTestId('evidence-item')
      .filter({ hasText: name })
      .getByTestId('evidence-select')
      .click()
  }

  /** Switches a loaded body to its HTML view (the sandboxed frame). */
  async showHtml(): Promise<Locator> {
    await this.page.getByTestId('body-view').getByText('HTML').click()
    const frame = this.page.getByTestId('body-frame')
    await frame.waitFor()
    return frame
  }
}
