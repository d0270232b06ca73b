import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { renderText } from '../text/render'
import { SaidError } from '../text/said-error'
import type { FixRequest, FixOutput, ReportLanguage } from '../../../shared/schemas/workflow'
import type { DnsClient } from '../dns/types'
import { checkSpf } from '../domain'
import {
  buildSpf,
  enhancedFilteringFix,
  exchangeAnonymousRelay,
  exchangeOnlineConnector,
  generateDkimKey,
  lintContent,
  microsoftDkimCnames,
  planDmarc,
  postfixRelayFix,
  reverseDnsRequest,
  warningsOf
} from '../fix'
import { parseMessage, type ParsedMessage } from '../mime'

/**
 * The fix generators behind `fix.generate`: input validated by the contract, DNS injected, output in the stored
 * shape (FixOutput). The DKIM private key is handed back separately so the caller can keep it out of storage.
 */

export interface GeneratorDeps {
  /** The reader's language, for what the admin sends on as written (the letter to an IP provider). */
  language?: ReportLanguage
  client(): DnsClient
  lintEvidence(id: number): Promise<{ name: string; findings: Finding[] }>
  caseEvidence(): number[]
}

/** A client that answers `domain` TXT with `record` and asks the real DNS for everything else. */
export function withCandidateSpf(client: DnsClient, domain: string, record: string): DnsClient {
  const name = domain.toLowerCase().replace(/\.$/, '')
  return {
    async query(n, type) {
      if (type === 'TXT' && n.toLowerCase().replace(/\.$/, '') === name)
        return { status: 'ok', name: n, type, records: [[record]], ms: 0 }
      return client.query(n, type)
    }
  }
}

/**
 * ip4:/ip6: terms an include expands to (RFC 7208 §5.2), following nested include/redirect and resolving a/mx,
 * for the flattened alternative. DNS failures throw: a partial flattening would silently drop senders.
 */
export async function resolveIncludeIps(
  client: DnsClient,
  domain: string,
  depth = 0,
  seen = new Set<string>()
): Promise<string[]> {
  if (depth > 10) throw new Error(`too many nested includes below ${domain}`)
  const d = domain.toLowerCase()
  if (seen.has(d)) return []
  seen.add(d)
  const txt = await client.query(d, 'TXT')
  if (txt.status !== 'ok') throw new Error(`${d} TXT: ${txt.status}`)
  const record = txt.records
    .map((r) => (Array.isArray(r) ? r.join('') : String(r)))
    .find((r) => /^v=spf1(\s|$)/i.test(r))
  if (!record) throw new Error(`${d} has no SPF record`)
  const out: string[] = []
  const addrs = async (host: string) => {
    for (const type of ['A', 'AAAA'] as const) {
      const a = await client.query(host, type)
      if (a.status === 'ok')
        for (const ip of a.records) out.push(`${type === 'A' ? 'ip4' : 'ip6'}:${String(ip)}`)
      else if (a.status !== 'nodata' && a.status !== 'nxdomain')
        throw new Error(`${host} ${type}: ${a.status}`)
    }
  }
  for (const raw of record.split(/\s+/).slice(1)) {
    const term = raw.replace(/^[+]/, '')
    if (/^[-~?]/.test(term)) continue
    const [mech, arg] = term.split(/[:=]/, 2)
    const m = mech.toLowerCase()
    if (m === 'ip4' || m === 'ip6') out.push(term)
    else if (m === 'include' || m === 'redirect')
      out.push(...(await resolveIncludeIps(client, arg, depth + 1, seen)))
    else if (m === 'a') await addrs((arg ?? d).split('/')[0])
    else if (m === 'mx') {
      const mx = await client.query((arg ?? d).split('/')[0], 'MX')
      if (mx.status === 'ok') for (const r of mx.records) await addrs((r as { exchange: string }).exchange)
    } else if (m === 'exists' || m === 'ptr') throw new Error(`${raw} in ${d} cannot be flattened`)
  }
  return [...new Set(out)]
}

const headerValue = (msg: ParsedMessage, name: string) =>
  msg.headers.find((h) => h.name.toLowerCase() === name)?.value
const domainOfAddress = (v: string | undefined) => {
  const m = /@([^>\s]+)>?\s*$/.exec(v ?? '')
  return m ? m[1].toLowerCase() : undefined
}

/**
 * Content lint of one stored message. For a bounce the returned original is linted (its headers, and its body
 * when the bounce kept it); the bounce's own text is the MTA's, not the sender's content.
 */
export async function lintMessage(bytes: Uint8Array): Promise<Finding[]> {
  let msg = await parseMessage(bytes)
  const ctype = (headerValue(msg, 'content-type') ?? '').toLowerCase()
  if (ctype.includes('multipart/report')) {
    const original = msg.attachments.find(
      (a) => /^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)$/i.test(a.mimeType) && a.content
    )
    if (!original?.content) return []
    msg = await parseMessage(original.content)
  }
  if (msg.headers.length === 0) return []
  const dkimDomains = msg.headers
    .filter((h) => h.name.toLowerCase() === 'dkim-signature')
    .map((h) => /(?:^|;)\s*d\s*=\s*([^;\s]+)/i.exec(h.value)?.[1]?.toLowerCase())
    .filter((d): d is string => !!d)
  return lintContent({
    headers: msg.headers,
    text: msg.headersOnly ? undefined : msg.text,
    html: msg.headersOnly ? undefined : msg.html,
    fromDomain: msg.from?.address ? msg.from.address.split('@').pop()!.toLowerCase() : undefined,
    returnPathDomain: domainOfAddress(headerValue(msg, 'return-path')),
    dkimDomains
  })
}

