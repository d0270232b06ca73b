import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CSP } from './http'

const ROOT = join(__dirname, '../../..')

/** Directives as a map, so the comparison does not depend on spacing or order. */
function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/)
        return [name, values.join(' ')] as const
      })
  )
}

function metaPolicy(html: string): string | null {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)
  return m ? m[1] : null
}

describe('CSP as a <meta> in the renderer page', () => {
  it('index.html carries the header policy (minus frame-ancestors, which browsers ignore in a meta)', () => {
    const meta = metaPolicy(readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8'))
    expect(meta).not.toBeNull()
    const header = directives(CSP)
    header.delete('frame-ancestors')
    expect(directives(meta!)).toEqual(header)
  })

  it('the meta comes before any script, so it governs every script on the page', () => {
    const html = readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8')
    const meta = html.search(/<meta\s+http-equiv="Content-Security-Policy"/i)
    expect(meta).toBeGreaterThan(0)
    expect(meta).toBeLessThan(html.indexOf('<script'))
    // No inline script: script-src 'self' would block it, and it would have to be allowed by hash instead.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })
})
