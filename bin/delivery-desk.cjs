#!/usr/bin/env node
// The `delivery-desk` command. Uses the built CLI when present, otherwise runs the TypeScript source through tsx.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const built = join(__dirname, '..', 'out', 'main', 'cli.js')
if (existsSync(built)) {
  // Required, cli.js is not require.main: it must be started explicitly.
  require(built).main()
} else {
  const { spawnSync } = require('node:child_process')
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '..', 'src', 'main', 'host', 'cli.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' }
  )
  process.exit(r.status ?? 1)
}
