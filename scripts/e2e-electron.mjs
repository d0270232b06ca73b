#!/usr/bin/env node
// Runs the same Playwright specs against the real Electron app, when its binary is installed.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { electronSqliteBinding } from './electron-native.mjs'

const require = createRequire(import.meta.url)
let binary = null
try {
  binary = require('electron')
} catch {
  binary = null
}
if (typeof binary !== 'string' || !existsSync(binary)) {
  console.log(
    'The Electron binary is not installed (its download is blocked here); nothing to run. `npm run e2e` covers the web host.'
  )
  process.exit(0)
}
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const binding = electronSqliteBinding(new URL('..', import.meta.url).pathname)
if (!binding) {
  console.error('Could not build better-sqlite3 for Electron.')
  process.exit(1)
}
const r = spawnSync('npx', ['playwright', 'test', '--project=electron', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, DELIVERY_DESK_SQLITE_BINDING: binding }
})
process.exit(r.status ?? 1)
