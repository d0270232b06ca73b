// better-sqlite3 is compiled for Node's ABI by `npm install` (the web host, the CLI and the tests need that build).
// Electron has its own ABI, so for `npm start` / `npm run e2e:electron` a second copy is built for Electron in a
// cache folder and handed to the app through DELIVERY_DESK_SQLITE_BINDING (better-sqlite3's `nativeBinding`
// option). The Node build in node_modules is never touched; packaged apps are rebuilt by electron-builder instead.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export function electronSqliteBinding(root) {
  const require = createRequire(join(root, 'package.json'))
  const version = require('electron/package.json').version
  const cacheDir = join(
    root,
    'node_modules',
    '.cache',
    'delivery-desk',
    `electron-${version}-${process.platform}-${process.arch}`
  )
  const target = join(cacheDir, 'better_sqlite3.node')
  if (existsSync(target)) return target
  const work = join(cacheDir, 'better-sqlite3')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(cacheDir, { recursive: true })
  cpSync(join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true, dereference: true })
  rmSync(join(work, 'build'), { recursive: true, force: true })
  const bin = (name) =>
    join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
  console.log(`Building the SQLite module for Electron ${version} (first start only)…`)
  // A prebuilt binary when the project publishes one for this Electron, else a compile against Electron's headers.
  let r = spawnSync(
    bin('prebuild-install'),
    ['--runtime', 'electron', '--target', version, '--arch', process.arch],
    {
      cwd: work,
      stdio: 'ignore'
    }
  )
  if (r.status !== 0 || !existsSync(join(work, 'build', 'Release', 'better_sqlite3.node'))) {
    r = spawnSync(
      bin('node-gyp'),
      [
        'rebuild',
        '--release',
        `--target=${version}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers'
      ],
      { cwd: work, stdio: 'inherit' }
    )
  }
  const built = join(work, 'build', 'Release', 'better_sqlite3.node')
  if (!existsSync(built)) {
    rmSync(work, { recursive: true, force: true })
    return null
  }
  copyFileSync(built, target)
  rmSync(work, { recursive: true, force: true })
  return target
}
