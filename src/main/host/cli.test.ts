import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { parseArgs, runCli } from './cli'
import { SAMPLE_EML } from './test-backend'

function capture() {
  let text = ''
  return { out: { write: (s: string) => void (text += s) }, text: () => text }
}

describe('CLI', () => {
  it('parses flags, repeated flags and --key=value', () => {
    const a = parseArgs([
      'case',
      'new',
      '--title=T 1',
      '--evidence',
      'a.eml',
      '--evidence',
      'b.eml',
      '--json'
    ])
    expect(a.positional).toEqual(['case', 'new'])
    expect(a.flags.get('--title')).toEqual(['T 1'])
    expect(a.flags.get('--evidence')).toEqual(['a.eml', 'b.eml'])
    expect(a.bool.has('--json')).toBe(true)
  })

  it('analyze --json prints one object per file with file, headers and hops; errors are per file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-'))
    writeFileSync(join(dir, 'a.eml'), SAMPLE_EML)
    writeFileSync(join(dir, 'b.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))
    const o = capture()
    const e = capture()
    const code = await runCli(
      [
        'analyze',
        join(dir, 'a.eml'),
        join(dir, 'b.png'),
        join(dir, 'missing.eml'),
        '--json',
        '--data',
        join(dir, 'data')
      ],
      o.out,
      e.out
    )
    const lines = o
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(3)
    expect(lines[0].file).toBe(join(dir, 'a.eml'))
    expect(lines[0].headers.some((h: { name: string }) => h.name === 'Subject')).toBe(true)
    expect(lines[0].hops).toHaveLength(2)
    expect(lines[1]).toMatchObject({ kind: 'error', error: { code: 'NOT_A_MESSAGE' } })
    expect(lines[2]).toMatchObject({ kind: 'error', error: { code: 'NOT_FOUND' } })
    expect(code).toBe(1)
  })

  it('case new with evidence, then cases lists it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-'))
    writeFileSync(join(dir, 'a.eml'), SAMPLE_EML)
    const o = capture()
    expect(
      await runCli(
        ['case', 'new', '--title', 'From the CLI', '--evidence', join(dir, 'a.eml'), '--json', '--data', dir],
        o.out,
        o.out
      )
    ).toBe(0)
    const { id } = JSON.parse(o.text())
    expect(id).toBeGreaterThan(0)
    const l = capture()
    await runCli(['cases', '--json', '--data', dir], l.out, l.out)
    expect(JSON.parse(l.text())).toMatchObject([{ id, title: 'From the CLI', evidenceCount: 1 }])
  })

  it('backup writes a copy of the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-'))
    const o = capture()
    expect(
      await runCli(['backup', '--out', join(dir, 'b.sqlite'), '--json', '--data', dir], o.out, o.out)
    ).toBe(0)
    expect(JSON.parse(o.text()).bytes).toBeGreaterThan(0)
  })

  it('restore --from a missing file prints one clear line, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-'))
    const missing = join(dir, 'no-such-backup.sqlite')
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const o = capture()
    const e = capture()
    try {
      expect(await runCli(['restore', '--from', missing, '--data', dir], o.out, e.out)).toBe(1)
      expect(logged).not.toHaveBeenCalled()
    } finally {
      logged.mockRestore()
    }
    expect(e.text()).toBe(`Error: Cannot read the backup ${missing}: no such file.\n`)
    expect(o.text()).toBe('')
  })

  it('a corrupt database gives an error naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-cli-'))
    writeFileSync(join(dir, 'delivery-desk.sqlite'), 'garbage '.repeat(200))
    const o = capture()
    expect(await runCli(['cases', '--json', '--data', dir], o.out, o.out)).toBe(1)
    expect(JSON.parse(o.text()).error.message).toContain(join(dir, 'delivery-desk.sqlite'))
  })
})
