import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chromiumArgs, htmlToPdf } from './chromium-pdf'

/** Fake "Chromium" executables: shell scripts that behave like the real one would in each case. */
function fakeChromium(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dd-fake-chromium-'))
  const file = join(dir, 'chromium')
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}

/** The value of --print-to-pdf= / --user-data-dir= among the script's arguments. */
const ARG = (name: string) =>
  `$(for a in "$@"; do case "$a" in --${name}=*) echo "\${a#--${name}=}";; esac; done)`

describe('headless Chromium PDF', () => {
  it('keeps the sandbox unless running as root', () => {
    expect(chromiumArgs('/d', '/d/r.html', '/d/r.pdf', false)).not.toContain('--no-sandbox')
    expect(chromiumArgs('/d', '/d/r.html', '/d/r.pdf', true)).toContain('--no-sandbox')
    expect(chromiumArgs('/d', '/d/r.html', '/d/r.pdf', false)[0]).toBe('--headless')
  })

  it('returns the PDF and removes its work folder', async () => {
    const tmpRoot = mkdtempSync(join(tmpdir(), 'dd-pdf-test-'))
    const chromium = fakeChromium(`printf '%%PDF-1.7 fake' > "${ARG('print-to-pdf')}"`)
    const bytes = await htmlToPdf('<p>hi</p>', chromium, { tmpRoot, timeoutMs: 10_000 })
    expect(Buffer.from(bytes).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(readdirSync(tmpRoot)).toEqual([])
  })

  it('stops a Chromium that hangs, with its helpers, says "timed out" and leaves no temp files', async () => {
    const tmpRoot = mkdtempSync(join(tmpdir(), 'dd-pdf-test-'))
    // A helper keeps writing into the profile folder (what made the old cleanup fail with ENOTEMPTY).
    const chromium = fakeChromium(
      `P="${ARG('user-data-dir')}"; mkdir -p "$P"\n` +
        `( i=0; while true; do i=$((i+1)); echo x > "$P/f$i"; sleep 0.01; done ) &\n` +
        `sleep 30`
    )
    await expect(htmlToPdf('<p>hi</p>', chromium, { tmpRoot, timeoutMs: 500 })).rejects.toThrow(
      /timed out.*within 1 s/
    )
    expect(readdirSync(tmpRoot)).toEqual([])
  })

  it('reports a failing Chromium with its exit code and cleans up', async () => {
    const tmpRoot = mkdtempSync(join(tmpdir(), 'dd-pdf-test-'))
    const chromium = fakeChromium(`echo 'cannot open display' >&2; exit 3`)
    await expect(htmlToPdf('<p>hi</p>', chromium, { tmpRoot, timeoutMs: 10_000 })).rejects.toThrow(
      /exit 3[\s\S]*cannot open display/
    )
    expect(readdirSync(tmpRoot)).toEqual([])
  })
})
