import { text, type Text } from '../../../shared/text'
import { receiversInText, senderIpsInText } from '../../core/diagnose/parties'
import { setMaxListeners } from 'node:events'
import ipaddr from 'ipaddr.js'
import { getDomain } from 'tldts'
import type { Handlers } from '../../../shared/api'
import type {
  blocklistApi,
  CaseTarget,
  CaseTargets,
  ScanResult,
  TargetSource
} from '../../../shared/contract/blocklist'
import { AppError } from '../../../shared/result'
import type { Analysis } from '../../../shared/schemas/analysis'
import type { BlocklistEntry, TargetReport } from '../../../shared/schemas/blocklist'
import type { Settings } from '../../../shared/settings'
import {
  catalogueCounts,
  defaultLists,
  getList,
  loadCatalogue,
  matchRejectionText,
  parseTarget,
  selfTest,
  sweep,
  sweepFindings,
  TargetError,
  type HealthReport,
  type SweepKeys,
  type SweepProgress,
  type SweepResult
} from '../../core/blocklist'
import type { DnsClient } from '../../core/dns/types'
import { parseInput, parseMessage, decodeBytes, type ParsedMessage } from '../../core/mime'
import type { Repos, ServiceContext } from '../context'
import { dnsClientFor } from '../dns'

/**
 * Use-cases for the blocklist sweep methods of the contract (the delisting tracker is in ./delist.ts and re-checks
 * through this part's runSweep, so both share one self-test cache).
 *
 * Trust rules (RFC 5782 §5 and the operators' usage terms): every list is self-tested through the resolver in
 * use before its answers count, once per session and resolver (a failed/inconclusive self-test is retried on the
 * next scan); "could not check" (timeouts, SERVFAIL, refusals) never becomes "clean".
 */

export type ScanHandlers = Pick<Handlers, Extract<keyof typeof blocklistApi, `blocklist.${string}`>>

export interface BlocklistServiceDeps {
  /** DNS client for one scan (answers cached within it only). Default: dnsClientFor(settings, override). */
  clientFor?: (settings: Settings, override?: string) => DnsClient
}

/** One sweep through the session's self-tested lists (what a scan and a delisting re-check both run). */
export type RunSweep = (opts: {
  targets: string[]
  lists: BlocklistEntry[]
  override?: string
  signal?: AbortSignal
  onProgress?: (p: SweepProgress) => void
}) => Promise<SweepResult & { resolver: string }>

/** The case a method names, or NOT_FOUND. */
export type MustCase = (id: number) => NonNullable<ReturnType<Repos['cases']['get']>>

export interface BlocklistScan {
  handlers: ScanHandlers
  runSweep: RunSweep
  mustCase: MustCase
}

const keysOf = (s: Settings): SweepKeys => ({
  ...(s.spamhausDqsKey ? { dqs: s.spamhausDqsKey } : {}),
  ...(s.abusixKey ? { abusix: s.abusixKey } : {})
})

/** Ranges public lists say nothing about: a sweep of them only produces noise (RFC 5782 lists routable space). */
const NOT_SUGGESTED = new Set([
  'private',
  'loopback',
  'linkLocal',
  'unspecified',
  'uniqueLocal',
  'carrierGradeNat',
  'broadcast'
])

