import type { Locator, Page } from '@playwright/test'

/** Page object for the Pre-send check view. */
export class PrecheckPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-precheck').click()
    await this.page.getByTestId('precheck-view').waitFor()
  }

  async setIp(ip: string): Promise<void> {
    await this.page.getByTestId('precheck-ip').fill(ip)
  }

  /** Drops one file on the drop zone with a real DataTransfer, as a file manager does. */
  async drop(name: string, text: string): Promise<void> {
    await this.page.getByTestId('precheck-drop-zone').evaluate(
      (el, f) => {
        const dt = new DataTransfer()
        dt.items.add(new File([f.text], f.name, { type: 'message/rfc822' }))
        el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
      },
      { name, text }
    )
  }

  check(id: string): Locator {
    return this.page.locator(`[data-testid="precheck-check"][data-check="${id}"]`)
  }

  rule(name: string): Locator {
    return this.page.locator(`[data-testid="precheck-sa-rule"][data-rule="${name}"]`)
  }
}