/** Warnings of several generator parts, with their Texts when every part that warns gave them. */
function warningsFrom(...parts: { warnings: string[]; warningTexts?: Text[] }[]) {
  return warningsOf(parts.flatMap((p) => p.warnings.map((w, i) => p.warningTexts?.[i] ?? w)))
}

export async function runGenerator(
  req: FixRequest,
  deps: GeneratorDeps
): Promise<{ title: string; titleText: Text; output: FixOutput; privateKeyPem?: string }> {
  const r = await generate(req, deps)
  // The title is stored with the output as a Text too, so every reader sees it in their own language.
  return { ...r, title: renderText('en', r.titleText), output: { titleText: r.titleText, ...r.output } }
}

async function generate(
  req: FixRequest,
  deps: GeneratorDeps
): Promise<{ titleText: Text; output: FixOutput; privateKeyPem?: string }> {
  switch (req.kind) {
    case 'spf': {
      const i = req.input
      const client = i.live ? deps.client() : undefined
      const domain = i.domain ?? 'spf-candidate.invalid'
      const r = await buildSpf({
        ...i,
        lookupCounter: client
          ? async (record) => {
              const { report } = await checkSpf({ domain, client: withCandidateSpf(client, domain, record) })
              if (report.state === 'could_not_check') throw new Error('DNS did not answer for every include')
              return report.lookupCount
            }
          : undefined,
        includeResolver: client ? (d) => resolveIncludeIps(client, d) : undefined
      })
      return {
        titleText: text(i.domain ? 'findings:generator.spfFor' : 'findings:generator.spf', {
          domain: i.domain
        }),
        output: {
          snippets: r.flattened ? [r.snippet, r.flattened] : [r.snippet],
          ...warningsFrom(r),
          lookups: r.lookups
        }
      }
    }
    case 'dmarc': {
      const { adkim, aspf, ...rest } = req.input
      const plan = planDmarc({ ...rest, alignment: { adkim, aspf } })
      return {
        titleText: text('findings:generator.dmarc', { domain: plan.domain }),
        output: { snippets: plan.snippets, ...warningsFrom(plan), stages: plan.stages }
      }
    }
    case 'dkim': {
      const k = generateDkimKey(req.input)
      return {
        titleText: text('findings:generator.dkim', {
          name: `${k.selector}._domainkey.${k.domain}`,
          algorithm: k.algorithm === 'ed25519' ? 'Ed25519' : 'RSA 2048'
        }),
        output: { snippets: k.snippets, ...warningsFrom(k) },
        privateKeyPem: k.privateKeyPem
      }
    }
    case 'm365-dkim': {
      const s = microsoftDkimCnames(req.input)
      return {
        titleText: text('findings:generator.m365Dkim', { domain: req.input.domain }),
        output: { snippets: [s], ...warningsFrom(s) }
      }
    }
    case 'postfix-relay': {
      const s = postfixRelayFix(req.input)
      return {
        titleText: text('findings:generator.postfixRelay'),
        output: { snippets: s, ...warningsFrom(...s) }
      }
    }
    case 'exchange-relay': {
      const s = exchangeAnonymousRelay(req.input)
      return {
        titleText: text('findings:generator.exchangeRelay', { server: req.input.server }),
        output: { snippets: [s], ...warningsFrom(s) }
      }
    }
    case 'exo-connector': {
      const s = exchangeOnlineConnector(req.input)
      return {
        titleText: text('findings:generator.exoConnector', { name: req.input.name }),
        output: { snippets: [s], ...warningsFrom(s) }
      }
    }
    case 'enhanced-filtering': {
      const s = enhancedFilteringFix(req.input)
      return {
        titleText: text('findings:generator.enhancedFiltering', { connector: req.input.connector }),
        output: { snippets: [s], ...warningsFrom(s) }
      }
    }
    case 'reverse-dns': {
      const s = reverseDnsRequest({ ...req.input, language: deps.language })
      return {
        titleText: text('findings:generator.reverseDns', { ip: req.input.ip, hostname: req.input.hostname }),
        output: { snippets: s, ...warningsFrom(...s) }
      }
    }
    case 'content-lint': {
      const ids = req.input.evidenceId ? [req.input.evidenceId] : deps.caseEvidence()
      if (ids.length === 0) throw new SaidError(text('fixgen:lint.noMessage'))
      const all: Finding[] = []
      const names: string[] = []
      for (const id of ids) {
        const r = await deps.lintEvidence(id)
        names.push(r.name)
        for (const f of r.findings) if (!all.some((x) => x.id === f.id)) all.push(f)
      }
      return {
        titleText: text('findings:generator.contentLint', { names: names.join(', ') }),
        output: { snippets: [], warnings: [], findings: all }
      }
    }
  }
}