export function createBlocklistScan(
  ctx: ServiceContext,
  repos: Repos,
  deps: BlocklistServiceDeps = {}
): BlocklistScan {
  const clientFor = deps.clientFor ?? dnsClientFor
  const tasks = new Map<string, AbortController>()
  /** One long-lived client per resolver + keys, only for the RFC 5782 §5 self-test cache (selfTest keys by client). */
  const sessions = new Map<string, DnsClient>()
  let taskSeq = 0

  const mustCase = (id: number) => {
    const c = repos.cases.get(id)
    if (!c) throw new AppError('NOT_FOUND', `Case ${id} does not exist (it may have been deleted).`)
    return c
  }

  function resolveLists(ids: string[] | undefined): BlocklistEntry[] {
    const cat = loadCatalogue()
    if (!ids || ids.length === 0) return defaultLists(cat)
    const out: BlocklistEntry[] = []
    const problems: string[] = []
    for (const id of [...new Set(ids)]) {
      const l = getList(id, cat)
      if (!l) problems.push(`"${id}" is not in the blocklist catalogue`)
      else if (l.defunct)
        problems.push(
          `${l.name} is defunct${l.defunctSince ? ` since ${l.defunctSince}` : ''}: it is never queried (a dead zone may answer "listed" for everything)`
        )
      else if (l.kind === 'provider' || l.manual)
        problems.push(
          `${l.name} is a provider block, not a DNS list: track it as a delisting request instead`
        )
      else out.push(l)
    }
    if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; ') + '.')
    return out
  }

  async function sessionHealth(
    lists: BlocklistEntry[],
    settings: Settings,
    override: string | undefined,
    signal?: AbortSignal
  ): Promise<HealthReport> {
    const keys = keysOf(settings)
    const resolver = (override ?? settings.resolver).trim()
    const key = JSON.stringify([resolver, settings.dnsTimeoutMs, keys.dqs ?? '', keys.abusix ?? ''])
    let client = sessions.get(key)
    if (!client) {
      client = clientFor(settings, override)
      sessions.set(key, client)
    }
    const report = await selfTest(lists, client, {
      keys,
      timeoutMs: settings.dnsTimeoutMs,
      retries: 1,
      signal,
      cacheKey: key
    })
    // An inconclusive self-test (timeout) must not be trusted for the whole session: test again next time.
    if ([...report.values()].some((h) => h.status === 'unknown' || h.status === 'unverifiable'))
      sessions.delete(key)
    return report
  }

  const runSweep: RunSweep = async (opts) => {
    const settings = repos.settings.get()
    const client = clientFor(settings, opts.override) // validates the resolver before any work
    const health = await sessionHealth(opts.lists, settings, opts.override, opts.signal)
    const result = await sweep({
      targets: opts.targets,
      lists: opts.lists,
      client,
      keys: keysOf(settings),
      timeoutMs: settings.dnsTimeoutMs,
      signal: opts.signal,
      onProgress: opts.onProgress,
      now: ctx.now,
      selfTest: health
    })
    return { ...result, resolver: (opts.override ?? settings.resolver).trim() || 'system' }
  }

  /** The timeline's line for a sweep; lists without a usable answer are counted as coverage, not as results. */
  function scanSummary(reports: TargetReport[], resolver: string): Text {
    const listed = reports.flatMap((r) => r.summary.listedOn.map((name) => `${r.target} — ${name}`))
    const blind = reports.reduce((n, r) => n + r.summary.refused + r.summary.unreliable + r.summary.error, 0)
    return text('timeline:blocklist.scanned', {
      targets: reports.map((r) => r.target).join(', '),
      resolver: resolver === 'system' ? text('timeline:blocklist.systemResolver') : resolver,
      result: listed.length
        ? text('timeline:blocklist.listed', { listings: listed.join('; ') })
        : text('timeline:blocklist.notListed'),
      coverage: blind ? text('timeline:blocklist.coverage', { count: blind }) : ''
    })
  }

  // ------------------------------------------------------------------------------------------------------------
  // Case targets

  async function caseTargets(caseId: number): Promise<CaseTargets> {
    const c = mustCase(caseId)
    const found = new Map<string, CaseTarget>()
    const named = new Map<string, CaseTargets['named'][number]>()
    const add = (raw: string, source: TargetSource, detail?: string) => {
      let t
      try {
        t = parseTarget(raw)
      } catch (e) {
        if (e instanceof TargetError) return
        throw e
      }
      const key = `${t.type}:${t.value}`
      const prev = found.get(key)
      if (prev) {
        if (!prev.sources.includes(source)) prev.sources.push(source)
        return
      }
      found.set(key, {
        value: t.value,
        type: t.type,
        sources: [source],
        suggested: !t.range || !NOT_SUGGESTED.has(t.range),
        ...(detail ? { detail } : {})
      })
    }
    const rejectionTexts: string[] = []

    // What belongs to the receiving side of any evidence is never offered as a target of ours
    const theirs = new Set<string>()
    for (const ip of c.sendingIps) add(ip, 'edge')
    for (const ev of repos.evidence.listForCase(caseId)) {
      const stored = repos.evidence.get(ev.id)
      const analysis = stored?.analysis as Partial<Analysis> | undefined
      const parties = analysis?.parties
      const ours = new Set(
        [parties?.sender.ip, parties?.sender.domain, parties?.sender.envelopeDomain, parties?.sender.host]
          .filter((x) => !!x)
          .map((x) => getDomain(x!.value) ?? x!.value.toLowerCase())
      )
      // a bounce between two hosts of one organisation: its domain is the sender's too
      for (const r of [parties?.receiver.ip, parties?.receiver.host, parties?.receiver.domain])
        if (r && !ours.has(getDomain(r.value) ?? r.value.toLowerCase())) theirs.add(r.value.toLowerCase())
      const sip = parties?.sender.ip ?? null
      if (sip) add(sip.value, sip.source.startsWith('diagnostic:') ? 'rejection' : 'edge', sip.source)
      else if (analysis?.sendingIp && !parties) add(analysis.sendingIp, 'edge')
      const automatic = !!analysis?.kind && !['message', 'headers'].includes(analysis.kind)
      const smtpText = analysis?.details?.smtpText
      if (typeof smtpText === 'string') rejectionTexts.push(smtpText)
      const bytes = repos.evidence.content(ev.id)
      if (!bytes || analysis?.kind === 'error') continue
      let messages: ParsedMessage[] = []
      try {
        const parsed = await parseInput(new Uint8Array(bytes), ev.name)
        if (parsed.smtpText) rejectionTexts.push(parsed.smtpText)
        messages = parsed.messages
      } catch {
        continue // unreadable evidence was reported when it was added; it offers no targets
      }
      for (const msg of messages) {
        const originals = await originalMessages(msg)
        if (originals.length) {
          // A bounce: its own text is the rejection; the returned message is what the receiver judged.
          rejectionTexts.push(msg.text, ...deliveryStatusTexts(msg))
          for (const o of originals) senderTargets(o, add, true)
        } else if (!automatic) {
          // a bounce without its original, an auto-reply or a report comes from the receiver's side: its From,
          // DKIM and links are theirs
          senderTargets(msg, add, false)
        } else {
          rejectionTexts.push(msg.text, ...deliveryStatusTexts(msg))
        }
      }
    }
    for (const text of rejectionTexts) {
      for (const ip of senderIpsInText(text)) add(ip, 'rejection', 'named in the rejection text')
      for (const m of matchRejectionText(text)) {
        if (!named.has(m.list.id))
          named.set(m.list.id, {
            list: m.list.id,
            name: m.list.name,
            match: m.match,
            provider: m.list.kind === 'provider'
          })
      }
    }
    // The receiving MTA of a bounce ("host mx.example[198.51.100.7] said") is not ours to check, whichever
    // analysis offered it as the sending IP.
    for (const text of rejectionTexts) for (const r of receiversInText(text)) theirs.add(r.ip)
    for (const [key, t] of found) if (theirs.has(t.value.toLowerCase())) found.delete(key)
    const order: Record<TargetSource, number> = { rejection: 0, edge: 1, from: 2, dkim: 3, link: 4 }
    const targets = [...found.values()].sort(
      (a, b) =>
        Number(b.suggested) - Number(a.suggested) ||
        Math.min(...a.sources.map((s) => order[s])) - Math.min(...b.sources.map((s) => order[s]))
    )
    return { targets: targets.slice(0, 60), named: [...named.values()] }
  }

  const handlers: ScanHandlers = {
    'blocklist.catalogue': async () => {
      const cat = loadCatalogue()
      const s = repos.settings.get()
      return {
        updated: cat.updated,
        lists: cat.lists,
        counts: catalogueCounts(cat),
        keys: { dqs: !!s.spamhausDqsKey, abusix: !!s.abusixKey }
      }
    },

    'blocklist.scan': async ({ targets, lists, caseId, resolver, taskId }) => {
      if (caseId !== undefined) mustCase(caseId)
      const chosen = resolveLists(lists)
      const id = taskId ?? `blocklist-${++taskSeq}`
      if (tasks.has(id))
        throw new AppError('CONFLICT', `A blocklist check with task id ${id} is already running.`)
      const ac = new AbortController()
      // Every in-flight query (up to the sweep's concurrency, 32) listens for the abort.
      setMaxListeners(100, ac.signal)
      tasks.set(id, ac)
      const label = 'blocklist'
      ctx.emit('progress', { taskId: id, label, done: 0, total: 0 })
      let result: SweepResult & { resolver: string }
      try {
        let lastPct = -1
        result = await runSweep({
          targets,
          lists: chosen,
          override: resolver || undefined,
          signal: ac.signal,
          onProgress: (p) => {
            // At most ~100 events per scan: enough for a smooth bar without flooding IPC/SSE.
            const pct = Math.floor((p.done / p.total) * 100)
            if (pct === lastPct && p.done !== p.total) return
            lastPct = pct
            ctx.emit('progress', { taskId: id, label, done: p.done, total: p.total })
          }
        })
      } catch (e) {
        if (ac.signal.aborted) throw new AppError('CANCELLED', 'The blocklist check was cancelled.')
        throw e
      } finally {
        tasks.delete(id)
      }
      for (const r of result.reports) {
        // An empty result list must never read as "clean": say that nothing applied.
        if (r.results.length === 0 && r.summary.skipped.length === 0)
          r.summary.notes.push(
            `None of the selected lists checks ${r.type === 'domain' ? 'domain names' : `${r.type} addresses`}`
          )
      }
      const out: ScanResult = {
        checkedAt: result.checkedAt,
        resolver: result.resolver,
        reports: result.reports,
        invalid: result.invalid,
        findings: sweepFindings(result.reports)
      }
      if (caseId !== undefined && result.reports.length > 0) {
        const run = repos.checkRuns.add(
          caseId,
          'blocklist',
          result.reports.map((r) => r.target).join(' '),
          out
        )
        out.runId = run.id
        repos.notes.event(caseId, scanSummary(result.reports, result.resolver))
        repos.cases.touch(caseId)
        ctx.emit('case:changed', { caseId })
      }
      return out
    },

    'blocklist.cancel': async ({ taskId }) => {
      const ac = tasks.get(taskId)
      if (!ac) return { cancelled: false }
      ac.abort()
      return { cancelled: true }
    },

    'blocklist.caseTargets': async ({ caseId }) => caseTargets(caseId),

    'blocklist.lastScan': async ({ caseId }) => {
      mustCase(caseId)
      const run = repos.checkRuns.latest<ScanResult>(caseId, 'blocklist')
      return { scan: run ? { ...run.result, runId: run.id } : null }
    }
  }

  return { handlers, runSweep, mustCase }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading targets out of evidence

/** The messages a bounce returns (message/rfc822, text/rfc822-headers parts, RFC 3464 §2 / RFC 6522). */
async function originalMessages(msg: ParsedMessage): Promise<ParsedMessage[]> {
  const out: ParsedMessage[] = []
  for (const a of msg.attachments) {
    if (!a.content) continue
    if (/^message\/(rfc822|global)$/i.test(a.mimeType) || /^text\/rfc822-headers$/i.test(a.mimeType)) {
      try {
        out.push(await parseMessage(a.content))
      } catch {
        /* a damaged returned message offers no targets */
      }
    }
  }
  return out
}

function deliveryStatusTexts(msg: ParsedMessage): string[] {
  return msg.attachments
    .filter((a) => a.content && /^(message|text)\/(global-)?delivery-status$/i.test(a.mimeType))
    .map((a) => decodeBytes(a.content as Uint8Array).text)
}

const domainOf = (address: string | undefined): string | undefined => {
  const at = address?.lastIndexOf('@') ?? -1
  return address && at >= 0 ? address.slice(at + 1).toLowerCase() : undefined
}

/** From and DKIM d= domains (RFC 6376 §3.5), and the domains linked in the body (what URI lists such as DBL test). */
function senderTargets(
  msg: ParsedMessage,
  add: (raw: string, source: TargetSource, detail?: string) => void,
  returned: boolean
): void {
  const from = domainOf(msg.from?.address)
  if (from) {
    add(from, 'from', msg.from?.address)
    const org = getDomain(from)
    if (org && org !== from) add(org, 'from', `organisational domain of ${from}`)
  }
  for (const h of msg.headers) {
    if (h.name.toLowerCase() !== 'dkim-signature') continue
    const d = /(?:^|;)\s*d\s*=\s*([^;\s]+)/i.exec(h.value.replace(/\s+/g, ' '))
    if (d) add(d[1], 'dkim', 'DKIM-Signature d=')
  }
  const body = `${msg.text}\n${msg.html ?? ''}`
  let n = 0
  for (const m of body.matchAll(/\bhttps?:\/\/([^\s"'<>()/?#:]+)/gi)) {
    const host = m[1].toLowerCase().replace(/\.$/, '')
    if (ipaddr.isValid(host)) continue
    const domain = getDomain(host)
    if (!domain) continue
    add(domain, 'link', returned ? 'linked in the returned message' : 'linked in the message')
    if (++n >= 20) break
  }
}
