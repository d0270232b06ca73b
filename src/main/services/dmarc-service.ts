import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Handlers, ParsedInput } from '../../shared/api'
import type { dmarcApi } from '../../shared/contract/dmarc'
import { AppError } from '../../shared/result'
import type { DmarcSummary, IngestResult, ReportProblem, TlsSummary } from '../../shared/schemas/dmarc'
import spfCatalogue from '../../../resources/spf-services.json'
import signals from '../../../resources/sending-service-signals.json'
import {
  createIdentifier,
  DEFAULT_LIMITS,
  readiness,
  readReportBytes,
  summarise,
  type FailureReport,
  type Identifier,
  type ServiceDef,
  type TlsReport,
  type UnpackLimits
} from '../core/dmarc'
import { reverseName } from '../core/domain/mx'
import type { DnsClient } from '../core/dns/types'
import { dnsClientFor } from './dns'
import type { Repos, ServiceContext } from './context'

type DmarcHandlers = Pick<Handlers, keyof typeof dmarcApi>

/** Services known by SPF include (spf-services.json) joined with their PTR/DKIM signals. */
export const SERVICE_DEFS: ServiceDef[] = signals.services.map((s) => {
  const cat = spfCatalogue.services.find((c) => c.id === s.id)
  return {
    id: s.id,
    name: cat?.name ?? s.id,
    includes: (cat?.mechanisms ?? []).filter((m) => m.startsWith('include:')).map((m) => m.slice(8)),
    ptr: s.ptr,
    dkimDomains: s.dkimDomains,
    selectors: 'selectors' in s ? (s.selectors as string[]) : []
  }
})

/** PTR names are kept a week: they change rarely and a summary of 2,000 IPs should not wait on DNS each time. */
const PTR_TTL_MS = 7 * 24 * 3600 * 1000
/** Only the busiest sources get a live PTR lookup per summary; the rest show none until a later run. */
const PTR_MAX_LOOKUPS = 200
const IDENTIFIER_TTL_MS = 3600 * 1000

export interface DmarcService {
  handlers: DmarcHandlers
  /**
   * Ingests one file's bytes (any container the ingest accepts). The entry point for other report sources,
   * e.g. a mailbox (issue 12): they hand over each message or attachment with its name.
   */
  ingestBytes(bytes: Uint8Array, name: string): Promise<IngestResult>
}

function emptyResult(): IngestResult {
  return {
    reports: 0,
    aggregate: 0,
    failure: 0,
    tls: 0,
    records: 0,
    messages: 0,
    duplicates: 0,
    domains: [],
    errors: []
  }
}

function merge(into: IngestResult, r: IngestResult): void {
  for (const k of ['reports', 'aggregate', 'failure', 'tls', 'records', 'messages', 'duplicates'] as const)
    into[k] += r[k]
  into.domains = [...new Set([...into.domains, ...r.domains])].sort()
  into.errors.push(...r.errors)
}

/** Every file under the given paths (folders walked recursively, dot-files skipped), in a stable order. */
function expandPaths(paths: string[], errors: ReportProblem[]): string[] {
  const out: string[] = []
  const walk = (p: string) => {
    let st
    try {
      st = statSync(p)
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT'
      errors.push({
        file: p,
        code: missing ? 'dmarc.noSuchFile' : 'dmarc.unreadable',
        params: { file: p, detail: (e as Error).message },
        error: missing ? `${p}: no such file or folder` : `${p}: ${(e as Error).message}`
      })
      return
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!e.startsWith('.')) walk(join(p, e))
    } else out.push(p)
  }
  paths.forEach(walk)
  return out
}

