import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

/** The `electronFuses:` block as key → boolean (the block is flat, so no YAML library is needed). */
function fuses(yml: string): Record<string, boolean> {
  const block = /^electronFuses:\n((?:[ \t]+.*\n?|\n)*)/m.exec(yml)?.[1] ?? ''
  const out: Record<string, boolean> = {}
  for (const m of block.matchAll(/^[ \t]+(\w+):[ \t]*(true|false)[ \t]*$/gm)) out[m[1]] = m[2] === 'true'
  return out
}

describe('Electron packaging', () => {
  it('sets the fuses that close the run-as-node, NODE_OPTIONS, inspector and loose-app doors', () => {
    expect(fuses(readFileSync(join(ROOT, 'build/electron-builder.yml'), 'utf8'))).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    })
  })

  it('uses a supported Electron (45 or newer) without running its postinstall download', () => {
    const range: string = pkg.devDependencies.electron
    const major = Number(/(\d+)/.exec(range)?.[1])
    expect(major).toBeGreaterThanOrEqual(45)
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8'))
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(45)
    expect(pkg.allowScripts.electron).toBe(false)
  })

  it('has an Electronegativity lint script', () => {
    expect(pkg.scripts['lint:electron']).toMatch(/lint-electron/)
  })
})
