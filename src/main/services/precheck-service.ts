import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import type { Handlers, ParsedInput } from '../../shared/api'
import type { precheckApi, PrecheckResult } from '../../shared/contract/precheck'
import { AppError } from '../../shared/result'
import type { PtrReport } from '../../shared/schemas/domain'
import { verifyAuth } from '../core/auth'
import { loadCatalogue, defaultLists } from '../core/blocklist'
import { checkPtr } from '../core/domain'
import { lintMessage } from '../core/findings/fixes'
import { parseMessage } from '../core/mime'
import {
  alignmentCheck,
  complaintCheck,
  contentCheck,
  dkimCheck,
  dmarcCheck,
  linkDomains,
  linksCheck,
  ptrCheck,
  scoreChecks,
  spamassassinCheck,
  spfCheck,
  tlsCheck,
  unsubscribeCheck,
  type LinkScan
} from '../core/precheck'
import { decodeBase64 } from './cases-service'
import type { Repos, ServiceContext } from './context'
import { dnsClientFor } from './dns'
import type { SpamAssassinRunner } from './spamassassin'

type PrecheckHandlers = Pick<Handlers, keyof typeof precheckApi>

/** What the pre-send check uses from the other services, built once in services/index.ts and injected. */
export interface PrecheckDeps {
  blocklist: Pick<Handlers, 'blocklist.scan' | 'blocklist.cancel'>
  hygiene: Pick<Handlers, 'hygiene.stats'>
  spamassassin: SpamAssassinRunner
}

const STEPS = 6

const envelopeAddress = (v: string | undefined): string | undefined => {
  const m = /<([^<>\s]*)>/.exec(v ?? '') ?? /(\S+@\S+)/.exec(v ?? '')
  return m?.[1] ? m[1].toLowerCase() : undefined
}

/**
 * Pre-send check (issue 14): today's DKIM over DNS, SPF/DMARC alignment for the IP the user will send from
 * (mailauth, core/auth), the bulk-sender checklist, the content lint, the link domains on the catalogue's domain
 * lists (through the blocklist service, self-tests and "could not check" rules included), PTR/FCrDNS of the IP,
 * the complaint rate from Sending health when the sent volume is known, and SpamAssassin when installed.
 */
export function createPrecheckHandlers(
  ctx: ServiceContext,
  repos: Repos,
  deps: PrecheckDeps
): PrecheckHandlers {
  const tasks = new Map<string, AbortController>()

  async function run(input: ParsedInput<'precheck.run'>): Promise<PrecheckResult> {
    const settings = repos.settings.get()
    const bytes = decodeBase64(input.file.base64, input.file.name, settings.maxFileMb)
    const client = dnsClientFor(settings, input.resolver) // validates the resolver before any work
    const msg = await parseMessage(bytes)
    if (msg.headers.length === 0 || !msg.headers.some((h) => /^(from|subject|to|date)$/i.test(h.name)))
      throw new AppError(
        'INVALID_INPUT',
        `${input.file.name} is not a message: drop the .eml of the message you are about to send (RFC 5322).`
      )
    const taskId = input.taskId ?? `precheck-${randomUUID()}`
    if (tasks.has(taskId))
      throw new AppError('CONFLICT', `A pre-send check with task id ${taskId} is already running.`)
    const ac = new AbortController()
    setMaxListeners(50, ac.signal)
    tasks.set(taskId, ac)
    let done = 0
    const step = (label: string) => ctx.emit('progress', { taskId, label, done: ++done, total: STEPS })
    ctx.emit('progress', { taskId, label: 'precheck', done: 0, total: STEPS })
    try {
      const ip = input.ip ?? null
      const fromAddress = msg.from?.address?.toLowerCase()
      const fromDomain = fromAddress?.split('@').pop() ?? null
      const returnPath = envelopeAddress(
        msg.headers.find((h) => h.name.toLowerCase() === 'return-path')?.value
      )
      // Without a Return-Path the envelope sender is not in the file yet; From's address is the best guess, and
      // the check says it assumed it.
      const mailFrom = returnPath || fromAddress || null
      const mailFromAssumed = !returnPath && !!fromAddress

      // SpamAssassin runs alongside the DNS work: it is the slowest part (Perl start-up, rules compiled).
      const saPromise = deps.spamassassin.run(bytes, ac.signal)

      const auth = await verifyAuth({
        message: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        ...(ip ? { ip } : {}),
        ...(mailFrom ? { mailFrom } : {}),
        client,
        now: ctx.now()
      })
      step('authentication')
      const lint = await lintMessage(bytes)
      step('content')

      let ptr: PtrReport | undefined
      if (ip) ptr = (await checkPtr({ ips: [ip], client })).reports[0]
      step('ptr')

      const domains = msg.headersOnly ? [] : linkDomains(msg.text, msg.html ?? '')
      let scan: LinkScan | null = null
      if (domains.length) {
        const lists = defaultLists(loadCatalogue())
          .filter((l) => l.type.includes('domain'))
          .map((l) => l.id)
        try {
          const r = await deps.blocklist['blocklist.scan']({
            targets: domains,
            lists,
            resolver: input.resolver,
            taskId: `${taskId}:links`
          })
          scan = { reports: r.reports }
        } catch (e) {
          if (ac.signal.aborted) throw e
          scan = { error: e instanceof Error ? e.message : String(e) }
        }
      }
      step('links')

      const stats = await deps.hygiene['hygiene.stats']({})
      step('complaints')
      const sa = await saPromise
      if (ac.signal.aborted) throw new AppError('CANCELLED', 'The pre-send check was cancelled.')
      step('spamassassin')

      const checks = [
        dkimCheck(auth, fromDomain),
        spfCheck(auth, { ip, mailFrom, mailFromAssumed }),
        dmarcCheck(auth, fromDomain),
        alignmentCheck(auth, fromDomain),
        unsubscribeCheck(msg.headers, lint),
        tlsCheck(msg.headers),
        ptrCheck(ip, ptr),
        complaintCheck(stats.days, ctx.now(), stats.thresholds),
        contentCheck(lint),
        linksCheck(domains, scan),
        spamassassinCheck(sa)
      ]
      const { score, coverage } = scoreChecks(checks)
      return {
        file: input.file.name,
        checkedAt: ctx.now().toISOString(),
        ip,
        resolver: (input.resolver ?? settings.resolver).trim() || 'system',
        fromDomain,
        mailFrom,
        mailFromAssumed,
        linkDomains: domains,
        score,
        coverage,
        checks,
        spamassassin: sa
      }
    } catch (e) {
      const cancelled = ac.signal.aborted
      ac.abort() // stops SpamAssassin when something else failed first
      if (cancelled) throw new AppError('CANCELLED', 'The pre-send check was cancelled.')
      throw e
    } finally {
      tasks.delete(taskId)
    }
  }

  return {
    'precheck.run': run,
    'precheck.cancel': async ({ taskId }) => {
      const ac = tasks.get(taskId)
      if (!ac) return { cancelled: false }
      ac.abort()
      await deps.blocklist['blocklist.cancel']({ taskId: `${taskId}:links` }).catch(() => undefined)
      return { cancelled: true }
    }
  }
}
