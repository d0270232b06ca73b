// First, before the modules below load: `hygiene ingest` starts its workers now (cli-early.ts).
import './cli-early'
import type { Method } from '../../shared/api'
import type { Result } from '../../shared/result'
import { startBackend, type Backend } from './backend'
import { resolveDataDir } from './data-dir'
import { extraCommands, type ParsedArgs } from './cli-commands'
import { fileUpload } from './cli-commands/upload'

/**
 * `delivery-desk <command>`: a thin host over the same dispatcher as the app. Every command accepts
 * `--json` (machine output on stdout, one JSON value per line) and `--data DIR`.
 */
const HELP = `Delivery Desk — diagnose rejected mail

Usage: delivery-desk <command> [options]   (from the repo: npm run cli -- <command> ...)

Commands:
  analyze FILE... [--resolver HOST:PORT]
                               Analyse .eml/.msg/mbox files, pasted headers or SMTP text (one result per message);
                               with --resolver, also re-verify SPF/DKIM/DMARC over that DNS server
  cases [--query Q]            List cases (full-text search with --query)
  backup [--out FILE]          Online backup of the database
  restore --from FILE          Replace the cases with a backup's (the current data is saved first)
  web [--port N]               Serve the app on 127.0.0.1 and print its URL
%EXTRA%
Options:
  --json       machine-readable output
  --data DIR   data directory (default: $DELIVERY_DESK_DATA or the platform data dir)
  -h, --help   this help
`

export type { ParsedArgs } from './cli-commands'

const BOOL_FLAGS = new Set([
  '--json',
  '--help',
  '-h',
  '--starttls',
  '--tls',
  '--oauth2',
  '--mark-seen',
  '--full',
  '--once'
])

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = []
  const flags = new Map<string, string[]>()
  const bool = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      positional.push(...argv.slice(i + 1))
      break
    }
    if (BOOL_FLAGS.has(a)) bool.add(a)
    else if (a.startsWith('--')) {
      const [k, inline] = a.split(/=(.*)/s, 2)
      const v = inline ?? argv[++i]
      if (v === undefined) throw new Error(`${k} needs a value`)
      flags.set(k, [...(flags.get(k) ?? []), v])
    } else positional.push(a)
  }
  return { positional, flags, bool }
}

type Out = { write(s: string): void }

async function call<M extends Method>(backend: Backend, method: M, input: unknown): Promise<Result<unknown>> {
  return backend.dispatch(method, input)
}

