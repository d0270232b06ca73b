import { getDomain } from 'tldts'
import type {
  PrecheckCheck,
  PrecheckCheckId,
  PrecheckStatus,
  SpamAssassinResult
} from '../../../shared/contract/precheck'
import type { TargetReport } from '../../../shared/schemas/blocklist'
import type { Finding } from '../../../shared/schemas/common'
import type { PtrReport } from '../../../shared/schemas/domain'
import type { AuthCheck, DkimCheck } from '../../../shared/schemas/message'
import { text, type Text, type TextParam } from '../../../shared/text'
import type { HeaderField } from '../../../shared/schemas/antispam'
import { extractUrls } from '../fix/content-lint'
import { parseReceived } from '../headers'

/**
 * The pre-send checklist (issue 14), as pure functions over what the services measured: today's authentication
 * (mailauth), the content lint, the PTR/FCrDNS report, the link domains' blocklist sweep, the complaint rate and
 * SpamAssassin's report. Each check says what it found and what to change, as Texts in the `precheck` namespace.
 *
 * The bulk-sender checklist follows Google's "Email sender guidelines" and Yahoo's "Sender best practices":
 * SPF and DKIM, DMARC with alignment, one-click unsubscribe (RFC 8058), TLS, valid forward and reverse DNS, and a
 * spam rate under 0.3%. "Could not check" is `unknown`: it earns nothing in the score and is never a pass.
 */

export const SOURCES = {
  gmail: 'https://support.google.com/a/answer/81126',
  gmailFaq: 'https://support.google.com/a/answer/14229414',
  yahoo: 'https://senders.yahooinc.com/best-practices/',
  rfc6376: 'https://www.rfc-editor.org/rfc/rfc6376',
  rfc7208: 'https://www.rfc-editor.org/rfc/rfc7208',
  rfc7489: 'https://www.rfc-editor.org/rfc/rfc7489',
  rfc8058: 'https://www.rfc-editor.org/rfc/rfc8058',
  rfc3848: 'https://www.rfc-editor.org/rfc/rfc3848',
  spamassassin: 'https://spamassassin.apache.org/'
} as const

/** Share of the score per check. Authentication weighs most: receivers reject on it before reading content. */
export const WEIGHTS: Record<PrecheckCheckId, number> = {
  dkim: 1.5,
  spf: 1.5,
  dmarc: 1,
  alignment: 1.5,
  unsubscribe: 0.75,
  tls: 0.5,
  ptr: 1,
  complaints: 0.5,
  content: 0.75,
  links: 1,
  spamassassin: 1.5
}

const t = (code: string, params?: Record<string, TextParam | undefined>): Text =>
  text(`precheck:${code}`, params)

function check(
  id: PrecheckCheckId,
  status: PrecheckStatus,
  detail: Text,
  fix: Text | null,
  sources: string[],
  items: Text[] = []
): PrecheckCheck {
  return { id, status, detail, fix, items, weight: WEIGHTS[id], sources }
}

export const orgOf = (d: string | undefined | null): string | undefined =>
  d ? (getDomain(d.toLowerCase()) ?? d.toLowerCase()) : undefined

// ---------------------------------------------------------------------------------------------------------------
// Authentication

function dkimProblem(d: DkimCheck): { detail: Text; fix: Text; status: PrecheckStatus } {
  const name = `${d.selector ?? '?'}._domainkey.${d.domain ?? '?'}`
  const p = { domain: d.domain ?? '?', selector: d.selector ?? '?', name }
  if (d.state === 'could_not_check' || d.state === 'not_checked')
    return { status: 'unknown', detail: t('dkim.dnsError', p), fix: t('fix.retryDns') }
  if (d.keyFound === false)
    return { status: 'fail', detail: t('dkim.noKey', p), fix: t('fix.dkimPublish', p) }
  if (d.bodyHash === 'fail') return { status: 'fail', detail: t('dkim.bodyHash', p), fix: t('fix.dkimBody') }
  if (d.state === 'warn') return { status: 'warn', detail: t('dkim.expired', p), fix: t('fix.dkimResign') }
  if (d.result === 'policy')
    return { status: 'fail', detail: t('dkim.weakKey', p), fix: t('fix.dkimKeySize', p) }
  if (d.signature === 'fail')
    return { status: 'fail', detail: t('dkim.badSignature', p), fix: t('fix.dkimKeyMismatch', p) }
  return {
    status: 'fail',
    detail: t('dkim.failOther', { ...p, result: d.result }),
    fix: t('fix.dkimKeyMismatch', p)
  }
}

