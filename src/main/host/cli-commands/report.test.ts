import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli'
import { findChromium } from '../../services/chromium-pdf'

const FIXTURE = join(__dirname, '../../../../e2e/data/wf-xss.eml')

function capture() {
  let text = ''
  return { out: { write: (s: string) => void (text += s) }, text: () => text }
}

async function newCase(dir: string): Promise<number> {
  const o = capture()
  expect(
    await runCli(
      ['case', 'new', '--title', 'CLI report', '--evidence', FIXTURE, '--json', '--data', dir],
      o.out,
      o.out
    )
  ).toBe(0)
  return JSON.parse(o.text()).id
}

describe('CLI report', () => {
  it('writes an HTML report with the XSS payload escaped, and an operator Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-report-'))
    const id = await newCase(dir)
    const o = capture()
    const out = join(dir, 'r.html')
    expect(
      await runCli(
        ['report', String(id), '--format', 'html', '--out', out, '--json', '--data', dir],
        o.out,
        o.out
      )
    ).toBe(0)
    expect(JSON.parse(o.text())).toMatchObject({ path: out, mimeType: 'text/html;charset=utf-8' })
    const html = readFileSync(out, 'utf8')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('&lt;script&gt;window.__xss=2&lt;/script&gt;')
    const md = join(dir, 'r.md')
    expect(
      await runCli(
        ['report', String(id), '--format', 'md', '--variant', 'operator', '--out', md, '--data', dir],
        o.out,
        o.out
      )
    ).toBe(0)
    expect(readFileSync(md, 'utf8')).toMatch(/^# Delisting request/)
  })

  it('refuses a missing --out and an unknown case with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-report-'))
    const e = capture()
    expect(await runCli(['report', '1', '--format', 'html', '--data', dir], e.out, e.out)).toBe(1)
    expect(e.text()).toContain('--out')
    const n = capture()
    expect(
      await runCli(['report', '999', '--out', join(dir, 'x.html'), '--json', '--data', dir], n.out, n.out)
    ).toBe(1)
    expect(JSON.parse(n.text())).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  // CI installs Chromium (.ci/run); without it the export must say UNSUPPORTED rather than write a broken file.
  it('prints a PDF through headless Chromium, or says clearly that it cannot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-report-'))
    const id = await newCase(dir)
    const out = join(dir, 'r.pdf')
    const o = capture()
    const code = await runCli(
      ['report', String(id), '--format', 'pdf', '--out', out, '--json', '--data', dir],
      o.out,
      o.out
    )
    if (findChromium()) {
      expect(code).toBe(0)
      expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    } else {
      expect(code).toBe(1)
      expect(JSON.parse(o.text())).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } })
      expect(existsSync(out)).toBe(false)
    }
  }, 60_000)
})
