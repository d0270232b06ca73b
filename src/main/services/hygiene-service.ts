import { writeFileSync } from 'node:fs'
import type { Handlers } from '../../shared/api'
import type { IngestSummary, Suppression } from '../../shared/contract/hygiene'
import { AppError } from '../../shared/result'
import { buildClusters, parseClusterKey } from '../core/hygiene/clusters'
import { computeRates, parseVolumeCsv, THRESHOLDS } from '../core/hygiene/rates'
import { createHygieneRepo } from '../db/repos/hygiene'
import type { Repos, ServiceContext } from './context'
import { countFiles, ingestPaths } from './hygiene/folder-source'
import { imapLabel, ingestImap } from './hygiene/imap-source'
import { ClassifyPool, defaultPoolSize, workerScript } from './hygiene/classify-pool'
import { Ingestor } from './hygiene/ingestor'

type HygieneHandlers = Pick<Handlers, Extract<keyof Handlers, `hygiene.${string}`>>

/** What "Open a case" needs from the case use-cases (injected: the one instance built in services/index.ts). */
export interface CaseOpener {
  open(
    title: string,
    files: { name: string; bytes: Uint8Array }[]
  ): Promise<{ caseId: number; evidence: number }>
}

export const CSV_COLUMNS = [
  'email',
  'category',
  'reason',
  'status',
  'first_seen',
  'last_seen',
  'count',
  'source'
] as const

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
function csvField(v: string | number): string {
  const s = String(v)
  // A leading =, +, - or @ would be run as a formula by spreadsheets (OWASP "CSV injection"): prefix a quote.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function suppressionsCsv(rows: Iterable<Suppression>): { text: string; count: number } {
  const lines = [CSV_COLUMNS.join(',')]
  let count = 0
  for (const r of rows) {
    lines.push(CSV_COLUMNS.map((c) => csvField(r[c])).join(','))
    count++
  }
  return { text: lines.join('\r\n') + '\r\n', count }
}

export function suppressionsJson(rows: Iterable<Suppression>): { text: string; count: number } {
  const out = []
  for (const r of rows) {
    out.push({
      ...Object.fromEntries(CSV_COLUMNS.map((c) => [c, r[c]])),
      explanation: r.explanation
    })
  }
  return { text: JSON.stringify(out, null, 2) + '\n', count: out.length }
}