export function dkimCheck(auth: AuthCheck, fromDomain: string | null): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo, SOURCES.rfc6376]
  const sigs = auth.dkim
  const items = sigs.map((d) =>
    t('dkim.item', {
      domain: d.domain ?? '?',
      selector: d.selector ?? '?',
      result: d.result,
      bits: d.keyBits
    })
  )
  if (auth.headersOnly)
    return check('dkim', 'unknown', t('dkim.headersOnly'), t('fix.wholeMessage'), src, items)
  if (sigs.length === 0)
    return check('dkim', 'fail', t('dkim.none'), t('fix.dkimSign', { domain: orgOf(fromDomain) ?? '?' }), src)
  const pass = sigs.find((d) => d.state === 'pass')
  if (pass) {
    const weak = pass.keyBits !== undefined && pass.algorithm?.startsWith('rsa') && pass.keyBits < 2048
    return check(
      'dkim',
      weak ? 'warn' : 'pass',
      t(weak ? 'dkim.passWeak' : 'dkim.pass', {
        domain: pass.domain ?? '?',
        selector: pass.selector ?? '?',
        bits: pass.keyBits
      }),
      weak ? t('fix.dkimKeySize', { domain: pass.domain ?? '?' }) : null,
      src,
      items
    )
  }
  // Nothing passed: report the most informative problem (a definite failure before a DNS error).
  const problems = sigs.map(dkimProblem)
  const worst =
    problems.find((p) => p.status === 'fail') ?? problems.find((p) => p.status === 'warn') ?? problems[0]
  return check('dkim', worst.status, worst.detail, worst.fix, src, items)
}

export interface SpfContext {
  ip: string | null
  mailFrom: string | null
  mailFromAssumed: boolean
}

export function spfCheck(auth: AuthCheck, c: SpfContext): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo, SOURCES.rfc7208]
  const items = c.mailFromAssumed && c.mailFrom ? [t('spf.assumed', { mailFrom: c.mailFrom })] : []
  if (!c.ip) return check('spf', 'unknown', t('spf.noIp'), t('fix.giveIp'), src, items)
  if (!c.mailFrom) return check('spf', 'unknown', t('spf.noIdentity'), t('fix.returnPath'), src, items)
  const s = auth.spf
  const domain = s.domain ?? c.mailFrom.split('@').pop() ?? '?'
  const p = { ip: c.ip, domain, result: s.result }
  if (s.record) items.push(t('spf.record', { record: s.record }))
  switch (s.state) {
    case 'pass':
      return check('spf', 'pass', t('spf.pass', p), null, src, items)
    case 'warn':
      return check('spf', 'warn', t('spf.weak', p), t('fix.spfAdd', p), src, items)
    case 'none':
      return check('spf', 'fail', t('spf.none', p), t('fix.spfPublish', p), src, items)
    case 'fail':
      return s.result === 'permerror'
        ? check('spf', 'fail', t('spf.permerror', p), t('fix.spfRepair', p), src, items)
        : check('spf', 'fail', t('spf.fail', p), t('fix.spfAdd', p), src, items)
    default:
      return check('spf', 'unknown', t('spf.dnsError', p), t('fix.retryDns'), src, items)
  }
}

export function dmarcCheck(auth: AuthCheck, fromDomain: string | null): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo, SOURCES.rfc7489]
  const d = auth.dmarc
  if (!fromDomain) return check('dmarc', 'fail', t('dmarc.noFrom'), t('fix.singleFrom'), src)
  const p = { domain: fromDomain, org: d.orgDomain ?? orgOf(fromDomain) ?? fromDomain, p: d.p ?? '?' }
  const items = d.record ? [t('dmarc.record', { record: d.record })] : []
  if (d.record) {
    // Gmail and Yahoo require a record for bulk senders; p=none is enough for them, enforcement is the goal.
    return d.p === 'none'
      ? check('dmarc', 'pass', t('dmarc.monitoring', p), t('fix.dmarcEnforce', p), src, items)
      : check('dmarc', 'pass', t('dmarc.policy', p), null, src, items)
  }
  if (d.state === 'none') return check('dmarc', 'fail', t('dmarc.none', p), t('fix.dmarcPublish', p), src)
  return check('dmarc', 'unknown', t('dmarc.dnsError', p), t('fix.retryDns'), src)
}

