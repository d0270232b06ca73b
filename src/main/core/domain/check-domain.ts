import type { Finding } from '../../../shared/schemas/common'
import type { DomainReport } from '../../../shared/schemas/domain'
import type { DnsClient } from '../dns/types'
import { createCachingClient, normaliseQueryName } from '../dns/caching'
import { checkDkim } from './dkim'
import { checkDmarc } from './dmarc'
import type { FetchPolicy } from './fetch-policy'
import { checkMx, checkPtr } from './mx'
import { checkBimi, checkMtaSts, checkTlsRpt } from './mta-sts'
import { checkSpf } from './spf'

export interface CheckDomainInput {
  domain: string
  /** Sending IPs: evaluated against SPF and checked for PTR / forward-confirmed rDNS. */
  ips?: string[]
  helo?: string
  /** DKIM selectors known from messages (s= tags); probed in addition to the common ones. */
  selectors?: string[]
  client: DnsClient
  /** MTA-STS policy fetch (the HTTPS adapter in the app): injected, core does no I/O. */
  fetchPolicy: FetchPolicy
  now?: Date
  /** Called as each mechanism finishes (for a progress bar); `done` counts up to `total`. */
  onProgress?: (step: DomainStep, done: number, total: number) => void
}

export const DOMAIN_STEPS = [
  'SPF',
  'DKIM',
  'DMARC',
  'MX',
  'PTR/FCrDNS',
  'MTA-STS',
  'TLS-RPT',
  'BIMI'
] as const
export type DomainStep = (typeof DOMAIN_STEPS)[number]

const ORDER: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3, ok: 4 }

/**
 * Domain health check: SPF, DKIM, DMARC, MX, PTR/FCrDNS, HELO, MTA-STS, TLS-RPT and BIMI. All DNS goes through
 * one caching client so the sub-checks see one consistent view of the zone and shared names are asked once.
 */
export async function checkDomain(input: CheckDomainInput): Promise<DomainReport> {
  const domain = normaliseQueryName(input.domain)
  const client = createCachingClient(input.client)
  const fetchPolicy = input.fetchPolicy
  let done = 0
  const step = <T>(name: DomainStep, p: Promise<T>): Promise<T> =>
    p.then((v) => {
      input.onProgress?.(name, ++done, DOMAIN_STEPS.length)
      return v
    })
  const [spf, dkim, dmarc, mx, ptr] = await Promise.all([
    step('SPF', checkSpf({ domain, client, ips: input.ips })),
    step('DKIM', checkDkim({ domain, client, selectors: input.selectors })),
    step('DMARC', checkDmarc({ domain, client })),
    step('MX', checkMx({ domain, client })),
    step('PTR/FCrDNS', checkPtr({ ips: input.ips ?? [], helo: input.helo, client }))
  ])
  const mxHosts = mx.reports.filter((r) => !r.isNull).map((r) => r.exchange)
  const mtaSts = await step('MTA-STS', checkMtaSts({ domain, client, mxHosts, fetchPolicy }))
  const [tlsRpt, bimi] = await Promise.all([
    step('TLS-RPT', checkTlsRpt({ domain, client, mtaStsPresent: mtaSts.report.record !== undefined })),
    step('BIMI', checkBimi({ domain, client, dmarc: dmarc.report }))
  ])
  const all: Finding[] = [
    ...spf.findings,
    ...dkim.findings,
    ...dmarc.findings,
    ...mx.findings,
    ...ptr.findings,
    ...mtaSts.findings,
    ...tlsRpt.findings,
    ...bimi.findings
  ]
  // Stable ids are the dedup key (common.ts); the same DNS failure can surface from two sub-checks.
  const seen = new Set<string>()
  const findings = all
    .filter((f) => (seen.has(f.id) ? false : (seen.add(f.id), true)))
    .sort((a, b) => (ORDER[a.severity] ?? 9) - (ORDER[b.severity] ?? 9))
  return {
    domain,
    checkedAt: (input.now ?? new Date()).toISOString(),
    spf: spf.report,
    dkim: dkim.reports,
    dmarc: dmarc.report,
    mx: mx.reports,
    ptr: ptr.reports,
    mtaSts: mtaSts.report,
    tlsRpt: tlsRpt.report,
    bimi: bimi.report,
    findings
  }
}
