import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { SpamAssassinResult, SpamAssassinRule } from '../../shared/contract/precheck'
import { text } from '../../shared/text'

/**
 * SpamAssassin (Apache SpamAssassin, the Debian `spamassassin` package) as a child process, for the pre-send
 * check. It runs with local tests only (`-L`: no DNSBL/URIBL, Razor, Pyzor or DCC lookups) and Bayes off, with a
 * throwaway HOME and user_prefs in a temp folder so nothing is written to the user's home; the site config
 * (/etc/spamassassin, whose .pre files load the plugins) and the shipped rules (/usr/share/spamassassin, or
 * sa-update's /var/lib/spamassassin) are read as installed. `-t` appends the report with the rules that hit.
 */

export interface SpamAssassinRunner {
  run(bytes: Uint8Array, signal?: AbortSignal): Promise<SpamAssassinResult>
}

export interface SpamAssassinOptions {
  /** The binary; null = not installed. Default: $DELIVERY_DESK_SPAMASSASSIN, else `spamassassin` on PATH. */
  path?: string | null
  /** Past this the process is killed and the check reports a timeout. */
  timeoutMs?: number
  /** Larger messages are not scanned (spamc's default cap is 500 KB; a newsletter is far below this). */
  maxBytes?: number
  tmpRoot?: string
}

export const SA_DEFAULTS = { timeoutMs: 60_000, maxBytes: 4 * 1024 * 1024 }

export function findSpamAssassin(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.DELIVERY_DESK_SPAMASSASSIN !== undefined) {
    const p = env.DELIVERY_DESK_SPAMASSASSIN
    return p && existsSync(p) ? p : null
  }
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, 'spamassassin')
    if (dir && existsSync(p)) return p
  }
  return null
}

const RULE = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Za-z0-9_]+)\s+(.*?)\s*$/
const CONTINUATION = /^\s{10,}(\S.*?)\s*$/

/**
 * Reads the report `-t` appends: "Content analysis details: (6.3 points, 5.0 required)" and the
 * "pts rule name description" table. The message itself comes first in the output and may quote such a table,
 * so only the last one counts. Long descriptions continue on indented lines.
 */
export function parseSpamAssassinReport(
  out: string
): { score: number; required: number; rules: SpamAssassinRule[]; version?: string } | null {
  const at = out.lastIndexOf('Content analysis details:')
  if (at < 0) return null
  const tail = out.slice(at)
  const head = /^Content analysis details:\s*\((-?\d+(?:\.\d+)?) points?, (-?\d+(?:\.\d+)?) required\)/.exec(
    tail
  )
  if (!head) return null
  const lines = tail.split(/\r?\n/)
  const start = lines.findIndex((l) => /^\s*pts\s+rule name\s+description/.test(l))
  const rules: SpamAssassinRule[] = []
  if (start >= 0) {
    for (const line of lines.slice(start + 2)) {
      const m = RULE.exec(line)
      if (m) {
        rules.push({ name: m[2], score: Number(m[1]), description: m[3] })
        continue
      }
      const c = CONTINUATION.exec(line)
      if (c && rules.length) {
        rules[rules.length - 1].description += ` ${c[1]}`
        continue
      }
      break
    }
  }
  const version = /^X-Spam-Checker-Version:\s*SpamAssassin\s+(\S+)/im.exec(out)?.[1]
  return { score: Number(head[1]), required: Number(head[2]), rules, ...(version ? { version } : {}) }
}

const skipped = (code: string, params?: Record<string, string | number>): SpamAssassinResult => ({
  status: 'skipped',
  reason: text(`precheck:sa.${code}`, params),
  rules: []
})
const failed = (code: string, params?: Record<string, string | number>): SpamAssassinResult => ({
  status: 'error',
  reason: text(`precheck:sa.${code}`, params),
  rules: []
})

export function spamAssassinArgs(prefs: string): string[] {
  return [
    '-t',
    '-L',
    '-p',
    prefs,
    '--cf=use_bayes 0',
    '--cf=bayes_auto_learn 0',
    '--cf=dns_available no',
    '--cf=report_safe 0'
  ]
}

export function createSpamAssassin(opts: SpamAssassinOptions = {}): SpamAssassinRunner {
  const path = opts.path === undefined ? findSpamAssassin() : opts.path
  // What the skipped message names: the path asked for, else the command looked up on PATH.
  const wanted = opts.path ?? (process.env.DELIVERY_DESK_SPAMASSASSIN || 'spamassassin')
  const timeoutMs = opts.timeoutMs ?? SA_DEFAULTS.timeoutMs
  const maxBytes = opts.maxBytes ?? SA_DEFAULTS.maxBytes
  return {
    async run(bytes, signal) {
      if (!path || !existsSync(path)) return skipped('notInstalled', { path: path ?? wanted })
      if (bytes.byteLength > maxBytes) return skipped('tooLarge', { size: bytes.byteLength, limit: maxBytes })
      const dir = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), 'dd-sa-'))
      try {
        return await new Promise<SpamAssassinResult>((resolve) => {
          const child = spawn(path, spamAssassinArgs(join(dir, 'user_prefs')), {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C', LC_ALL: 'C' },
            cwd: dir,
            stdio: ['pipe', 'pipe', 'pipe']
          })
          // The message is echoed back with the report after it; cap what we keep well above that.
          const cap = bytes.byteLength * 2 + 1024 * 1024
          const out: Buffer[] = []
          let outLen = 0
          let stderr = ''
          let why: 'timeout' | 'cancelled' | null = null
          child.stdout.on('data', (d: Buffer) => {
            if (outLen < cap) out.push(d)
            outLen += d.length
          })
          child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
          child.stdin.on('error', () => undefined) // EPIPE when it dies early; 'close' reports it
          const stop = (reason: 'timeout' | 'cancelled') => {
            why = reason
            child.kill('SIGKILL')
          }
          const timer = setTimeout(() => stop('timeout'), timeoutMs)
          const onAbort = () => stop('cancelled')
          signal?.addEventListener('abort', onAbort, { once: true })
          child.on('error', (e) => {
            clearTimeout(timer)
            signal?.removeEventListener('abort', onAbort)
            const missing = (e as NodeJS.ErrnoException).code === 'ENOENT'
            resolve(missing ? skipped('notInstalled', { path }) : failed('failed', { detail: e.message }))
          })
          child.on('close', (code) => {
            clearTimeout(timer)
            signal?.removeEventListener('abort', onAbort)
            if (why === 'timeout')
              return resolve(failed('timeout', { seconds: Math.round(timeoutMs / 1000) }))
            if (why === 'cancelled') return resolve(failed('cancelled'))
            const report = parseSpamAssassinReport(Buffer.concat(out).toString('utf8'))
            if (!report)
              return resolve(
                failed('failed', {
                  detail: `exit ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`
                })
              )
            resolve({ status: 'ran', ...report })
          })
          child.stdin.end(Buffer.from(bytes))
        })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
