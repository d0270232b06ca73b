import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto'
import type * as Mailauth from 'mailauth'
import type { ARCResult, DMARCResult, DNSResolver } from 'mailauth'
import type { CheckState, Finding } from '../../../shared/schemas/common'
import type {
  ArcCheck,
  AuthCheck,
  BimiCheck,
  DkimCheck,
  DmarcCheck,
  SpfCheck
} from '../../../shared/schemas/message'
import type { DnsAnswer, DnsClient } from '../dns/types'
import { isHeadersOnly } from '../headers/header-list'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { toMailauthResolver } from './mailauth-resolver'

/** Sets a check's explanation as a Text and its English rendering (the CLI and older data read the string). */
const SPF_RESULTS = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'])

function explain(c: { explanation?: string; explanationText?: Text }, t: Text): void {
  c.explanationText = t
  c.explanation = renderText('en', t)
}
function reason(c: { reason?: string; reasonText?: Text }, t: Text): void {
  c.reasonText = t
  c.reason = renderText('en', t)
}
/** A finding's detail from a check's explanation, which may be absent. */
const detailOf = (t: Text | undefined): Text[] => (t ? [t] : [])

/**
 * Re-verification of a message's authentication *today*, with mailauth (SPF RFC 7208, DKIM RFC 6376, DMARC
 * RFC 7489, ARC RFC 8617, BIMI draft) over the project's DNS seam.
 *
 * Rules that keep the report honest:
 * - No DNS client → every DNS-dependent verdict is `not_checked` (never fail).
 * - Headers only → a DKIM body hash cannot be recomputed (RFC 6376 §3.7): `not_checked`, with the header signature
 *   still verified when the key can be fetched.
 * - SERVFAIL / REFUSED / timeouts → `could_not_check` with the DNS cause (temperror, RFC 7208 §2.6.6).
 * - A DMARC "fail" computed while SPF or a DKIM signature could not be checked is not a fact: `not_checked`.
 */

/**
 * mailauth, loaded on first use: it (with undici for BIMI) is a third of the CLI's start-up, which commands that
 * never re-verify (an ingest, a report, a backup) should not pay.
 */
let loaded: typeof Mailauth | undefined
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mailauth = (): typeof Mailauth => (loaded ??= require('mailauth') as typeof Mailauth)

export interface VerifyInput {
  /** The raw message (or header block). */
  message: string | Buffer
  /** Connecting client IP of the receiving organisation's edge hop (HopChain.edge.ip). */
  ip?: string
  /** HELO/EHLO name at the edge hop. */
  helo?: string
  /** RFC 5321 MAIL FROM (usually the Return-Path); defaults to the message's Return-Path. */
  mailFrom?: string
  /** DNS access; undefined = offline. */
  client?: DnsClient
  /** Override headers-only detection. */
  headersOnly?: boolean
  /** Clock for DKIM x= expiry and `checkedAt`. */
  now?: Date
  /** Name used in SPF explanations (mailauth writes "<mta>: domain of ... designates ..."). */
  mta?: string
  minBitLength?: number
}

interface RawDkimResult {
  signingDomain?: string
  selector?: string
  signature?: string
  algo?: string
  bodyHash?: string
  bodyHashExpecting?: string
  signingHeaders?: { canonicalizedHeader?: string }
  status: { result: string; comment?: string; aligned?: string | false; policy?: Record<string, string> }
  signTime?: string | null
  expiresAfter?: string | null
  modulusLength?: number
  rr?: string
}

const TEMP_CODES = /\b(ESERVFAIL|EREFUSED|ETIMEOUT|EBADRESP|ECONNREFUSED|ENOTIMP|ENODNS)\b/

/** A resolver that fails every lookup: used when no DNS is configured so mailauth never touches the network. */
const offlineResolver: DNSResolver = async (name: string, rrtype: string) => {
  const err = new Error(`DNS not configured (${rrtype} ${name})`) as Error & { code: string }
  err.code = 'ENODNS'
  throw err
}

