#!/usr/bin/env node
// `npm run lint:electron`: Electronegativity over src/, failing on any finding that electronegativity.config.json
// does not explain. The tool itself has no suppression file (only inline comments, which hide the reason from a
// reviewer of the config), hence this wrapper: one place lists every accepted finding with its reason.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const require = createRequire(import.meta.url)
const config = JSON.parse(readFileSync(join(root, 'electronegativity.config.json'), 'utf8'))
const electronVersion = require('electron/package.json').version
const run = require('@doyensec/electronegativity/dist/runner.js')

for (const e of config.excludeChecks) if (!e.reason) throw new Error(`excludeChecks ${e.check}: no reason`)
for (const e of config.explained) if (!e.reason) throw new Error(`explained ${e.check}: no reason`)

const result = await run(
  {
    input: join(root, config.input),
    isRelative: true,
    customScan: [],
    excludeFromScan: config.excludeChecks.map((e) => e.check.toLowerCase()),
    // The scan cannot read the version from src/, and must not guess an old one (its defaults differ).
    electronVersionOverride: electronVersion,
    parserPlugins: []
  },
  false
)

const fatal = result.errors.filter((e) => !e.tolerable)
const used = new Set()
const unexplained = []
for (const issue of result.issues) {
  const sample = String(issue.sample ?? '')
  const i = config.explained.findIndex(
    (x) => x.check === issue.id && x.file === issue.file && sample.includes(x.match)
  )
  if (i < 0) unexplained.push(issue)
  else used.add(i)
}
const stale = config.explained.filter((_x, i) => !used.has(i))

console.log(
  `Electronegativity (Electron ${electronVersion}): ${result.issues.length} finding(s), ` +
    `${result.issues.length - unexplained.length} explained in electronegativity.config.json.`
)
for (const e of fatal) console.error(`parse error: ${e.file}: ${e.message}`)
for (const u of unexplained)
  console.error(
    `UNEXPLAINED ${u.id} ${u.file}:${u.location.line}:${u.location.column} ${u.description}\n  ${String(u.sample ?? '').trim()}`
  )
for (const s of stale)
  console.error(`STALE entry (matches nothing any more, remove it): ${s.check} ${s.file} "${s.match}"`)
process.exitCode = fatal.length || unexplained.length || stale.length ? 1 : 0
