import type { DnsClient } from '../dns/types'
import { toMailauthResolver } from '../auth/mailauth-resolver'
import type { SpfEvaluation, SpfResult } from '../../../shared/schemas/domain'

/**
 * "Does IP X pass SPF for this domain?" through mailauth's RFC 7208 implementation (the same code path that
 * re-verifies received mail), over our DnsClient so that DNS failures keep their meaning.
 */
/**
 * mailauth's SPF modules, loaded on first use: they pull in most of mailauth (~0.2 s of start-up), which a CLI
 * command that never evaluates SPF (hygiene ingest, case show) should not pay for.
 */
interface SpfModules {
  mailauthSpf: (opts: Record<string, unknown>) => Promise<MailauthSpfResponse>
  spfVerify: (domain: string, opts: Record<string, unknown>) => Promise<VerifyNode | false>
}
let spfModules: SpfModules | undefined
const spfLib = (): SpfModules =>
  (spfModules ??= {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mailauthSpf: (require('mailauth/lib/spf') as { spf: SpfModules['mailauthSpf'] }).spf,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    spfVerify: (require('mailauth/lib/spf/spf-verify') as { spfVerify: SpfModules['spfVerify'] }).spfVerify
  })

interface MailauthSpfResponse {
  domain: string
  rr?: string
  status: { result: string; comment?: string }
  lookups?: { limit: number; count: number; void: number; subqueries?: Record<string, number> }
}

interface VerifyNode {
  type?: string
  val?: string
  qualifier?: string
  include?: VerifyNode
  rr?: string
}

export interface EvaluateSpfOptions {
  /** The domain whose policy is checked (MAIL FROM domain, or the HELO name when MAIL FROM is empty). */
  domain: string
  ip: string
  client: DnsClient
  /** Full MAIL FROM; defaults to postmaster@domain (RFC 7208 §2.4). */
  sender?: string
  helo?: string
  /** Receiving MTA's name for the %{r} macro; fixed so results do not depend on this machine's hostname. */
  mta?: string
}

const RESULTS: SpfResult[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror']
const QUALIFIER: Record<string, string> = { '+': '', '-': '-', '~': '~', '?': '?' }

/** mailauth's resolver wrapper turns NXDOMAIN/NODATA into [] (void lookups); spfVerify alone expects that too. */
function voidTolerant(resolve: ReturnType<typeof toMailauthResolver>) {
  const fn = async (name: string, type: string): Promise<unknown[]> => {
    try {
      return await resolve(name, type)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTFOUND' || code === 'ENODATA') return []
      throw err
    }
  }
  return Object.assign(fn, { getResolveCount: () => 0, getVoidCount: () => 0 })
}

function describePath(domain: string, node: VerifyNode | false, rrFallback?: string): string[] {
  const path: string[] = []
  let cur: VerifyNode | false | undefined = node
  let d = domain
  while (cur) {
    const q = QUALIFIER[cur.qualifier ?? '+'] ?? ''
    const rr = cur.rr ?? (path.length === 0 ? rrFallback : undefined)
    path.push(
      `${d}${rr ? ` "${rr}"` : ''} → ${cur.type ? `${q}${cur.type}${cur.val ? ':' + cur.val : ''}` : 'no match (default neutral)'}`
    )
    if (cur.type === 'include' && cur.include) {
      d = cur.val ?? d
      cur = cur.include
    } else cur = undefined
  }
  return path
}

export async function evaluateSpf(opts: EvaluateSpfOptions): Promise<SpfEvaluation> {
  const resolver = toMailauthResolver(opts.client)
  const sender = opts.sender ?? `postmaster@${opts.domain}`
  const mta = opts.mta ?? 'delivery-desk.invalid'
  const res = await spfLib().mailauthSpf({ sender, ip: opts.ip, helo: opts.helo, mta, resolver })
  const result = (
    RESULTS.includes(res.status.result as SpfResult) ? res.status.result : 'temperror'
  ) as SpfResult
  let path: string[] = []
  if (result === 'pass' || result === 'fail' || result === 'softfail' || result === 'neutral') {
    // mailauth's public API drops which mechanism matched; replay the (cached) evaluation without the limit
    // wrapper to recover it. Limits only ever turn a result into permerror, so the decision is the same.
    try {
      const node = await spfLib().spfVerify(res.domain, {
        sender,
        ip: opts.ip,
        helo: opts.helo,
        mta,
        resolver: voidTolerant(resolver)
      })
      path = describePath(res.domain, node, res.rr)
    } catch {
      path = []
    }
  }
  return {
    domain: res.domain,
    ip: opts.ip,
    sender,
    result,
    comment: res.status.comment ?? '',
    record: res.rr,
    path,
    lookups: res.lookups?.count ?? 0,
    voidLookups: res.lookups?.void ?? 0
  }
}
