import { text, type Text } from '../../shared/text'
import { senderHelo } from '../core/diagnose/parties'
import { randomUUID } from 'node:crypto'
import type { Handlers, ParsedInput } from '../../shared/api'
import type { domainApi } from '../../shared/contract/domain'
import { AppError } from '../../shared/result'
import type { Analysis } from '../../shared/schemas/analysis'
import { DomainReport } from '../../shared/schemas/domain'
import { checkDomain, DOMAIN_STEPS, type FetchPolicy } from '../core/domain'
import { createHttpsFetch } from '../adapters/https-fetch'
import type { DnsClient } from '../core/dns/types'
import { dnsClientFor } from './dns'
import type { Repos, ServiceContext } from './context'

type DomainHandlers = Pick<Handlers, keyof typeof domainApi>

export interface DomainServiceOptions {
  /**
   * How the MTA-STS policy is fetched. Default: HTTPS to the address the check's own resolver gives for
   * mta-sts.<domain> (see resolvingFetch). Tests pass a CA and the port of their local HTTPS server.
   */
  https?: { ca?: string; port?: number; timeoutMs?: number }
}

/** Most evidence has one or two sending IPs; more only makes the PTR/SPF part of the report long. */
const MAX_CASE_IPS = 10
/** Bytes of each evidence scanned for DKIM-Signature fields (a returned message sits inside the bounce). */
const DKIM_SCAN_BYTES = 4 * 1024 * 1024

/**
 * MTA-STS policy fetch that resolves mta-sts.<domain> through the same DNS client as the rest of the check, so
 * the resolver chosen in Settings (or for this check) applies to the policy host as well, and the certificate is
 * still verified for the real host name (SNI, RFC 8461 §3.3).
 */
export function resolvingFetch(client: DnsClient, opts: DomainServiceOptions['https'] = {}): FetchPolicy {
  return async (url) => {
    const u = new URL(url)
    let address: string | undefined
    const statuses: string[] = []
    for (const type of ['A', 'AAAA'] as const) {
      const a = await client.query(u.hostname, type)
      statuses.push(`${type} ${a.status}`)
      if (a.status === 'ok' && typeof a.records[0] === 'string') {
        address = a.records[0]
        break
      }
    }
    if (!address) throw new Error(`${u.hostname} has no address (${statuses.join(', ')})`)
    const port = opts.port ?? Number(u.port || 443)
    const host = address
    return createHttpsFetch({ ca: opts.ca, timeoutMs: opts.timeoutMs, connectTo: () => ({ host, port }) })(
      url
    )
  }
}

/** `s=` of the DKIM-Signature fields signed for `domain` (`d=` equal to it, RFC 6376 §3.5), deduplicated. */
export function dkimSelectorsFor(domain: string, fields: string[]): string[] {
  const out = new Set<string>()
  for (const raw of fields) {
    const value = raw.replace(/\r?\n[ \t]+/g, ' ')
    const tag = (k: string) => new RegExp(`(?:^|;)\\s*${k}\\s*=\\s*([^;\\s]+)`, 'i').exec(value)?.[1]
    const d = tag('d')?.toLowerCase().replace(/\.$/, '')
    const s = tag('s')?.toLowerCase()
    if (d === domain && s && /^[a-z0-9_][a-z0-9_.-]{0,62}$/.test(s)) out.add(s)
  }
  return [...out]
}

/** DKIM-Signature fields anywhere in raw message text: the top-level header and those of a returned message. */
export function dkimFieldsInRaw(text: string): string[] {
  return [...text.matchAll(/^DKIM-Signature:[ \t]*(.*(?:\r?\n[ \t].*)*)/gim)].map((m) => m[1])
}