export function createHygieneHandlers(ctx: ServiceContext, repos: Repos, cases: CaseOpener): HygieneHandlers {
  const repo = createHygieneRepo(ctx.db)
  const tasks = new Map<string, AbortController>()
  /** Secrets typed in a host without a keychain (web host): this process's memory only, never SQLite. */
  const sessionSecrets = new Map<number, string>()
  let seq = 0

  /** Worker threads for a big run (classify-pool.ts); none when the worker script cannot be found. */
  const pool = (maxBytes: number, dbFile?: string) => {
    const size = defaultPoolSize()
    const script = size > 0 ? workerScript() : undefined
    return script ? new ClassifyPool(maxBytes, size, script, dbFile) : undefined
  }

  const cliOnlyPath = () => {
    if (ctx.host !== 'cli')
      throw new AppError('INVALID_INPUT', 'File paths are accepted from the command line only.')
  }

  async function run(
    taskId: string | undefined,
    sourceId: number | null,
    label: string,
    body: (ing: Ingestor, progress: (done: number, total?: number) => void) => Promise<void>
  ) {
    const id = taskId ?? `hygiene-${++seq}`
    const ac = new AbortController()
    tasks.set(id, ac)
    let total = 0
    const progress = (done: number, t?: number) => {
      if (t !== undefined) total = t
      ctx.emit('progress', { taskId: id, label: 'hygiene.ingest', done, total: Math.max(total, done) })
    }
    const ing = new Ingestor({
      db: ctx.db,
      repo,
      ...(ctx.hygieneClassify ? { classify: ctx.hygieneClassify } : { pool }),
      settings: repos.settings.get(),
      now: ctx.now,
      sourceId,
      sourceLabel: label,
      signal: ac.signal,
      onProgress: (d) => progress(d)
    })
    try {
      progress(0)
      await body(ing, progress)
      const summary = await ing.finish()
      if (sourceId !== null) repo.setRun(sourceId, ctx.now().toISOString(), summary)
      return summary
    } catch (e) {
      // Whatever was read before the failure is committed; then the error is reported.
      await ing.finish()
      throw e
    } finally {
      tasks.delete(id)
    }
  }

  function toSuppression(r: ReturnType<typeof repo.getSuppression>): Suppression {
    if (!r) throw new AppError('NOT_FOUND', 'No such address on the suppression list.')
    return r
  }

  return {
    'hygiene.ingestPaths': async ({ paths, taskId }) => {
      cliOnlyPath()
      const label = paths.length === 1 ? paths[0] : paths.join(', ')
      const src = repo.source('folder', label.slice(0, 4000))
      return run(taskId, src.id, src.label, async (ing, progress) => {
        const total = await countFiles(paths)
        ing.expect(total)
        progress(0, total)
        await ingestPaths(paths, ing)
      })
    },
    'hygiene.ingestFiles': async ({ files, label, taskId }) => {
      const src = repo.source('upload', `upload:${label}`)
      return run(taskId, src.id, src.label, async (ing, progress) => {
        progress(0, files.length)
        for (const f of files) {
          if (ing.cancelled) break
          const declared = f.size ?? Math.floor((f.base64.length * 3) / 4)
          if (declared > ing.maxBytes) {
            ing.tooLarge(f.name, declared)
            continue
          }
          await ing.add(f.name, new Uint8Array(Buffer.from(f.base64, 'base64')))
        }
      })
    },
    'hygiene.ingestImap': async ({ source, secret, remember, full, taskId }) => {
      const label = imapLabel(source)
      const { caPem, ...rest } = source
      const row = repo.source('imap', label, { ...rest, ...(caPem ? { caPem } : {}) })
      let pass = secret
      if (pass === undefined) {
        const stored = repo.getSecret(row.id)
        if (stored && ctx.secrets?.available()) pass = ctx.secrets.decrypt(stored)
        else pass = sessionSecrets.get(row.id)
      }
      if (!pass) {
        throw new AppError(
          'INVALID_INPUT',
          `${label}: no password or token (give one; the CLI reads DELIVERY_DESK_IMAP_PASSWORD)`,
          undefined,
          { source: label }
        )
      }
      if (secret !== undefined && remember) {
        // Desktop: the OS keychain encrypts it (Electron safeStorage). Elsewhere: this process's memory only.
        if (ctx.secrets?.available()) repo.setSecret(row.id, ctx.secrets.encrypt(secret))
        else sessionSecrets.set(row.id, secret)
      }
      const secretValue = pass
      const summary = await run(taskId, row.id, label, (ing, progress) =>
        ingestImap({
          source,
          row: repo.getSource(row.id)!,
          secret: secretValue,
          full,
          repo,
          ing,
          onTotal: (t) => progress(0, t)
        })
      )
      return { ...summary, sourceId: row.id }
    },
    'hygiene.cancel': async ({ taskId }) => {
      const ac = tasks.get(taskId)
      ac?.abort()
      return { cancelled: !!ac }
    },
    'hygiene.sources': async () => repo.listSources(),
    'hygiene.deleteSource': async ({ id }) => {
      sessionSecrets.delete(id)
      return { deleted: repo.deleteSource(id) }
    },
    'hygiene.suppressions': async (f) => repo.listSuppressions(f),
    'hygiene.release': async ({ email, note }) =>
      toSuppression(repo.release(email, note, ctx.now().toISOString())),
    'hygiene.export': async ({ format, path }) => {
      if (path !== undefined) cliOnlyPath()
      const { text, count } =
        format === 'csv'
          ? suppressionsCsv(repo.iterateSuppressions())
          : suppressionsJson(repo.iterateSuppressions())
      if (path) {
        writeFileSync(path, text)
        return { rows: count, path }
      }
      return { rows: count, content: text }
    },
    'hygiene.stats': async () => {
      const rates = computeRates(repo.dayDomainCounts(), repo.volumes())
      return {
        messages: repo.kindCounts(),
        suppressed: repo.suppressionCounts(),
        reasons: repo.reasonCounts(),
        days: rates.days,
        domains: rates.domains,
        alerts: rates.alerts,
        clusters: buildClusters(repo.blockGroups()),
        thresholds: { ...THRESHOLDS }
      }
    },
    'hygiene.rules': async () => repos.settings.get().hygieneRules,
    'hygiene.setRules': async (patch) => {
      const current = repos.settings.get().hygieneRules
      const next = {
        ...current,
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
      }
      const saved = repos.settings.set({ hygieneRules: next }).hygieneRules
      repo.recomputeAll(saved)
      return saved
    },
    'hygiene.setVolumes': async ({ rows, csv, replace }) => {
      const parsed = csv !== undefined ? parseVolumeCsv(csv) : { rows: [], errors: [] }
      const all = [...(rows ?? []).map((r) => ({ ...r, domain: r.domain ?? '' })), ...parsed.rows]
      repo.setVolumes(all, replace)
      return { saved: all.length, errors: parsed.errors }
    },
    'hygiene.volumes': async () => repo.volumes(),
    'hygiene.openCase': async ({ key, maxEvidence }) => {
      const k = parseClusterKey(key)
      const group =
        k && repo.blockGroups().find((g) => g.domain === k.domain && g.cause === k.cause && g.code === k.code)
      if (!k || !group) throw new AppError('NOT_FOUND', 'That group of sending problems no longer exists.')
      const messages = repo.blockMessages(k.domain, k.cause, k.code, maxEvidence)
      const title = `${group.domain}: ${group.recipients} recipients refused${group.code ? ` with ${group.code}` : ''} since ${group.since.slice(0, 10)}`
      return cases.open(
        title,
        messages.map((m) => ({ name: m.name.split('/').pop() ?? m.name, bytes: new Uint8Array(m.raw) }))
      )
    }
  } satisfies HygieneHandlers
}

export type { IngestSummary }