interface Phase {
  resolver: DNSResolver
  failures: DnsAnswer[]
}

function phase(client: DnsClient | undefined): Phase {
  const failures: DnsAnswer[] = []
  if (!client) return { resolver: offlineResolver, failures }
  const r = toMailauthResolver(client, (a) => {
    if (a.status !== 'ok' && a.status !== 'nxdomain' && a.status !== 'nodata') failures.push(a)
  })
  return { resolver: r as DNSResolver, failures }
}

const describeFailures = (f: DnsAnswer[]): string =>
  f
    .slice(0, 3)
    .map((a) => `${a.type} ${a.name}: ${a.status}${a.error ? ` (${a.error})` : ''}`)
    .join('; ')

/** Verify the header signature on its own (used when the body hash cannot or did not verify). */
async function verifyHeaderSignature(
  r: RawDkimResult,
  resolver: DNSResolver,
  minBits: number
): Promise<CheckState> {
  try {
    if (!r.signingHeaders?.canonicalizedHeader || !r.signature || !r.selector || !r.signingDomain)
      return 'not_checked'
    const txt = (await resolver(`${r.selector}._domainkey.${r.signingDomain}`, 'TXT')) as unknown[]
    const rr = [...((txt[0] as string[] | undefined) ?? [])].join('').replace(/\s+/g, '')
    const p = /(?:^|;)p=([^;]*)/i.exec(rr)?.[1]
    if (!p) return 'fail'
    const der = Buffer.from(p, 'base64')
    const key =
      der.length === 32
        ? createPublicKey({
            key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), der]),
            format: 'der',
            type: 'spki'
          })
        : createPublicKey({ key: der, format: 'der', type: 'spki' })
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < minBits)
      return 'fail'
    const data = Buffer.from(r.signingHeaders.canonicalizedHeader, 'base64')
    const sig = Buffer.from(r.signature.replace(/\s+/g, ''), 'base64')
    const rsa = (r.algo ?? '').toLowerCase().startsWith('rsa')
    const ok = rsa
      ? cryptoVerify((r.algo ?? 'rsa-sha256').toLowerCase(), data, key, sig)
      : cryptoVerify(null, createHash('sha256').update(data).digest(), key, sig)
    return ok ? 'pass' : 'fail'
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    if (code === 'ENOTFOUND' || code === 'ENODATA') return 'fail'
    if (TEMP_CODES.test(code)) return code === 'ENODNS' ? 'not_checked' : 'could_not_check'
    return 'fail'
  }
}

