import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Page } from '@playwright/test'

/** Page object for the case workflow, shared by the web and Electron projects. */
export class AppPage {
  constructor(readonly page: Page) {}

  async newCase(): Promise<void> {
    await this.page.getByTestId('new-case').first().click()
    await this.page.getByTestId('case-workspace').waitFor()
  }

  /** Drops files on the drop zone with a real DataTransfer, exactly as a drag from the file manager does. */
  async dropFiles(paths: string[], mimeType = 'message/rfc822'): Promise<void> {
    const files = paths.map((p) => ({ name: basename(p), b64: readFileSync(p).toString('base64') }))
    await this.page.getByTestId('drop-zone').evaluate(
      (el, { files, mimeType }) => {
        const dt = new DataTransfer()
        for (const f of files) {
          const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))
          dt.items.add(new File([bytes], f.name, { type: mimeType }))
        }
        el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
      },
      { files, mimeType }
    )
  }
}