export function alignmentCheck(auth: AuthCheck, fromDomain: string | null): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo, SOURCES.rfc7489]
  if (!fromDomain) return check('alignment', 'fail', t('dmarc.noFrom'), t('fix.singleFrom'), src)
  const from = orgOf(fromDomain)
  // Relaxed alignment (RFC 7489 §3.1) unless the record asks for strict; mailauth computed DKIM's per signature.
  const dkimAligned = auth.dkim.filter((d) => d.state === 'pass' && d.aligned)
  const spfStrict = auth.dmarc.alignment.spfStrict
  const spfAligned =
    auth.spf.state === 'pass' &&
    !!auth.spf.domain &&
    (spfStrict ? auth.spf.domain.toLowerCase() === fromDomain : orgOf(auth.spf.domain) === from)
  const p = {
    domain: fromDomain,
    spfDomain: auth.spf.domain ?? '?',
    dkimDomain: dkimAligned[0]?.domain ?? '?'
  }
  const items: Text[] = []
  if (dkimAligned.length) items.push(t('alignment.dkim', p))
  if (spfAligned) items.push(t('alignment.spf', p))
  if (dkimAligned.length && spfAligned)
    return check('alignment', 'pass', t('alignment.both', p), null, src, items)
  if (dkimAligned.length) {
    // SPF undecided (no IP given) is not a failure of alignment: DKIM alone already aligns.
    const spfUnknown = auth.spf.state === 'not_checked' || auth.spf.state === 'could_not_check'
    return check(
      'alignment',
      'pass',
      t(spfUnknown ? 'alignment.dkimOnlySpfUnknown' : 'alignment.dkimOnly', p),
      spfUnknown ? null : t('fix.spfAlign', p),
      src,
      items
    )
  }
  if (spfAligned)
    return check('alignment', 'warn', t('alignment.spfOnly', p), t('fix.dkimAlign', p), src, items)
  const undecided =
    auth.spf.state === 'not_checked' ||
    auth.spf.state === 'could_not_check' ||
    auth.dkim.some((d) => d.state === 'not_checked' || d.state === 'could_not_check')
  if (undecided)
    return check('alignment', 'unknown', t('alignment.undecided', p), t('fix.giveIp'), src, items)
  return check('alignment', 'fail', t('alignment.none', p), t('fix.align', p), src, items)
}

// ---------------------------------------------------------------------------------------------------------------
// Headers and content

const header = (headers: HeaderField[], name: string) =>
  headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value

/** Lint findings that belong to other checks: unsubscribe to `unsubscribe`, alignment to `alignment`. */
const UNSUB_IDS: Record<string, { code: string; status: PrecheckStatus }> = {
  'content.list-unsubscribe-no-https': { code: 'unsub.noHttps', status: 'fail' },
  'content.one-click-missing': { code: 'unsub.noPost', status: 'fail' },
  'content.list-unsubscribe-unsigned': { code: 'unsub.unsigned', status: 'warn' },
  'content.list-unsubscribe-missing': { code: 'unsub.missing', status: 'fail' }
}
/** Content-lint finding ids (core/fix/content-lint.ts) with a translated title in the precheck namespace. */
const LINT_KEYS = new Set([
  'url-shortener',
  'link-heavy',
  'image-only',
  'no-text-part',
  'spammy-phrases',
  'subject-caps'
])
const ALIGNMENT_IDS = new Set(['content.dmarc-unaligned', 'content.dkim-unaligned', 'content.spf-unaligned'])

export function unsubscribeCheck(headers: HeaderField[], lint: Finding[]): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo, SOURCES.rfc8058]
  const listUnsub = header(headers, 'List-Unsubscribe')
  if (!listUnsub) {
    const bulk =
      !!header(headers, 'List-Id') || /^\s*(bulk|list|junk)\s*$/i.test(header(headers, 'Precedence') ?? '')
    return check(
      'unsubscribe',
      bulk ? 'fail' : 'warn',
      t(bulk ? 'unsub.missing' : 'unsub.missingMaybe'),
      t('fix.unsubAdd'),
      src
    )
  }
  const problems = lint.filter((f) => UNSUB_IDS[f.id])
  const items = [t('unsub.header', { value: listUnsub })]
  if (problems.length === 0) return check('unsubscribe', 'pass', t('unsub.pass'), null, src, items)
  const status = problems.some((f) => UNSUB_IDS[f.id].status === 'fail') ? 'fail' : 'warn'
  for (const f of problems) items.push(t(UNSUB_IDS[f.id].code))
  return check(
    'unsubscribe',
    status,
    t('unsub.problems', { count: problems.length }),
    t('fix.unsubOneClick'),
    src,
    items
  )
}