async function checkDkim(
  raw: RawDkimResult,
  opts: { headersOnly: boolean; dns: boolean; resolver: DNSResolver; minBits: number; hasFrom: boolean }
): Promise<DkimCheck> {
  const s = raw.status
  const comment = s.comment ?? ''
  const c: DkimCheck = {
    state: 'not_checked',
    result: s.result,
    bodyHash:
      raw.bodyHash && raw.bodyHashExpecting
        ? raw.bodyHash === raw.bodyHashExpecting
          ? 'pass'
          : 'fail'
        : 'not_checked',
    signature: 'not_checked',
    keyFound: null,
    aligned: opts.hasFrom ? !!s.aligned : null
  }
  if (raw.signingDomain) c.domain = raw.signingDomain
  if (raw.selector) c.selector = raw.selector
  if (raw.algo) c.algorithm = raw.algo
  if (raw.signTime) c.signedAt = raw.signTime
  if (raw.expiresAfter) c.expiresAt = raw.expiresAfter
  if (raw.modulusLength) c.keyBits = raw.modulusLength
  const keyName = `${raw.selector}._domainkey.${raw.signingDomain}`

  if (c.bodyHash === 'fail') {
    // mailauth stops at the body hash; still check the header signature so the user learns whether only the body
    // changed (forwarder footer, re-encoding) or the signature itself is bad.
    c.signature = opts.dns ? await verifyHeaderSignature(raw, opts.resolver, opts.minBits) : 'not_checked'
    c.keyFound = c.signature === 'pass' ? true : null
    if (opts.headersOnly) {
      c.bodyHash = 'not_checked'
      c.state = 'not_checked'
      reason(c, text('auth:dkim.headersOnly', { signature: c.signature }))
    } else if (!opts.dns) {
      c.state = 'not_checked'
      reason(c, text('auth:dkim.bodyNoDns'))
    } else {
      c.state = 'fail'
      reason(c, text('auth:dkim.bodyModified', { signature: c.signature }))
    }
    return c
  }
  switch (s.result) {
    case 'pass':
      c.state = 'pass'
      c.signature = 'pass'
      c.keyFound = true
      break
    case 'fail':
      c.state = 'fail'
      c.signature = 'fail'
      c.keyFound = true
      reason(c, text('auth:dkim.badSignature', { name: keyName }))
      break
    case 'policy':
      c.state = 'fail'
      c.keyFound = true
      reason(c, text('auth:dkim.keyTooShort', { name: keyName }))
      break
    case 'temperror': {
      const code = TEMP_CODES.exec(comment)?.[1]
      c.state = code === 'ENODNS' ? 'not_checked' : 'could_not_check'
      reason(
        c,
        code === 'ENODNS' ? text('auth:dkim.noDns') : text('auth:dkim.dnsFailed', { name: keyName, comment })
      )
      break
    }
    case 'neutral':
      if (comment === 'no key') {
        c.state = 'fail'
        c.keyFound = false
        reason(c, text('auth:dkim.noKey', { name: keyName }))
      } else if (comment === 'expired' || comment === 'invalid expiration') {
        c.state = 'warn'
        c.signature = 'pass'
        c.keyFound = true
        reason(c, text('auth:dkim.expired', { expires: String(raw.expiresAfter ?? '?') }))
      } else if (/key/.test(comment)) {
        c.state = 'fail'
        c.keyFound = true
        reason(c, text('auth:dkim.unusableKey', { name: keyName, comment }))
      } else {
        c.state = 'fail'
        reason(c, comment ? text('auth:verifier', { comment }) : text('auth:dkim.unverified'))
      }
      break
    case 'none':
      c.state = 'none'
      break
    default:
      c.state = 'fail'
      if (comment) reason(c, text('auth:verifier', { comment }))
  }
  if (c.reason === undefined) delete c.reason
  return c
}

function trimEndLength(m: string | Buffer): number {
  const b = Buffer.from(m)
  let n = b.length
  while (n > 0 && (b[n - 1] === 0x0a || b[n - 1] === 0x0d || b[n - 1] === 0x20 || b[n - 1] === 0x09)) n--
  return n
}

function spfState(result: string): CheckState {
  switch (result) {
    case 'pass':
      return 'pass'
    case 'fail':
    case 'permerror':
      return 'fail'
    case 'softfail':
    case 'neutral':
      return 'warn'
    case 'none':
      return 'none'
    default:
      return 'could_not_check'
  }
}

function bareIp(ip: string): boolean {
  return /^[\d.]+$/.test(ip) || ip.includes(':')
}

/**
 * Re-verify SPF, DKIM, DMARC, ARC and BIMI for a message now. Never throws for message content; programming errors
 * inside mailauth are caught and reported as `could_not_check`.
 */