export async function runCli(
  argv: string[],
  out: Out = process.stdout,
  err: Out = process.stderr
): Promise<number> {
  let args: ParsedArgs
  try {
    args = parseArgs(argv)
  } catch (e) {
    err.write(`${(e as Error).message}\n`)
    return 2
  }
  const [command, ...rest] = args.positional
  if (!command || args.bool.has('--help') || args.bool.has('-h')) {
    const extra = extraCommands
      .map((c) => `  ${c.usage.padEnd(29)}${c.usage.length > 28 ? '\n' + ' '.repeat(31) : ''}${c.summary}\n`)
      .join('')
    out.write(HELP.replace('%EXTRA%', extra))
    return command ? 0 : 2
  }
  const json = args.bool.has('--json')
  const flag = (k: string) => args.flags.get(k)?.[0]
  const print = (value: unknown, human: () => string) =>
    out.write(json ? JSON.stringify(value) + '\n' : human() + '\n')
  const fail = (message: string, code = 'ERROR') => {
    if (json) out.write(JSON.stringify({ ok: false, error: { code, message } }) + '\n')
    else err.write(`Error: ${message}\n`)
    return 1
  }

  if (command === 'web') {
    const { runWeb } = await import('./web-main')
    await runWeb(argv.slice(1))
    return await new Promise<number>(() => {})
  }

  let backend: Backend
  try {
    backend = startBackend({ dataDir: resolveDataDir(flag('--data')), host: 'cli' })
  } catch (e) {
    return fail((e as Error).message, 'DB_ERROR')
  }
  try {
    switch (command) {
      case 'analyze': {
        if (rest.length === 0) return fail('analyze needs at least one FILE')
        let failures = 0
        for (const path of rest) {
          let upload
          try {
            upload = fileUpload(path)
          } catch (e) {
            failures++
            const error = {
              code: 'NOT_FOUND',
              message: `${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
            }
            print({ file: path, kind: 'error', error }, () => `${path}: ${error.message}`)
            continue
          }
          const resolver = flag('--resolver') ?? flag('--dns')
          const res = await call(backend, 'diagnose.analyze', {
            file: upload,
            ...(resolver ? { resolver } : {})
          })
          if (!res.ok) {
            failures++
            print({ file: path, kind: 'error', error: res.error }, () => `${path}: ${res.error.message}`)
            continue
          }
          for (const a of (res.data as { analyses: Record<string, any>[] }).analyses) {
            const line = {
              ...a,
              file:
                rest.length > 1 || a.file !== upload.name
                  ? a.file === upload.name
                    ? path
                    : `${path}${a.file.slice(upload.name.length)}`
                  : path
            }
            if (a.kind === 'error') failures++
            print(line, () => humanAnalysis(line))
          }
        }
        return failures ? 1 : 0
      }
      case 'cases': {
        const res = await call(backend, 'cases.list', { query: flag('--query') })
        if (!res.ok) return fail(res.error.message, res.error.code)
        const list = res.data as { id: number; title: string; status: string; evidenceCount: number }[]
        print(
          list,
          () =>
            list.map((c) => `#${c.id}\t${c.status}\t${c.evidenceCount} evidence\t${c.title}`).join('\n') ||
            'No cases.'
        )
        return 0
      }
      case 'backup': {
        const res = await call(backend, 'db.backup', { path: flag('--out') })
        if (!res.ok) return fail(res.error.message, res.error.code)
        const d = res.data as { path: string; bytes: number }
        print(d, () => `Backup written to ${d.path} (${d.bytes} bytes)`)
        return 0
      }
      case 'restore': {
        const from = flag('--from')
        if (!from) return fail('restore needs --from FILE')
        const res = await call(backend, 'db.restore', { path: from })
        if (!res.ok) return fail(res.error.message, res.error.code)
        const d = res.data as { cases: number; safetyBackup: string }
        print(d, () => `Restored ${d.cases} cases. The previous data was saved to ${d.safetyBackup}`)
        return 0
      }
      default: {
        const cmd = extraCommands.find((c) => c.name === command)
        if (!cmd) return fail(`unknown command "${command}". Run with --help.`)
        return await cmd.run({
          args,
          rest,
          json,
          flag,
          flagAll: (k) => args.flags.get(k) ?? [],
          print,
          fail,
          backend
        })
      }
    }
  } finally {
    backend.close()
  }
}

function humanAnalysis(a: Record<string, any>): string {
  if (a.kind === 'error') return `${a.file}: ${a.error?.message}`
  const lines = [`${a.file} (${a.kind})`]
  const s = a.summary ?? {}
  for (const k of ['from', 'to', 'subject', 'date', 'messageId']) if (s[k]) lines.push(`  ${k}: ${s[k]}`)
  for (const r of a.bounce?.recipients ?? [])
    lines.push(
      `  recipient: ${r.recipient || '?'} ${[r.replyCode, r.status].filter(Boolean).join(' ')} ${r.reason}${r.remoteMta ? ` via ${r.remoteMta}` : ''}`
    )
  if (a.verdict?.summary)
    lines.push(
      `  verdict: ${a.verdict.cause} (${Math.round(a.verdict.confidence * 100)}%) — ${a.verdict.summary}`
    )
  for (const h of a.hops ?? [])
    lines.push(
      `  hop ${h.index + 1}: ${h.from?.host ?? h.from?.ip ?? '?'} → ${h.by?.host ?? '?'} (${h.delaySec ?? '?'} s)`
    )
  return lines.join('\n')
}

/**
 * Ends the process only once stdout and stderr have been handed to the OS. Writes to a pipe are asynchronous
 * when the pipe is full (https://nodejs.org/api/process.html#a-note-on-process-io), so `process.exit()` right
 * after the last write cut piped output at the 64 KiB pipe buffer. The exit code is set first; the final
 * `process.exit` only ends handles a command may have left open (DNS sockets), after the flush.
 */
export function exitWhenFlushed(
  code: number,
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]
) {
  process.exitCode = code
  let pending = streams.length
  for (const s of streams) s.write('', () => --pending === 0 && process.exit(code))
}

/**
 * A reader that stops early (`| head -c 100`) closes the pipe and our next write fails with EPIPE. Like a Unix
 * tool killed by SIGPIPE, stop quietly: no stack trace, nothing more to compute for nobody.
 */
export function quietOnEpipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]) {
  for (const s of streams)
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e
      process.exit(process.exitCode ?? 0)
    })
}

/** Runs the CLI as a process: the source run directly (tsx), or the built out/main/cli.js required by the bin. */
export function main(argv: string[] = process.argv.slice(2)): void {
  quietOnEpipe()
  runCli(argv).then(exitWhenFlushed, (e) => {
    // Unexpected failures too get one line: a stack trace is for developers (run from source to see it).
    process.stderr.write(`Error: ${e instanceof Error ? e.message : String(e)}\n`)
    exitWhenFlushed(1)
  })
}

if (require.main === module) main()
