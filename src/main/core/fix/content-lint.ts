import { getDomain } from 'tldts'
import shortenerData from '../../../../resources/antispam/url-shorteners.json'
import phraseData from '../../../../resources/antispam/spam-phrases.json'
import type { HeaderField } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text } from '../../../shared/text'
import { textFinding } from '../text/finding'

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
  const plain = input.text ?? ''
  const visible = html ? htmlToText(html) : plain
  const urls = extractUrls(plain, html)

  const short = urls.filter((u) => {
    const h = hostOf(u)
    return h !== undefined && (shorteners.has(h) || shorteners.has(h.replace(/^www\./, '')))
  })
  if (short.length) {
    findings.push(
      textFinding({
        id: 'content.url-shortener',
        severity: 'warning',
        title: text('lint:shortener.title', { count: short.length }),
        detail: [text('lint:shortener.detail'), text('lint:list', { items: short.join('\n') })],
        evidence: short.map((u) => ({ source: 'body', text: u })),
        fix: text('lint:shortener.fix'),
        remedy: 'content-lint'
      })
    )
  }

  const words = visible.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
  const links = html ? [...html.matchAll(/<a\b[^>]*\bhref=/gi)].length : urls.length
  if (links >= 3 && words / links < 10) {
    findings.push(
      textFinding({
        id: 'content.link-heavy',
        severity: 'warning',
        title: text('lint:linkHeavy.title'),
        detail: text('lint:linkHeavy.detail', { links, words, ratio: (words / links).toFixed(1) }),
        fix: text('lint:linkHeavy.fix')
      })
    )
  }

  const images = [...html.matchAll(/<img\b/gi)].length
  if (images > 0 && visible.length < 200) {
    findings.push(
      textFinding({
        id: 'content.image-only',
        severity: 'warning',
        title: text('lint:imageOnly.title'),
        detail: text('lint:imageOnly.detail', { images, chars: visible.length }),
        fix: text('lint:imageOnly.fix')
      })
    )
  }
  if (html && !plain.trim()) {
    findings.push(
      textFinding({
        id: 'content.no-text-part',
        severity: 'info',
        title: text('lint:noTextPart.title'),
        detail: text('lint:noTextPart.detail'),
        fix: text('lint:noTextPart.fix')
      })
    )
  }

  const lower = `${header(input.headers, 'Subject') ?? ''}\n${visible}`.toLowerCase()
  const hits = phrases.filter((p) =>
    new RegExp(`(^|[^\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(lower)
  )
  if (hits.length) {
    findings.push(
      textFinding({
        id: 'content.spammy-phrases',
        severity: hits.length >= 3 ? 'warning' : 'info',
        title: text('lint:phrases.title', { count: hits.length }),
        detail: text('lint:phrases.detail', { phrases: hits.join(', ') }),
        evidence: hits.map((h) => {
          const i = visible.toLowerCase().indexOf(h)
          return i >= 0
            ? { source: 'body', text: visible, start: i, end: i + h.length }
            : { source: 'Subject', text: h }
        }),
        fix: text('lint:phrases.fix')
      })
    )
  }
  const subject = header(input.headers, 'Subject') ?? ''
  if (subject.replace(/[^A-Za-z]/g, '').length >= 8 && subject === subject.toUpperCase()) {
    findings.push(
      textFinding({
        id: 'content.subject-caps',
        severity: 'info',
        title: text('lint:subjectCaps.title'),
        detail: text('lint:subjectCaps.detail'),
        evidence: [{ source: 'Subject', text: subject }]
      })
    )
  }

  // DMARC alignment is decided per organisational domain under relaxed mode (RFC 7489 §3.1.1, §3.1.2).
  const fromOrg = org(input.fromDomain)
  if (fromOrg) {
    const spfAligned = org(input.returnPathDomain) === fromOrg
    const dkimAligned = (input.dkimDomains ?? []).some((d) => org(d) === fromOrg)
    if (!spfAligned && !dkimAligned) {
      findings.push(
        textFinding({
          id: 'content.dmarc-unaligned',
          severity: 'error',
          title: text('lint:dmarcUnaligned.title'),
          detail: text('lint:dmarcUnaligned.detail', {
            from: input.fromDomain,
            returnPath: input.returnPathDomain ?? text('lint:none'),
            dkim: (input.dkimDomains ?? []).join(', ') || text('lint:none')
          }),
          fix: text('lint:dmarcUnaligned.fix', { org: fromOrg }),
          remedy: 'dmarc-planner'
        })
      )
    } else if (!dkimAligned) {
      findings.push(
        textFinding({
          id: 'content.dkim-unaligned',
          severity: 'warning',
          title: text('lint:dkimUnaligned.title'),
          detail: text('lint:dkimUnaligned.detail', { returnPath: input.returnPathDomain }),
          fix: text('lint:dkimUnaligned.fix', { org: fromOrg }),
          remedy: 'dkim-keygen'
        })
      )
    } else if (!spfAligned && input.returnPathDomain) {
      findings.push(
        textFinding({
          id: 'content.spf-unaligned',
          severity: 'info',
          title: text('lint:spfUnaligned.title'),
          detail: text('lint:spfUnaligned.detail', { returnPath: input.returnPathDomain }),
          fix: text('lint:spfUnaligned.fix', { org: fromOrg })
        })
      )
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
      findings.push(
        textFinding({
          id: 'content.list-unsubscribe-missing',
          severity: 'error',
          title: text('lint:unsubMissing.title'),
          detail: text('lint:unsubMissing.detail'),
          fix: text('lint:unsubMissing.fix')
        })
      )
    } else {
      const hasHttps = /<https:\/\/[^>]+>/i.test(listUnsub)
      if (!hasHttps)
        findings.push(
          textFinding({
            id: 'content.list-unsubscribe-no-https',
            severity: 'warning',
            title: text('lint:unsubNoHttps.title'),
            detail: text('lint:unsubNoHttps.detail'),
            evidence: [{ source: 'List-Unsubscribe', text: listUnsub }],
            fix: text('lint:unsubNoHttps.fix')
          })
        )
      if (!listUnsubPost || !/^\s*List-Unsubscribe=One-Click\s*$/i.test(listUnsubPost))
        findings.push(
          textFinding({
            id: 'content.one-click-missing',
            severity: 'warning',
            title: text('lint:oneClickMissing.title'),
            detail: text('lint:oneClickMissing.detail'),
            evidence: listUnsubPost ? [{ source: 'List-Unsubscribe-Post', text: listUnsubPost }] : [],
            fix: text('lint:oneClickMissing.fix')
          })
        )
      const sigs = input.headers.filter((h) => h.name.toLowerCase() === 'dkim-signature')
      const covered = sigs.some((s) => {
        const h = /\bh=([^;]+)/i.exec(s.value)?.[1] ?? ''
        const names = h.split(':').map((x) => x.trim().toLowerCase())
        return (
          names.includes('list-unsubscribe') && (!listUnsubPost || names.includes('list-unsubscribe-post'))
        )
      })
      if (sigs.length && !covered)
        findings.push(
          textFinding({
            id: 'content.list-unsubscribe-unsigned',
            severity: 'warning',
            title: text('lint:unsubUnsigned.title'),
            detail: text('lint:unsubUnsigned.detail'),
            fix: text('lint:unsubUnsigned.fix')
          })
        )
    }
  }
  return findings
}