export async function verifyAuth(input: VerifyInput): Promise<AuthCheck> {
  const now = input.now ?? new Date()
  const dns = !!input.client
  const minBits = input.minBitLength ?? 1024
  const headersOnly = input.headersOnly ?? isHeadersOnly(input.message)
  const mta = input.mta ?? 'delivery-desk'
  const findings: Finding[] = []

  // --- DKIM (also parses headers, From, Return-Path and the ARC set for the other checks) ---
  const dkimPhase = phase(input.client)
  let dkimRaw: Awaited<ReturnType<typeof Mailauth.dkimVerify>> | undefined
  let dkimError: string | undefined
  try {
    // mailauth only reads headers once it sees the blank line that ends them; a pasted header block has none.
    const msg = headersOnly
      ? Buffer.concat([
          Buffer.from(input.message).subarray(0, trimEndLength(input.message)),
          Buffer.from('\r\n\r\n')
        ])
      : input.message
    dkimRaw = await mailauth().dkimVerify(msg, {
      resolver: dkimPhase.resolver,
      curTime: now,
      minBitLength: minBits,
      ...(input.mailFrom ? { sender: input.mailFrom } : {})
    })
  } catch (e) {
    dkimError = e instanceof Error ? e.message : String(e)
  }
  const headerFrom = dkimRaw?.headerFrom ?? []
  const fromDomain = headerFrom.length === 1 ? headerFrom[0].split('@').pop()?.toLowerCase() : undefined
  const rawResults = ((dkimRaw?.results ?? []) as unknown as RawDkimResult[]).filter((r) => r.signingDomain)
  const dkim: DkimCheck[] = []
  for (const r of rawResults) {
    dkim.push(
      await checkDkim(r, { headersOnly, dns, resolver: dkimPhase.resolver, minBits, hasFrom: !!fromDomain })
    )
  }

  // --- SPF at the edge (RFC 7208 §2.4: MAIL FROM identity; HELO when MAIL FROM is empty) ---
  const mailFrom = input.mailFrom ?? (dkimRaw?.envelopeFrom || undefined)
  const spf: SpfCheck = { state: 'not_checked', result: 'not_checked' }
  if (input.ip) spf.ip = input.ip
  if (input.helo) spf.helo = input.helo
  if (mailFrom) spf.mailFrom = mailFrom
  let spfPassDomain: string | undefined
  if (!input.ip) {
    explain(spf, text('auth:spf.noIp'))
  } else if (!mailFrom && !input.helo) {
    explain(spf, text('auth:spf.noIdentity'))
  } else if (!dns) {
    explain(spf, text('auth:spf.noDns'))
  } else {
    const p = phase(input.client)
    try {
      const helo =
        input.helo && bareIp(input.helo) && !input.helo.startsWith('[') ? `[${input.helo}]` : input.helo
      const r = await mailauth().spf({
        ip: input.ip,
        mta,
        resolver: p.resolver,
        ...(mailFrom ? { sender: mailFrom } : {}),
        ...(helo ? { helo } : {})
      })
      spf.result = r.status.result
      spf.state = spfState(r.status.result)
      spf.domain = r.domain
      if (r.rr) spf.record = r.rr
      if (r.lookups) spf.lookups = r.lookups.count
      const dnsFailures =
        spf.state === 'could_not_check' && p.failures.length ? describeFailures(p.failures) : ''
      explain(
        spf,
        dnsFailures
          ? text('auth:verifierDns', { comment: r.status.comment ?? '', failures: dnsFailures })
          : // Said in our words from the result (RFC 7208 §2.6), not mailauth's English comment.
            text(`auth:spf.result.${SPF_RESULTS.has(r.status.result) ? r.status.result : 'other'}`, {
              ip: input.ip,
              domain: r.domain ?? mailFrom ?? input.helo ?? '',
              result: r.status.result
            })
      )
      if (r.status.result === 'pass') spfPassDomain = r.domain
    } catch (e) {
      spf.state = 'could_not_check'
      spf.result = 'temperror'
      explain(spf, text('auth:error', { error: e instanceof Error ? e.message : String(e) }))
    }
  }

  // --- ARC (RFC 8617 §5.2) ---
  const arcData = (
    dkimRaw as unknown as {
      arc?: { chain?: unknown[] | false; lastEntry?: Record<string, any>; error?: Error }
    }
  )?.arc
  const chainLength = Array.isArray(arcData?.chain) ? arcData.chain.length : 0
  const arc: ArcCheck = { state: 'none', cv: 'none', instances: chainLength }
  let arcResult: ARCResult | undefined
  if (arcData && (chainLength > 0 || arcData.error)) {
    const sealer = arcData.lastEntry?.['arc-seal']?.parsed?.d?.value
    if (typeof sealer === 'string') arc.sealer = sealer
    if (!dns) {
      arc.state = 'not_checked'
      arc.cv = 'not_checked'
      explain(arc, text('auth:arc.noDns', { count: chainLength }))
    } else {
      const p = phase(input.client)
      try {
        arcResult = await mailauth().arc(arcData as never, { resolver: p.resolver, minBitLength: minBits })
        arc.cv = arcResult.status.result
        arc.instances = typeof arcResult.i === 'number' && arcResult.i > 0 ? arcResult.i : chainLength
        arc.state = arc.cv === 'pass' ? 'pass' : arc.cv === 'none' ? 'none' : 'fail'
        if (arcResult.status.comment)
          explain(arc, text('auth:verifier', { comment: arcResult.status.comment }))
        if (arc.state === 'fail' && p.failures.length) {
          arc.state = 'could_not_check'
          explain(arc, text('auth:arc.keyLookup', { failures: describeFailures(p.failures) }))
        }
      } catch (e) {
        arc.state = 'could_not_check'
        arc.cv = 'temperror'
        explain(arc, text('auth:error', { error: e instanceof Error ? e.message : String(e) }))
      }
    }
  }

  // --- DMARC (RFC 7489 §3.1 alignment, §6.6.3 policy discovery) ---
  const dmarc: DmarcCheck = {
    state: 'not_checked',
    result: 'not_checked',
    alignment: { spf: null, dkim: null, spfStrict: false, dkimStrict: false }
  }
  if (fromDomain) dmarc.fromDomain = fromDomain
  let dmarcRaw: DMARCResult | false = false
  if (!fromDomain) {
    explain(dmarc, text(headerFrom.length > 1 ? 'auth:dmarc.severalFrom' : 'auth:dmarc.noFrom'))
  } else if (!dns) {
    explain(dmarc, text('auth:dmarc.noDns'))
  } else {
    const p = phase(input.client)
    try {
      dmarcRaw = await mailauth().dmarc({
        headerFrom,
        spfDomains: spfPassDomain ? [spfPassDomain] : [],
        dkimDomains: rawResults
          .filter((r) => r.status.result === 'pass')
          .map((r) => ({ domain: r.signingDomain ?? '', aligned: !!r.status.aligned })),
        ...(arcResult ? { arcResult } : {}),
        resolver: p.resolver
      })
      if (dmarcRaw) {
        dmarc.result = dmarcRaw.status.result
        dmarc.orgDomain = dmarcRaw.domain
        if (dmarcRaw.rr) dmarc.record = dmarcRaw.rr
        if (dmarcRaw.p) dmarc.p = dmarcRaw.p
        if (dmarcRaw.sp) dmarc.sp = dmarcRaw.sp
        if (dmarcRaw.policy) dmarc.policy = dmarcRaw.policy
        if (typeof dmarcRaw.pct === 'number') dmarc.pct = dmarcRaw.pct
        if (dmarcRaw.alignment) {
          dmarc.alignment = {
            spf: dmarcRaw.alignment.spf?.result || null,
            dkim: dmarcRaw.alignment.dkim?.result || null,
            spfStrict: !!dmarcRaw.alignment.spf?.strict,
            dkimStrict: !!dmarcRaw.alignment.dkim?.strict
          }
        }
        const r = dmarcRaw.status.result
        dmarc.state =
          r === 'pass' ? 'pass' : r === 'fail' ? 'fail' : r === 'none' ? 'none' : 'could_not_check'
        if (dmarc.state === 'could_not_check')
          explain(
            dmarc,
            text('auth:dmarc.lookupFailed', { error: String(dmarcRaw.error ?? describeFailures(p.failures)) })
          )
        if (dmarc.state === 'fail') {
          // A fail is only a fact if both inputs were really evaluated.
          const unknownDkim = dkim.some((d) => d.state === 'not_checked' || d.state === 'could_not_check')
          const unknownSpf = spf.state === 'not_checked' || spf.state === 'could_not_check'
          if (unknownDkim || unknownSpf) {
            dmarc.state =
              unknownDkim && dkim.some((d) => d.state === 'could_not_check')
                ? 'could_not_check'
                : 'not_checked'
            explain(
              dmarc,
              text(
                unknownSpf && unknownDkim
                  ? 'auth:dmarc.undecidedBoth'
                  : unknownSpf
                    ? 'auth:dmarc.undecidedSpf'
                    : 'auth:dmarc.undecidedDkim'
              )
            )
          } else {
            explain(
              dmarc,
              text(dmarc.policy && dmarc.policy !== dmarc.p ? 'auth:dmarc.failApplied' : 'auth:dmarc.fail', {
                spf: spf.result,
                spfDomain: spf.domain ?? '?',
                from: fromDomain,
                p: dmarc.p ?? '?',
                applied: dmarc.policy
              })
            )
          }
        } else if (dmarc.state === 'pass') {
          const { spf: viaSpf, dkim: viaDkim } = dmarc.alignment
          explain(
            dmarc,
            viaSpf && viaDkim
              ? text('auth:dmarc.passBoth', { spf: viaSpf, dkim: viaDkim })
              : viaSpf
                ? text('auth:dmarc.passSpf', { spf: viaSpf })
                : text('auth:dmarc.passDkim', { dkim: viaDkim ?? '?' })
          )
        } else if (dmarc.state === 'none') {
          explain(dmarc, text('auth:dmarc.none', { from: fromDomain }))
        }
      } else {
        explain(dmarc, text('auth:dmarc.notEvaluated'))
      }
    } catch (e) {
      dmarc.state = 'could_not_check'
      dmarc.result = 'temperror'
      explain(dmarc, text('auth:error', { error: e instanceof Error ? e.message : String(e) }))
    }
  }

  // --- BIMI (only meaningful after a DMARC pass with an enforcing policy) ---
  const bimi: BimiCheck = { state: 'not_checked', result: 'not_checked' }
  if (!dns) explain(bimi, text('auth:bimi.noDns'))
  else if (!dmarcRaw || dmarc.state !== 'pass') explain(bimi, text('auth:bimi.needsDmarc'))
  else {
    const p = phase(input.client)
    try {
      const b = await mailauth().bimi({
        dmarc: dmarcRaw,
        headers: (dkimRaw as unknown as { headers?: unknown })?.headers,
        resolver: p.resolver
      })
      if (b) {
        bimi.result = b.status.result
        bimi.state =
          b.status.result === 'pass'
            ? 'pass'
            : b.status.result === 'fail'
              ? 'fail'
              : b.status.result === 'none'
                ? 'none'
                : b.status.result === 'skipped'
                  ? 'not_checked'
                  : 'could_not_check'
        if (b.location) bimi.location = b.location
        if (b.authority) bimi.authority = b.authority
        if (b.status.comment) explain(bimi, text('auth:verifier', { comment: b.status.comment }))
      }
    } catch (e) {
      bimi.state = 'could_not_check'
      explain(bimi, text('auth:error', { error: e instanceof Error ? e.message : String(e) }))
    }
  }

  findings.push(...nowFindings({ dkim, spf, dmarc, arc, dns, headersOnly, fromDomain, dkimError }))
  const out: AuthCheck = {
    checkedAt: now.toISOString(),
    dnsAvailable: dns,
    headersOnly,
    dkim,
    spf,
    dmarc,
    arc,
    bimi,
    findings
  }
  if (fromDomain) out.fromDomain = fromDomain
  return out
}

