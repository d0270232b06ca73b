#!/usr/bin/env node
// `npm start`: build when needed, then launch Electron. Where the Electron binary is missing (its download from
// GitHub is blocked on many build machines), say so in one line and serve the same UI on loopback instead.
// `npm run web` (--web) always uses the web host.
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { electronSqliteBinding } from './electron-native.mjs'

const root = new URL('..', import.meta.url).pathname
const webOnly = process.argv.includes('--web')
const passThrough = process.argv.slice(2).filter((a) => a !== '--web')

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

function needsBuild() {
  const outs = ['out/main/index.js', 'out/main/web.js', 'out/renderer/index.html'].map((p) => join(root, p))
  if (!outs.every(existsSync)) return true
  const built = Math.min(...outs.map((p) => statSync(p).mtimeMs))
  return Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'resources'))) > built
}

/**
 * The Electron binary, when it was downloaded. Read from the package's path.txt and dist/ rather than by requiring
 * the package: since Electron 45 `require('electron')` starts the download itself, with its output on our console.
 */
function electronBinary() {
  const dir = join(root, 'node_modules/electron')
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const p = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(p) ? p : null
}

if (needsBuild()) {
  console.log('Building Delivery Desk…')
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit'
    }
  )
  if (r.status !== 0) process.exit(r.status ?? 1)
}

/**
 * Electron's own postinstall (the binary download from GitHub) is denied in package.json's allowScripts, so that
 * `npm install` succeeds on machines that cannot reach GitHub. The download is tried here instead, once, the first
 * time the desktop app is started.
 */
function tryDownloadElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return
  const installer = join(root, 'node_modules/electron/install.js')
  if (!existsSync(installer)) return
  console.log('Downloading the Electron binary (first start only)…')
  spawnSync(process.execPath, [installer], {
    cwd: join(root, 'node_modules/electron'),
    stdio: 'ignore',
    timeout: 180_000
  })
}

let electron = webOnly ? null : electronBinary()
if (!webOnly && !electron) {
  tryDownloadElectron()
  electron = electronBinary()
}
const binding = electron ? electronSqliteBinding(root) : null
if (electron && !binding)
  console.log('The SQLite module could not be built for Electron; using the browser UI instead.')
if (electron && binding) {
  const child = spawn(electron, [root, ...passThrough], {
    stdio: 'inherit',
    env: { ...process.env, DELIVERY_DESK_SQLITE_BINDING: binding }
  })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  if (!webOnly) {
    console.log(
      'The Electron binary is not installed here (its download was blocked), so Delivery Desk opens in your browser instead:'
    )
  }
  const child = spawn(process.execPath, [join(root, 'out/main/web.js'), ...passThrough], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
}
