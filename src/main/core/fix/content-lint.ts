import { getDomain } from 'tldts'
import shortenerData from '../../../../resources/antispam/url-shorteners.json'
import phraseData from '../../../../resources/antispam/spam-phrases.json'
import type { HeaderField } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'

/**
 * Content lint of a parsed message: shared URL shorteners, link/text ratio, image-only HTML, missing text part,
 * commonly penalised phrases, From / Return-Path / DKIM d= organisational alignment (DMARC, RFC 7489 §3.1,
 * organisational domains via the Public Suffix List in tldts), and for bulk mail the List-Unsubscribe /
 * one-click List-Unsubscribe-Post headers (RFC 2369, RFC 8058) that Gmail and Yahoo require from bulk senders
 * since February 2024.
 */

export interface LintContentInput {
  headers: HeaderField[]
  text?: string
  html?: string
  fromDomain?: string
  returnPathDomain?: string
  dkimDomains?: string[]
  /** Force bulk-sender checks; otherwise inferred from List-Id / List-Unsubscribe / Precedence headers. */
  bulk?: boolean
}

const shorteners = new Set(shortenerData.hosts.map((h) => h.toLowerCase()))
const phrases = phraseData.phrases

function header(headers: HeaderField[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value
}

/** Visible text of HTML: drops style/script/head, comments and tags, decodes a few common entities. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&quot;/gi, '"')
    .replace(/\s+/g, ' ')
    .trim()
}

export function extractUrls(text: string, html: string): string[] {
  const urls = new Set<string>()
  for (const m of html.matchAll(/\bhref\s*=\s*["']?([^"'\s>]+)/gi)) urls.add(m[1])
  for (const m of `${text} ${html}`.matchAll(/\bhttps?:\/\/[^\s"'<>)\]]+/gi)) urls.add(m[0])
  return [...urls]
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

const org = (d: string | undefined): string | undefined =>
  d ? (getDomain(d.toLowerCase()) ?? d.toLowerCase()) : undefined

export function lintContent(input: LintContentInput): Finding[] {
  const findings: Finding[] = []
  const html = input.html ?? ''
  const text = input.text ?? ''
  const visible = html ? htmlToText(html) : text
  const urls = extractUrls(text, html)

  const short = urls.filter((u) => {
    const h = hostOf(u)
    return h !== undefined && (shorteners.has(h) || shorteners.has(h.replace(/^www\./, '')))
  })
  if (short.length) {
    findings.push({
      id: 'content.url-shortener',
      severity: 'warning',
      title: `Links use a public URL shortener (${short.length})`,
      detail: `Shared shorteners inherit the reputation of every spammer who uses them and hide the destination; filters score them (SpamAssassin HAS_SHORT_URL, Rspamd REDIRECTOR_URL).\n${short.join('\n')}`,
      evidence: short.map((u) => ({ source: 'body', text: u })),
      fix: 'Link directly to your own domain (or a branded short domain you control).',
      remedy: 'content-lint'
    })
  }

  const words = visible.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
  const links = html ? [...html.matchAll(/<a\b[^>]*\bhref=/gi)].length : urls.length
  if (links >= 3 && words / links < 10) {
    findings.push({
      id: 'content.link-heavy',
      severity: 'warning',
      title: 'Many links for little text',
      detail: `${links} links and ${words} words (${(words / links).toFixed(1)} words per link). Link-heavy mail with little text looks like spam to content filters.`,
      evidence: [],
      fix: 'Add real text and drop unnecessary links.'
    })
  }

  const images = [...html.matchAll(/<img\b/gi)].length
  if (images > 0 && visible.length < 200) {
    findings.push({
      id: 'content.image-only',
      severity: 'warning',
      title: 'The message is mostly images',
      detail: `${images} image(s) and only ${visible.length} characters of text. Filters cannot read images and penalise image-only mail (SpamAssassin HTML_IMAGE_ONLY_*, HTML_IMAGE_RATIO_*).`,
      evidence: [],
      fix: 'Put the message in HTML text with images as support, and add alt text.'
    })
  }
  if (html && !text.trim()) {
    findings.push({
      id: 'content.no-text-part',
      severity: 'info',
      title: 'No plain-text alternative',
      detail: 'The message has an HTML part but no text/plain alternative (SpamAssassin MIME_HTML_ONLY).',
      evidence: [],
      fix: 'Send multipart/alternative with a text part that says the same as the HTML.'
    })
  }

  const lower = `${header(input.headers, 'Subject') ?? ''}\n${visible}`.toLowerCase()
  const hits = phrases.filter((p) =>
    new RegExp(`(^|[^\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(lower)
  )
  if (hits.length) {
    findings.push({
      id: 'content.spammy-phrases',
      severity: hits.length >= 3 ? 'warning' : 'info',
      title: `Phrases often penalised by spam filters (${hits.length})`,
      detail: `${hits.join(', ')}. On their own they rarely decide; together with weak authentication or reputation they add up.`,
      evidence: hits.map((h) => {
        const i = visible.toLowerCase().indexOf(h)
        return i >= 0
          ? { source: 'body', text: visible, start: i, end: i + h.length }
          : { source: 'Subject', text: h }
      }),
      fix: 'Rephrase in plain, specific language.'
    })
  }
  const subject = header(input.headers, 'Subject') ?? ''
  if (subject.replace(/[^A-Za-z]/g, '').length >= 8 && subject === subject.toUpperCase()) {
    findings.push({
      id: 'content.subject-caps',
      severity: 'info',
      title: 'Subject in capitals only',
      detail: 'All-caps subjects are scored by filters (SpamAssassin SUBJ_ALL_CAPS).',
      evidence: [{ source: 'Subject', text: subject }]
    })
  }

  // DMARC alignment is decided per organisational domain under relaxed mode (RFC 7489 §3.1.1, §3.1.2).
  const fromOrg = org(input.fromDomain)
  if (fromOrg) {
    const spfAligned = org(input.returnPathDomain) === fromOrg
    const dkimAligned = (input.dkimDomains ?? []).some((d) => org(d) === fromOrg)
    if (!spfAligned && !dkimAligned) {
      findings.push({
        id: 'content.dmarc-unaligned',
        severity: 'error',
        title: 'Neither SPF nor DKIM can align with the From domain',
        detail: `From: ${input.fromDomain}; Return-Path: ${input.returnPathDomain ?? 'none'}; DKIM d=: ${(input.dkimDomains ?? []).join(', ') || 'none'}. DMARC needs at least one aligned pass, so this message fails DMARC wherever the From domain publishes a policy.`,
        evidence: [],
        fix: `Sign with DKIM d=${fromOrg} (or a subdomain) at the sending service, or use a custom return-path under ${fromOrg}.`,
        remedy: 'dmarc-planner'
      })
    } else if (!dkimAligned) {
      findings.push({
        id: 'content.dkim-unaligned',
        severity: 'warning',
        title: 'DKIM does not align with the From domain',
        detail: `Only SPF aligns (${input.returnPathDomain}). SPF breaks when mail is forwarded; an aligned DKIM signature survives forwarding.`,
        evidence: [],
        fix: `Sign with d=${fromOrg} at the sending service.`,
        remedy: 'dkim-keygen'
      })
    } else if (!spfAligned && input.returnPathDomain) {
      findings.push({
        id: 'content.spf-unaligned',
        severity: 'info',
        title: 'SPF does not align with the From domain',
        detail: `The envelope domain (${input.returnPathDomain}) belongs to another organisation; DMARC relies on DKIM alone. Microsoft's and Gmail's bulk rules expect SPF to pass too.`,
        evidence: [],
        fix: `Configure a custom return-path (bounce) domain under ${fromOrg} at the sending service.`
      })
    }
  }

  const listUnsub = header(input.headers, 'List-Unsubscribe')
  const listUnsubPost = header(input.headers, 'List-Unsubscribe-Post')
  const precedence = header(input.headers, 'Precedence') ?? ''
  const bulk =
    input.bulk ??
    Boolean(listUnsub || header(input.headers, 'List-Id') || /^(bulk|list|junk)$/i.test(precedence.trim()))
  if (bulk) {
    if (!listUnsub) {
      findings.push({
        id: 'content.list-unsubscribe-missing',
        severity: 'error',
        title: 'Bulk mail without List-Unsubscribe',
        detail:
          'Gmail and Yahoo require bulk senders (5,000+ messages a day) to offer one-click unsubscribe with List-Unsubscribe and List-Unsubscribe-Post (RFC 8058), and to honour it within two days.',
        evidence: [],
        fix: 'Add List-Unsubscribe: <https://example.com/unsub?id=...> and List-Unsubscribe-Post: List-Unsubscribe=One-Click, and sign both with DKIM.'
      })
    } else {
      const hasHttps = /<https:\/\/[^>]+>/i.test(listUnsub)
      if (!hasHttps)
        findings.push({
          id: 'content.list-unsubscribe-no-https',
          severity: 'warning',
          title: 'List-Unsubscribe has no HTTPS URI',
          detail:
            'One-click unsubscribe (RFC 8058 §3.1) needs an https URI in List-Unsubscribe; a mailto: alone does not qualify.',
          evidence: [{ source: 'List-Unsubscribe', text: listUnsub }],
          fix: 'Add an https unsubscribe URI that accepts a POST.'
        })
      if (!listUnsubPost || !/^\s*List-Unsubscribe=One-Click\s*$/i.test(listUnsubPost))
        findings.push({
          id: 'content.one-click-missing',
          severity: 'warning',
          title: 'One-click unsubscribe header missing',
          detail:
            'List-Unsubscribe-Post: List-Unsubscribe=One-Click is required for one-click unsubscribe (RFC 8058 §3.1) and by Gmail/Yahoo bulk sender rules.',
          evidence: listUnsubPost ? [{ source: 'List-Unsubscribe-Post', text: listUnsubPost }] : [],
          fix: 'Add the header exactly: List-Unsubscribe-Post: List-Unsubscribe=One-Click'
        })
      const sigs = input.headers.filter((h) => h.name.toLowerCase() === 'dkim-signature')
      const covered = sigs.some((s) => {
        const h = /\bh=([^;]+)/i.exec(s.value)?.[1] ?? ''
        const names = h.split(':').map((x) => x.trim().toLowerCase())
        return (
          names.includes('list-unsubscribe') && (!listUnsubPost || names.includes('list-unsubscribe-post'))
        )
      })
      if (sigs.length && !covered)
        findings.push({
          id: 'content.list-unsubscribe-unsigned',
          severity: 'warning',
          title: 'List-Unsubscribe headers are not covered by DKIM',
          detail:
            'RFC 8058 §4 requires a valid DKIM signature that covers List-Unsubscribe and List-Unsubscribe-Post, so a forwarder cannot inject an unsubscribe link.',
          evidence: [],
          fix: 'Add both headers to the signed header list (h=) of the DKIM signer.'
        })
    }
  }
  return findings
}