/** One line for the case timeline: counts by severity and what could not be checked. */
/** The timeline's line for a domain check (text as data: resources/locales/<lang>/timeline.json). */
export function summariseReport(r: DomainReport): Text {
  const n = (sev: string) => r.findings.filter((f) => f.severity === sev).length
  const unknown = r.findings.filter((f) => f.id.endsWith('could-not-check')).length
  const worst = r.findings.find((f) => f.severity === 'critical' || f.severity === 'error')
  const problems =
    n('critical') + n('error') + n('warning') > 0
      ? text('timeline:domain.problems', {
          critical: n('critical'),
          errors: n('error'),
          warnings: n('warning')
        })
      : text('timeline:domain.noProblems')
  return text(worst ? 'timeline:domain.checkedWorst' : 'timeline:domain.checked', {
    domain: r.domain,
    problems,
    coverage: unknown ? text('timeline:domain.coverage', { count: unknown }) : '',
    spf: r.spf.state,
    dmarc: r.dmarc.effectivePolicy ? `p=${r.dmarc.effectivePolicy}` : r.dmarc.state.replace(/_/g, ' '),
    worst: worst ? (worst.titleText ?? worst.title) : undefined
  })
}

/** Use-cases for the domain methods of the contract. */
export function createDomainHandlers(
  ctx: ServiceContext,
  repos: Repos,
  opts: DomainServiceOptions = {}
): DomainHandlers {
  const mustCase = (id: number) => {
    const c = repos.cases.get(id)
    if (!c) throw new AppError('NOT_FOUND', `Case ${id} does not exist (it may have been deleted).`)
    return c
  }

  async function run(input: ParsedInput<'domain.check'>): Promise<DomainReport> {
    if (input.caseId !== undefined) mustCase(input.caseId)
    const client = dnsClientFor(repos.settings.get(), input.resolver)
    const taskId = input.taskId ?? `domain-${randomUUID()}`
    const total = DOMAIN_STEPS.length
    ctx.emit('progress', { taskId, label: input.domain, done: 0, total })
    const report = await checkDomain({
      domain: input.domain,
      ips: input.ips,
      helo: input.helo,
      selectors: input.selectors,
      client,
      fetchPolicy: resolvingFetch(client, opts.https),
      now: ctx.now(),
      onProgress: (step, done) => ctx.emit('progress', { taskId, label: step, done, total })
    })
    if (input.caseId !== undefined) {
      const caseId = input.caseId
      ctx.db.transaction(() => {
        repos.checkRuns.add(caseId, 'domain', report.domain, report)
        repos.notes.event(caseId, summariseReport(report))
      })()
      ctx.emit('case:changed', { caseId })
    }
    return report
  }

  return {
    'domain.check': run,

    'domain.checkCase': async ({ caseId, resolver, taskId }) => {
      const c = mustCase(caseId)
      if (!c.sendingDomain)
        throw new AppError(
          'INVALID_INPUT',
          'This case has no sending domain yet: add the bounce or the rejected message so Delivery Desk can see who sent it.'
        )
      const domain = c.sendingDomain.toLowerCase()
      const helos: string[] = []
      const fields: string[] = []
      for (const e of repos.evidence.listForCase(caseId)) {
        const analysis = repos.evidence.get(e.id)?.analysis as Analysis | undefined
        // The HELO the receiving edge saw is what its SPF HELO check and FCrDNS comparison used (RFC 7208 §2.3):
        // the sender's, never the HELO of the receiver's MTA that delivered a bounce to us
        const helo = analysis ? senderHelo(analysis) : undefined
        if (helo) helos.push(helo)
        for (const h of analysis?.headers ?? [])
          if (h.name.toLowerCase() === 'dkim-signature') fields.push(h.value)
        // A bounce carries the signed original as an attachment; its DKIM-Signature is not in the top headers.
        const raw = repos.evidence.content(e.id)
        if (raw) fields.push(...dkimFieldsInRaw(raw.subarray(0, DKIM_SCAN_BYTES).toString('latin1')))
      }
      return run({
        domain,
        ips: c.sendingIps.slice(0, MAX_CASE_IPS),
        helo: helos[0],
        selectors: dkimSelectorsFor(domain, fields),
        resolver,
        caseId,
        taskId
      })
    },

    'domain.latest': async ({ caseId }) => {
      mustCase(caseId)
      const last = repos.checkRuns.latest<unknown>(caseId, 'domain')
      if (!last) return null
      // Stored JSON from an older version may not match today's schema; showing nothing beats a broken view.
      const parsed = DomainReport.safeParse(last.result)
      return parsed.success ? parsed.data : null
    }
  }
}