/** TLS on the hops the file already went through (RFC 3848 `with ESMTPS`, or a version/cipher comment). */
export function tlsCheck(headers: HeaderField[]): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.rfc3848]
  const hops = headers
    .filter((h) => h.name.toLowerCase() === 'received')
    .map((h, i) => parseReceived(h.value, i).hop)
    .filter((h) => !h.local)
  const known = hops.filter((h) => h.tls.used !== null)
  if (known.length === 0) return check('tls', 'unknown', t('tls.unknown'), t('fix.tlsEnable'), src)
  const plain = known.filter((h) => h.tls.used === false)
  const items = known.map((h) =>
    t(h.tls.used ? 'tls.hopTls' : 'tls.hopPlain', {
      by: h.by?.host ?? h.by?.ip ?? '?',
      protocol: h.protocol ?? h.with ?? '?',
      version: h.tls.version
    })
  )
  if (plain.length === 0) return check('tls', 'pass', t('tls.pass', { hops: known.length }), null, src, items)
  return check(
    'tls',
    'warn',
    t('tls.plain', { hops: plain.length, total: known.length }),
    t('fix.tlsEnable'),
    src,
    items
  )
}

export function ptrCheck(ip: string | null, report: PtrReport | undefined): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo]
  if (!ip) return check('ptr', 'unknown', t('ptr.noIp'), t('fix.giveIp'), src)
  if (!report || report.state === 'could_not_check' || report.state === 'not_checked')
    return check('ptr', 'unknown', t('ptr.dnsError', { ip }), t('fix.retryDns'), src)
  const items = report.names.map((n) => t('ptr.name', { name: n }))
  if (report.confirmedName)
    return check('ptr', 'pass', t('ptr.pass', { ip, name: report.confirmedName }), null, src, items)
  if (report.names.length === 0)
    return check('ptr', 'fail', t('ptr.missing', { ip }), t('fix.ptrSet', { ip }), src)
  return check(
    'ptr',
    'fail',
    t('ptr.unconfirmed', { ip, name: report.names[0] }),
    t('fix.ptrForward', { ip, name: report.names[0] }),
    src,
    items
  )
}

export interface DayRates {
  key: string
  complaints: number
  sent: number | null
}

/** Gmail and Yahoo: keep the spam rate under 0.3%, aim under 0.1% (core/hygiene/rates.ts THRESHOLDS). */
export function complaintCheck(
  days: DayRates[],
  now: Date,
  thresholds: { complaintMax: number; complaintAim: number },
  windowDays = 30
): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.yahoo]
  const since = new Date(now.getTime() - windowDays * 86400_000).toISOString().slice(0, 10)
  const known = days.filter((d) => d.key >= since && d.sent !== null && d.sent > 0)
  const sent = known.reduce((n, d) => n + (d.sent ?? 0), 0)
  if (sent === 0)
    return check('complaints', 'unknown', t('complaints.unknown'), t('fix.complaintsVolumes'), src)
  const complaints = known.reduce((n, d) => n + d.complaints, 0)
  const rate = complaints / sent
  const p = { rate: `${(rate * 100).toFixed(2)}%`, complaints, sent, days: known.length }
  const items = [t('complaints.arfNote')]
  if (rate >= thresholds.complaintMax)
    return check('complaints', 'fail', t('complaints.over', p), t('fix.complaintsLower'), src, items)
  if (rate >= thresholds.complaintAim)
    return check('complaints', 'warn', t('complaints.watch', p), t('fix.complaintsLower'), src, items)
  return check('complaints', 'pass', t('complaints.ok', p), null, src, items)
}

/** The content lint (core/fix/content-lint.ts) minus what the unsubscribe and alignment checks decide. */
export function contentCheck(lint: Finding[]): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.spamassassin]
  const own = lint.filter((f) => !UNSUB_IDS[f.id] && !ALIGNMENT_IDS.has(f.id))
  const items = own.map((f) => {
    if (f.titleText) return f.titleText
    const key = f.id.replace(/^content\./, '')
    // The quoted evidence (links, phrases, the subject) stays verbatim.
    const evidence = f.evidence
      .slice(0, 5)
      .map((e) => (e.start !== undefined && e.end !== undefined ? e.text.slice(e.start, e.end) : e.text))
      .join(', ')
    return LINT_KEYS.has(key)
      ? t(`lint.${key}`, { count: f.evidence.length, evidence })
      : t('lint.other', { title: f.title })
  })
  const status: PrecheckStatus = own.some((f) => f.severity === 'error' || f.severity === 'critical')
    ? 'fail'
    : own.some((f) => f.severity === 'warning')
      ? 'warn'
      : 'pass'
  if (own.length === 0) return check('content', 'pass', t('content.clean'), null, src)
  return check(
    'content',
    status,
    t('content.issues', { count: own.length }),
    status === 'pass' ? null : t('fix.content'),
    src,
    items
  )
}