function nowFindings(x: {
  dkim: DkimCheck[]
  spf: SpfCheck
  dmarc: DmarcCheck
  arc: ArcCheck
  dns: boolean
  headersOnly: boolean
  fromDomain?: string
  dkimError?: string
}): Finding[] {
  const out: Finding[] = []
  if (!x.dns) {
    out.push(
      textFinding({
        id: 'auth.dns-not-configured',
        severity: 'info',
        title: text('auth:now.noDns.title'),
        detail: text('auth:now.noDns.detail')
      })
    )
  }
  if (x.dkimError) {
    out.push(
      textFinding({
        id: 'auth.parse-error',
        severity: 'warning',
        title: text('auth:now.parseError.title'),
        detail: text('auth:error', { error: x.dkimError })
      })
    )
  }
  if (x.dmarc.state === 'fail') {
    out.push(
      textFinding({
        id: 'auth.dmarc-fail',
        severity: 'error',
        title: text('auth:now.dmarcFail.title'),
        detail: detailOf(x.dmarc.explanationText),
        evidence: x.dmarc.record
          ? [{ source: `dns:_dmarc.${x.dmarc.orgDomain ?? x.fromDomain}`, text: x.dmarc.record }]
          : [],
        ...(x.dmarc.record ? { current: x.dmarc.record } : {}),
        remedy: 'dmarc-planner'
      })
    )
  }
  if (x.spf.state === 'fail') {
    const perm = x.spf.result === 'permerror'
    out.push(
      textFinding({
        id: perm ? 'auth.spf-permerror' : 'auth.spf-fail',
        severity: 'error',
        title: perm
          ? text('auth:now.spfPermerror.title')
          : text('auth:now.spfFail.title', { result: x.spf.result, ip: x.spf.ip }),
        detail: detailOf(x.spf.explanationText),
        evidence: x.spf.record ? [{ source: `dns:${x.spf.domain}`, text: x.spf.record }] : [],
        ...(x.spf.record ? { current: x.spf.record } : {}),
        remedy: 'spf-builder'
      })
    )
  }
  const passing = x.dkim.filter((d) => d.state === 'pass')
  if (passing.length && x.fromDomain && !passing.some((d) => d.aligned)) {
    out.push(
      textFinding({
        id: 'auth.dkim-misaligned',
        severity: x.dmarc.state === 'fail' ? 'error' : 'warning',
        title: text('auth:now.dkimMisaligned.title'),
        detail: text('auth:now.dkimMisaligned.detail', {
          domains: passing.map((d) => `d=${d.domain}`).join(', '),
          from: x.fromDomain
        }),
        remedy: 'dkim-keygen'
      })
    )
  }
  for (const d of x.dkim) {
    if (d.state === 'fail' && d.keyFound === false) {
      out.push(
        textFinding({
          id: `auth.dkim-key-missing:${d.selector}._domainkey.${d.domain}`,
          severity: 'warning',
          title: text('auth:now.dkimKeyMissing.title', { name: `${d.selector}._domainkey.${d.domain}` }),
          detail: detailOf(d.reasonText),
          evidence: [{ source: `dns:${d.selector}._domainkey.${d.domain}`, text: 'NXDOMAIN/NODATA' }],
          remedy: 'dkim-keygen'
        })
      )
    } else if (d.state === 'fail' && d.bodyHash === 'fail') {
      out.push(
        textFinding({
          id: `auth.dkim-body-modified:${d.domain}`,
          severity: 'warning',
          title: text('auth:now.bodyModified.title', { domain: d.domain }),
          detail: detailOf(d.reasonText)
        })
      )
    }
  }
  if (x.arc.state === 'fail') {
    out.push(
      textFinding({
        id: 'auth.arc-fail',
        severity: 'warning',
        title: text('auth:now.arcFail.title'),
        detail: x.arc.explanationText ?? text('auth:now.arcFail.detail')
      })
    )
  }
  const cnc = [x.spf.state, x.dmarc.state, x.arc.state, ...x.dkim.map((d) => d.state)].includes(
    'could_not_check'
  )
  if (cnc) {
    out.push(
      textFinding({
        id: 'auth.dns-error',
        severity: 'warning',
        title: text('auth:now.dnsError.title'),
        detail: [x.spf, x.dmarc, x.arc]
          .filter((c) => c.state === 'could_not_check')
          .map((c) => c.explanationText)
          .concat(x.dkim.filter((d) => d.state === 'could_not_check').map((d) => d.reasonText))
          .filter((t): t is Text => !!t)
      })
    )
  }
  return out
}
