import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name))
      : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)
        ? [join(dir, e.name)]
        : []
  )
}

/**
 * The layering the guide asks for: core is pure (DNS, clock and fetches injected), sockets, HTTPS, child
 * processes and the system resolver live in adapters and services; shared has no node or DOM imports.
 */
describe('architecture', () => {
  it('src/main/core does no I/O of its own', () => {
    const io = /from 'node:(net|dgram|http|https|tls|dns|child_process|worker_threads)'/
    const offenders = files(join(ROOT, 'src/main/core'))
      .filter((f) => !f.includes('__fixtures__'))
      .filter((f) => io.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(ROOT.length + 1))
    expect(offenders).toEqual([])
  })

  it('src/shared imports neither node nor the DOM', () => {
    const offenders = files(join(ROOT, 'src/shared'))
      .filter((f) => /from 'node:|from 'electron'|\bdocument\.|\bwindow\./.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(ROOT.length + 1))
    expect(offenders).toEqual([])
  })
})