/** The registrable domains of the message's links (http/https), sorted, at most `max`. */
export function linkDomains(textBody: string, html: string, max = 20): string[] {
  const out = new Set<string>()
  for (const u of extractUrls(textBody, html)) {
    let host: string
    try {
      const url = new URL(u)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue
      host = url.hostname.toLowerCase().replace(/\.$/, '')
    } catch {
      continue
    }
    // Domain lists (RFC 5782 §2.3, URIBL/SURBL/DBL) list registrable domains; IP-literal links are not theirs.
    if (/^[\d.]+$/.test(host) || host.includes(':')) continue
    const d = getDomain(host, { allowPrivateDomains: false }) ?? host
    if (d.includes('.')) out.add(d)
  }
  return [...out].sort().slice(0, max)
}

export type LinkScan = { reports: TargetReport[] } | { error: string }

export function linksCheck(domains: string[], scan: LinkScan | null): PrecheckCheck {
  const src = [SOURCES.gmail, SOURCES.spamassassin]
  if (domains.length === 0) return check('links', 'pass', t('links.none'), null, src)
  if (!scan) return check('links', 'unknown', t('links.notRun'), t('fix.retryDns'), src)
  if ('error' in scan)
    return check('links', 'unknown', t('links.error', { detail: scan.error }), t('fix.retryDns'), src)
  const listed = scan.reports.filter((r) => r.summary.listedOn.length > 0)
  const incomplete = scan.reports.filter(
    (r) => r.summary.refused + r.summary.unreliable + r.summary.error > 0 || r.results.length === 0
  )
  const items: Text[] = listed.map((r) =>
    t('links.listedItem', { domain: r.target, lists: r.summary.listedOn.join(', ') })
  )
  for (const r of incomplete)
    if (!listed.includes(r))
      items.push(
        t('links.incompleteItem', {
          domain: r.target,
          count: r.summary.refused + r.summary.unreliable + r.summary.error
        })
      )
  const lists = new Set(scan.reports.flatMap((r) => r.results.map((x) => x.list))).size
  if (listed.length)
    return check(
      'links',
      'fail',
      t('links.listed', { count: listed.length, total: domains.length }),
      t('fix.linksListed'),
      src,
      items
    )
  if (incomplete.length)
    return check(
      'links',
      'unknown',
      t('links.incomplete', { count: incomplete.length, total: domains.length }),
      t('fix.linksResolver'),
      src,
      items
    )
  return check(
    'links',
    'pass',
    t('links.clean', { count: domains.length, lists }),
    null,
    src,
    domains.map((d) => t('links.cleanItem', { domain: d }))
  )
}

export function spamassassinCheck(sa: SpamAssassinResult): PrecheckCheck {
  const src = [SOURCES.spamassassin]
  if (sa.status === 'skipped')
    return check(
      'spamassassin',
      'skipped',
      sa.reason ?? t('sa.notInstalled', { path: 'spamassassin' }),
      sa.reason?.code === 'precheck:sa.notInstalled' ? t('fix.saInstall') : null,
      src
    )
  if (sa.status === 'error' || sa.score === undefined || sa.required === undefined)
    return check('spamassassin', 'unknown', sa.reason ?? t('sa.failed', { detail: '' }), null, src)
  const p = { score: sa.score, required: sa.required, rules: sa.rules.length }
  if (sa.score >= sa.required) return check('spamassassin', 'fail', t('sa.spam', p), t('fix.saRules'), src)
  if (sa.score >= sa.required / 2)
    return check('spamassassin', 'warn', t('sa.borderline', p), t('fix.saRules'), src)
  return check('spamassassin', 'pass', t('sa.ham', p), null, src)
}

// ---------------------------------------------------------------------------------------------------------------
// Score

const CREDIT: Record<PrecheckStatus, number> = { pass: 1, warn: 0.5, fail: 0, unknown: 0, skipped: 0 }

/**
 * Points out of 10: each check's weight times its credit (pass 1, warn ½). A check that could not be decided or
 * was skipped earns nothing, so a score is never raised by what was not checked; `coverage` says how much was.
 */
export function scoreChecks(checks: PrecheckCheck[]): {
  score: number
  coverage: { checked: number; total: number }
} {
  const total = checks.reduce((n, c) => n + c.weight, 0)
  const earned = checks.reduce((n, c) => n + c.weight * CREDIT[c.status], 0)
  const checked = checks
    .filter((c) => c.status !== 'unknown' && c.status !== 'skipped')
    .reduce((n, c) => n + c.weight, 0)
  return {
    score: total ? Math.round((earned / total) * 100) / 10 : 0,
    coverage: { checked, total }
  }
}