export function createDmarcService(
  ctx: ServiceContext,
  repos: Repos,
  opts: { limits?: UnpackLimits } = {}
): DmarcService {
  const limits = opts.limits ?? DEFAULT_LIMITS
  const tasks = new Map<string, AbortController>()
  const identifiers = new Map<string, { at: number; identifier: Promise<Identifier> }>()

  async function ingestBytes(bytes: Uint8Array, name: string): Promise<IngestResult> {
    const res = emptyResult()
    const read = await readReportBytes(bytes, name, limits)
    res.errors.push(...read.errors)
    const domains = new Set<string>()
    // One transaction per file: a file's reports go in together, and a crash never leaves half a report.
    ctx.db.transaction(() => {
      for (const r of read.reports) {
        const added = repos.dmarc.add(r, r.source)
        if (added.duplicate) {
          res.duplicates++
          continue
        }
        res.reports++
        res[r.kind]++
        res.records += added.records
        res.messages += added.messages
        domains.add(
          r.kind === 'aggregate'
            ? r.policy.domain
            : r.kind === 'failure'
              ? r.reportedDomain
              : (r.policies[0]?.policyDomain ?? '')
        )
      }
    })()
    res.domains = [...domains].filter(Boolean).sort()
    return res
  }

  async function ingest(input: ParsedInput<'dmarc.ingest'>): Promise<IngestResult> {
    if (input.paths?.length && ctx.host !== 'cli')
      throw new AppError('INVALID_INPUT', 'File paths are accepted from the command line only.')
    const total = emptyResult()
    const paths = input.paths?.length ? expandPaths(input.paths, total.errors) : []
    const count = input.files.length + paths.length
    if (count === 0 && total.errors.length === 0)
      throw new AppError('INVALID_INPUT', 'Give at least one report file or folder.')
    const taskId = input.taskId ?? `dmarc-${randomUUID()}`
    const ac = new AbortController()
    tasks.set(taskId, ac)
    const maxBytes = repos.settings.get().maxFileMb * 1048576
    try {
      let done = 0
      ctx.emit('progress', { taskId, label: '', done, total: count })
      const one = async (name: string, load: () => Uint8Array, size: number) => {
        if (ac.signal.aborted) throw new AppError('CANCELLED', 'The report import was cancelled.')
        if (size > maxBytes) {
          total.errors.push({
            file: name,
            code: 'dmarc.fileTooLarge',
            params: { file: name, limitMb: maxBytes / 1048576 },
            error: `${name} is larger than the ${maxBytes / 1048576} MB limit (Settings).`
          })
        } else merge(total, await ingestBytes(load(), name))
        done++
        ctx.emit('progress', { taskId, label: name, done, total: count })
        // Yield between files so a cancel request (another dispatch) gets its turn.
        await new Promise((r) => setImmediate(r))
      }
      for (const f of input.files) {
        const size = f.size ?? Math.floor((f.base64.length * 3) / 4)
        await one(f.name, () => new Uint8Array(Buffer.from(f.base64, 'base64')), size)
      }
      for (const p of paths) await one(p, () => new Uint8Array(readFileSync(p)), statSync(p).size)
      return total
    } finally {
      tasks.delete(taskId)
    }
  }

  function identifierFor(client: DnsClient | null, key: string): Promise<Identifier> {
    const hit = identifiers.get(key)
    if (hit && ctx.now().getTime() - hit.at < IDENTIFIER_TTL_MS) return hit.identifier
    const identifier = createIdentifier(SERVICE_DEFS, client)
    identifiers.set(key, { at: ctx.now().getTime(), identifier })
    return identifier
  }

  async function ptrs(ips: string[], client: DnsClient | null): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>()
    const todo: string[] = []
    for (const ip of ips) {
      const c = repos.dmarc.cachedPtr(ip)
      if (c && ctx.now().getTime() - Date.parse(c.checkedAt) < PTR_TTL_MS) out.set(ip, c.ptr)
      else todo.push(ip)
    }
    if (!client) return out
    const queue = todo.slice(0, PTR_MAX_LOOKUPS)
    const worker = async () => {
      for (let ip = queue.shift(); ip !== undefined; ip = queue.shift()) {
        let name: string
        try {
          name = reverseName(ip)
        } catch {
          continue
        }
        const a = await client.query(name, 'PTR')
        // Only answers are cached: a timeout says nothing about the IP (could not check, not "no PTR").
        if (a.status === 'ok' || a.status === 'nxdomain' || a.status === 'nodata') {
          const ptr = a.status === 'ok' ? String(a.records[0]).replace(/\.$/, '').toLowerCase() : null
          repos.dmarc.cachePtr(ip, ptr)
          out.set(ip, ptr)
        }
      }
    }
    await Promise.all(Array.from({ length: 16 }, worker))
    return out
  }

  function tlsSummary(domain: string, since: number): TlsSummary {
    const rows = repos.dmarc.reports(domain, 'tls', since)
    const byType = new Map<string, number>()
    const byMx = new Map<string, { sessions: number; types: Set<string> }>()
    const policyTypes = new Set<string>()
    let successful = 0
    let failed = 0
    for (const row of rows) {
      for (const p of (row.data as TlsReport).policies) {
        policyTypes.add(p.policyType)
        successful += p.successful
        failed += p.failed
        for (const f of p.failures) {
          byType.set(f.resultType, (byType.get(f.resultType) ?? 0) + f.count)
          const mx = f.receivingMx ?? f.receivingIp ?? '(unknown MX)'
          const e = byMx.get(mx) ?? { sessions: 0, types: new Set<string>() }
          e.sessions += f.count
          e.types.add(f.resultType)
          byMx.set(mx, e)
        }
      }
    }
    const types = [...byType.keys()]
    // RFC 8460 §4.3 result types: sts-* concern the MTA-STS policy (RFC 8461), the others the MX's TLS.
    const related = new Set<string>()
    if (rows.length) related.add('tls-rpt')
    if (policyTypes.has('sts') || types.some((t) => t.startsWith('sts-'))) related.add('mta-sts')
    if (types.some((t) => !t.startsWith('sts-'))) related.add('mx')
    return {
      reports: rows.length,
      successful,
      failed,
      byResultType: [...byType]
        .map(([resultType, sessions]) => ({ resultType, sessions }))
        .sort((a, b) => b.sessions - a.sessions),
      byMx: [...byMx]
        .map(([mx, v]) => ({ mx, sessions: v.sessions, resultTypes: [...v.types].sort() }))
        .sort((a, b) => b.sessions - a.sessions),
      policyTypes: [...policyTypes].sort(),
      relatedFindings: [...related]
    }
  }

  async function summary(input: {
    domain: string
    since?: string
    sinceEpoch?: number
    live: boolean
    resolver?: string
  }): Promise<DmarcSummary> {
    const since = input.sinceEpoch ?? (input.since ? Date.parse(`${input.since}T00:00:00Z`) / 1000 : 0)
    const records = repos.dmarc.records(input.domain, since)
    const client = input.live ? dnsClientFor(repos.settings.get(), input.resolver) : null
    const volume = new Map<string, number>()
    for (const r of records) volume.set(r.sourceIp, (volume.get(r.sourceIp) ?? 0) + r.count)
    const ips = [...volume].sort((a, b) => b[1] - a[1]).map(([ip]) => ip)
    const [ptr, identifier] = await Promise.all([
      ptrs(ips, client),
      identifierFor(
        client,
        client ? (input.resolver ?? repos.settings.get().resolver) || 'system' : 'offline'
      )
    ])
    const s = summarise(
      input.domain,
      records,
      (ip) => ptr.get(ip) ?? null,
      identifier,
      repos.dmarc.marks(input.domain)
    )
    const aggregates = repos.dmarc.reports(input.domain, 'aggregate', since)
    const failures = repos.dmarc.reports(input.domain, 'failure', since)
    const lastPolicy = aggregates.length
      ? (ctx.db
          .prepare('SELECT policy FROM dmarc_reports WHERE id = ?')
          .pluck()
          .get(aggregates[aggregates.length - 1].id) as string)
      : null
    const pol = lastPolicy ? (JSON.parse(lastPolicy) as Record<string, string | number | undefined>) : null
    return {
      ...s,
      since:
        input.since ??
        (input.sinceEpoch ? new Date(input.sinceEpoch * 1000).toISOString().slice(0, 10) : null),
      policy: pol
        ? {
            p: String(pol.p),
            ...(pol.sp ? { sp: String(pol.sp) } : {}),
            ...(typeof pol.pct === 'number' ? { pct: pol.pct } : {}),
            adkim: String(pol.adkim),
            aspf: String(pol.aspf)
          }
        : null,
      failures: {
        reports: failures.length,
        items: failures.slice(-50).map((f) => {
          const d = f.data as FailureReport
          return {
            reporter: d.reporter,
            date: d.date,
            sourceIp: d.sourceIp ?? null,
            authFailure: d.authFailure ?? null,
            originalMailFrom: d.originalMailFrom ?? null,
            subject: d.subject ?? null
          }
        })
      },
      tls: tlsSummary(input.domain, since)
    }
  }

  const windowStart = (days: number) => Math.floor(ctx.now().getTime() / 1000) - days * 86400

  const handlers: DmarcHandlers = {
    'dmarc.ingest': ingest,
    'dmarc.cancel': async ({ taskId }) => {
      const ac = tasks.get(taskId)
      if (!ac) return { cancelled: false }
      ac.abort()
      return { cancelled: true }
    },
    'dmarc.domains': async () => repos.dmarc.domains(),
    'dmarc.summary': (input) => summary(input),
    'dmarc.readiness': async ({ domain, target, days, threshold, live, resolver }) => {
      const s = await summary({ domain, sinceEpoch: windowStart(days), live, resolver })
      return readiness(s, target, days, threshold)
    },
    'dmarc.markSource': async ({ domain, source, legitimate }) => {
      repos.dmarc.setMark(domain, source, legitimate)
      return { ok: true }
    },
    'dmarc.fixInputs': async ({ domain, days }) => {
      // The Fix step asks for every case: a domain without reports costs no DNS lookups at all.
      if (!repos.dmarc.records(domain, windowStart(days)).length)
        return { domain, services: [], ips: [], stagedPct: false, verdict: null }
      const s = await summary({ domain, sinceEpoch: windowStart(days), live: true })
      const r = readiness(s, 'quarantine', days)
      const legit = s.sources.filter((x) => x.legitimate === true)
      const services = [...new Set(legit.map((x) => x.service?.id).filter((x): x is string => !!x))]
      return {
        domain,
        services: services.filter((id) => spfCatalogue.services.some((c) => c.id === id)),
        // Sources marked legitimate that no catalogue service covers are the domain's own servers.
        ips: legit.filter((x) => !x.service).map((x) => x.ip),
        stagedPct: r.stagedPct,
        verdict: s.messages ? r.verdict : null
      }
    }
  }
  return { handlers, ingestBytes: (bytes, name) => ingestBytes(bytes, name) }
}
