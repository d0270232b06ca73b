import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_EML } from './test-backend'

/**
 * The real CLI process with its stdout on a pipe, as in `delivery-desk analyze big.mbox --json | wc -l`.
 * A pipe takes 64 KiB before node queues writes; exiting right after the last write used to drop the rest.
 */
const CLI = resolve(__dirname, 'cli.ts')
const MESSAGES = 5000

let dir: string
let mbox: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-cli-pipe-'))
  mbox = join(dir, 'big.mbox')
  const one = SAMPLE_EML.replace(/\r\n/g, '\n')
  let text = ''
  for (let i = 1; i <= MESSAGES; i++)
    text += `From alice@example.net Tue Mar 14 09:12:00 2023\n${one.replace('Hello there', `Hello ${i}`)}\n`
  writeFileSync(mbox, text)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * `delivery-desk analyze big.mbox --json | READER` in bash, so the reader owns the pipe's only read end (when
 * `head` exits, the CLI's next write really fails with EPIPE). Returns the CLI's exit code and stderr.
 */
function pipeInto(reader: string) {
  const r = spawnSync(
    'bash',
    [
      '-c',
      `"$NODE" --import tsx "$CLI" analyze "$MBOX" --json --data "$DATA" 2>"$ERR" | ${reader}; echo "\${PIPESTATUS[0]}" >"$CODE"`
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE: process.execPath,
        CLI,
        MBOX: mbox,
        DATA: join(dir, 'data'),
        ERR: join(dir, 'stderr.txt'),
        CODE: join(dir, 'code.txt')
      }
    }
  )
  return {
    out: r.stdout,
    cliErr: readFileSync(join(dir, 'stderr.txt'), 'utf8'),
    cliCode: Number(readFileSync(join(dir, 'code.txt'), 'utf8'))
  }
}

describe('CLI output on a pipe', () => {
  it(`writes all ${MESSAGES} analyses of an mbox through the pipe, the last line whole, then exits 0`, () => {
    // awk prints what `wc -l` would count, then the last line it read.
    const r = pipeInto(`awk 'END { print NR; print $0 }'`)
    const [count, lastLine] = r.out.trimEnd().split('\n')
    expect(r.cliErr).toBe('')
    expect(Number(count)).toBe(MESSAGES)
    const last = JSON.parse(lastLine)
    expect(last.file).toBe(`${mbox} #${MESSAGES}`)
    expect(last.summary.subject).toBe(`Hello ${MESSAGES}`)
    expect(r.cliCode).toBe(0)
  }, 120_000)

  it('counts the same lines with wc -l', () => {
    const r = pipeInto('wc -l')
    expect(Number(r.out.trim())).toBe(MESSAGES)
    expect(r.cliCode).toBe(0)
  }, 120_000)

  it('stops quietly when head -c closes the pipe early: no EPIPE stack trace', () => {
    const r = pipeInto('head -c 300')
    expect(r.out).toHaveLength(300)
    expect(r.out.startsWith(`{"file":"${mbox} #1"`)).toBe(true)
    expect(r.cliErr).toBe('')
    expect(r.cliCode).toBe(0)
  }, 120_000)
})
