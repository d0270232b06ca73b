import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { APP_VERSION } from './version'

it('APP_VERSION matches package.json', () => {
  expect(APP_VERSION).toBe(JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')).version)
})
