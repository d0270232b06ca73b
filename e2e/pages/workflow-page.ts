import { readFileSync } from 'node:fs'
import type { Download, Locator, Page } from '@playwright/test'

/** Page object for the workflow steps of a case: steps bar, Fix, Verify and Report. */
export class WorkflowPage {
  constructor(readonly page: Page) {}

  step(name: string): Locator {
    return this.page.getByTestId(`step-${name}`)
  }

  /** Opens a step the way a user does: by clicking it in the steps bar. */
  async openStep(name: 'diagnose' | 'fix' | 'delist' | 'verify' | 'report'): Promise<void> {
    await this.step(name).click()
    await this.page.getByTestId(`tab-${name}`).and(this.page.locator('[aria-selected="true"]')).waitFor()
  }

  /** A root cause card (one per cause: "dmarc", "listing:<list>:<target>"…), inside `within` when given. */
  cause(id: string, within?: Locator): Locator {
    return (within ?? this.page).locator(`[data-testid="cause-card"][data-cause="${id}"]`)
  }

  /** Accepts a whole root cause with a note, from its card in the Fix step. */
  async acceptCause(id: string, note: string): Promise<void> {
    await this.cause(id, this.page.getByTestId('fix-panel')).getByTestId('accept-cause').click()
    await this.page.getByTestId('accept-note').fill(note)
    await this.page.getByTestId('accept-confirm').click()
  }

  /** The record value of a generated snippet in the last result (e.g. "spf-record", "dmarc-stage-3"). */
  async snippetRecord(snippetId: string): Promise<string> {
    return (await this.page
      .getByTestId('fix-result')
      .locator(`[data-snippet="${snippetId}"]`)
      .getByTestId('snippet-record')
      .textContent())!.trim()
  }

  verifyItem(id: string): Locator {
    return this.page.locator(`[data-testid="verify-item"][data-finding="${id}"]`)
  }

  /** Exports the report in a format and returns the downloaded bytes (the browser's save flow). */
  async exportReport(
    format: 'HTML' | 'PDF' | 'Markdown' | 'JSON'
  ): Promise<{ download: Download; bytes: Buffer }> {
    await this.page.getByTestId('report-format').getByText(format, { exact: true }).click()
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('report-export').click()
    ])
    const path = await download.path()
    return { download, bytes: readFileSync(path!) }
  }
}
