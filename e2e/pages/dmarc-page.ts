import type { Locator, Page } from '@playwright/test'

/** Page object for the DMARC reports view. */
export class DmarcPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-dmarc').click()
    await this.page.getByTestId('dmarc-view').waitFor()
  }

  /** Drops files (name + bytes) on the report drop zone with a real DataTransfer, as a file manager does. */
  async drop(files: { name: string; bytes: Uint8Array }[]): Promise<void> {
    const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }))
    await this.page.getByTestId('dmarc-drop-zone').evaluate((el, files) => {
      const dt = new DataTransfer()
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))
        dt.items.add(new File([bytes], f.name))
      }
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    }, payload)
  }

  source(ip: string): Locator {
    return this.page.locator(`[data-testid="dmarc-source"][data-ip="${ip}"]`)
  }

  get verdict(): Locator {
    return this.page.getByTestId('dmarc-readiness-verdict')
  }
}
