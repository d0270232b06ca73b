import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * HTML → PDF with headless Chromium (web host and CLI; the desktop app injects Electron's printToPDF instead).
 * The report's own CSP forbids scripts, so printing it runs nothing from the message. This spawns a process and
 * writes temp files, so it lives with the services, not in the pure core.
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

export interface PdfOptions {
  /** Past this, Chromium (and every process it started) is killed and the export fails with a timeout message. */
  timeoutMs?: number
  /** Where the dd-pdf-* work folder is made (tests point it at a folder of their own). */
  tmpRoot?: string
  /** Root cannot use Chromium's sandbox; anyone else keeps it. */
  isRoot?: boolean
}

/** Chromium's arguments: the sandbox stays on unless we run as root, where Chromium refuses to start with it. */
export function chromiumArgs(dir: string, src: string, out: string, isRoot: boolean): string[] {
  return [
    '--headless',
    ...(isRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    `--user-data-dir=${join(dir, 'profile')}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${out}`,
    pathToFileURL(src).href
  ]
}

export async function htmlToPdf(html: string, chromium: string, opts: PdfOptions = {}): Promise<Uint8Array> {
  const timeoutMs = opts.timeoutMs ?? 60_000
  const isRoot = opts.isRoot ?? process.getuid?.() === 0
  const dir = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), 'dd-pdf-'))
  try {
    const src = join(dir, 'report.html')
    const out = join(dir, 'report.pdf')
    writeFileSync(src, html)
    await new Promise<void>((resolve, reject) => {
      let stderr = ''
      let timedOut = false
      // Its own process group, so that a timeout stops Chromium's helper processes too: they kept writing into the
      // profile folder, and removing it then failed with ENOTEMPTY and left /tmp/dd-pdf-* behind.
      const child = spawn(chromium, chromiumArgs(dir, src, out, isRoot), {
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'ignore', 'pipe']
      })
      child.stderr!.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000)
      })
      const kill = () => {
        try {
          if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL')
          else child.kill('SIGKILL')
        } catch {
          /* already gone */
        }
      }
      const timer = setTimeout(() => {
        timedOut = true
        kill()
      }, timeoutMs)
      child.on('error', (e) => {
        clearTimeout(timer)
        reject(new Error(`Chromium could not be started for the PDF: ${e.message}`))
      })
      // 'close', not 'exit': by then Chromium's output is flushed; the group kill above has stopped its helpers.
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        if (timedOut)
          reject(
            new Error(
              `PDF export timed out: Chromium did not finish printing the report within ${Math.round(timeoutMs / 1000)} s and was stopped.`
            )
          )
        else if (code !== 0)
          reject(
            new Error(
              `Chromium could not print the report (exit ${code ?? signal}).${stderr ? `\n${stderr.slice(-500)}` : ''}`
            )
          )
        else {
          // Whatever helpers outlived the browser process must not write into the folder we are about to remove.
          kill()
          resolve()
        }
      })
    })
    if (!existsSync(out)) throw new Error('Chromium did not write the PDF.')
    const bytes = readFileSync(out)
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new Error('Chromium wrote something that is not a PDF.')
    return new Uint8Array(bytes)
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
  }
}
