import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * HTML → PDF with headless Chromium (web host and CLI; the desktop app injects Electron's printToPDF instead).
 * The report's own CSP forbids scripts, so printing it runs nothing from the message.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome'
  ]
  for (const c of candidates) if (c && existsSync(c)) return c
  return null
}

export async function htmlToPdf(html: string, chromium: string, timeoutMs = 60_000): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'dd-pdf-'))
  try {
    const src = join(dir, 'report.html')
    const out = join(dir, 'report.pdf')
    writeFileSync(src, html)
    await new Promise<void>((resolve, reject) => {
      execFile(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${out}`,
          pathToFileURL(src).href
        ],
        { timeout: timeoutMs },
        (err, _stdout, stderr) => {
          if (err)
            reject(
              new Error(
                `Chromium could not print the report: ${err.message}${stderr ? `\n${stderr.slice(-500)}` : ''}`
              )
            )
          else resolve()
        }
      )
    })
    if (!existsSync(out)) throw new Error('Chromium did not write the PDF.')
    const bytes = readFileSync(out)
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new Error('Chromium wrote something that is not a PDF.')
    return new Uint8Array(bytes)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
