import type { Hop } from '../../../shared/schemas/message'
import type { CaseCause, CaseFinding, ReportLanguage, ReportVariant } from '../../../shared/schemas/workflow'
import type { Note } from '../../../shared/schemas/case'
import { translator, type Translator } from './i18n'
import type { ReportData } from './types'
import type { Text } from '../../../shared/text'

/** A backend Text in the report's language; data stored before Texts existed falls back to its English string. */
function say(tr: Translator, t: Text | Text[] | undefined, fallback: string): string {
  return t && (!Array.isArray(t) || t.length > 0) ? tr.text(t) : fallback
}

/**
 * Report builders. Every value that comes from a message, a DNS answer or the admin's notes is untrusted: HTML
 * output escapes all of it, carries a CSP that forbids scripts, and has no <script> of its own, so a Subject such
 * as `<img src=x onerror=...>` is shown as text wherever the report is opened. Markdown escapes the HTML
 * metacharacters too, because most Markdown viewers render inline HTML.
 */

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * C0 control characters other than TAB, LF and CR, and DEL, are made visible as their Unicode Control Pictures
 * (NUL → ␀ U+2400, ESC → ␛, DEL → ␡ U+2421). They are never text: HTML makes them parse errors
 * (https://html.spec.whatwg.org/multipage/parsing.html#parse-error-control-character-in-input-stream), a NUL
 * ends the string for C-based viewers and PDF tools, and ESC drives terminal escape sequences when a Markdown
 * report is printed with `cat`. Hostile mail puts them in a Subject; the report shows that they were there.
 * JSON keeps the data but escapes it instead: JSON.stringify writes U+0000–U+001F as \u escapes (RFC 8259 §7)
 * and `jsonText` adds DEL.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g
export function escapeControlChars(s: string): string {
  return s.replace(CONTROL_CHARS, (c) =>
    String.fromCharCode(c === '\u007F' ? 0x2421 : 0x2400 + c.charCodeAt(0))
  )
}

const STEP_ORDER = ['diagnose', 'fix', 'delist'] as const

interface View {
  data: ReportData
  tr: Translator
}

/** What a blocklist operator needs: the listed addresses, the listings, the cause, what was fixed. */
export function operatorFacts(data: ReportData, tr: Translator) {
  const listings = new Map<string, { list: string; name: string; target: string; detail: string }>()
  // A return code's meaning from the catalogue in the letter's language (kb:bl.<list>.codes.<code>), else as the
  // sweep recorded it.
  const meaning = (list: string, code: string, recorded: string | undefined) => {
    const key = `kb:bl.${list.replace(/\./g, '_')}.codes.${code.replace(/\./g, '_')}`
    const said = tr.text({ code: key })
    return said !== key ? said : (recorded ?? code)
  }
  for (const l of data.scan?.listed ?? [])
    listings.set(`${l.list}:${l.target}`, {
      list: l.list,
      name: l.name,
      target: l.target,
      detail: l.codes.map((c, i) => meaning(l.list, c, l.meanings[i])).join('; ')
    })
  for (const d of data.delist)
    if (!listings.has(`${d.list}:${d.target}`))
      listings.set(`${d.list}:${d.target}`, {
        list: d.list,
        name: d.listName,
        target: d.target,
        detail: d.status
      })
  for (const f of data.findings) {
    const m = /^bl\.listed:([^:]+):(.+)$/.exec(f.id)
    if (m && !listings.has(`${m[1]}:${m[2]}`))
      listings.set(`${m[1]}:${m[2]}`, {
        list: m[1],
        name: data.listNames?.[m[1]] ?? m[1],
        target: m[2],
        detail: say(tr, f.titleText, f.title)
      })
  }
  const ips = [...new Set([...listings.values()].map((l) => l.target))]
  const causes = data.evidence
    .filter((e) => e.verdict)
    .map((e) => say(tr, e.verdict!.titleText, e.verdict!.title))
  // What changed on the sender's side, as recorded: causes (other than the listings themselves) whose condition is
  // gone, with when, and the fixes generated for the case. Accepted causes are not fixes and are not claimed.
  const fixed = data.causes
    .filter((c) => c.kind !== 'listing' && c.actionable && c.status === 'resolved')
    .map((c) => ({
      title: say(tr, c.titleText, c.title),
      at: c.resolvedAt
    }))
  const changes = [
    ...fixed.map((f) => (f.at ? `${f.title} (${tr.date(f.at)})` : f.title)),
    ...data.fixes.map((f) => `${f.title} (${tr.date(f.createdAt)})`)
  ]
  const open = data.causes.filter((c) => c.kind !== 'listing' && c.actionable && c.status === 'open')
  return {
    listings: [...listings.values()],
    ips,
    causes: [...new Set(causes)],
    fixed,
    changes,
    // The letter claims the cause is fixed only when nothing but the listing is still open.
    intro: tr.t(changes.length && open.length === 0 ? 'operator.intro' : 'operator.introOpen'),
    requests: data.delist.map(
      (d) =>
        `${d.listName} — ${d.target}: ${tr.t(`delistStatus.${d.status}`)}` +
        (d.requestedAt ? ` (${tr.date(d.requestedAt)})` : '') +
        (d.reference ? `, ${tr.t('reference')} ${d.reference}` : '')
    )
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SVG hop chart

/** Delay per hop as horizontal bars; inline SVG so the report stays one self-contained file. */
export function hopChartSvg(hops: Hop[], tr: Translator): string {
  const rows = hops.filter((h) => !h.local)
  if (rows.length === 0) return ''
  const max = Math.max(1, ...rows.map((h) => Math.abs(h.delaySec ?? 0)))
  const rowH = 22
  const labelW = 260
  const barW = 360
  const height = rows.length * rowH + 30
  const parts: string[] = []
  rows.forEach((h, i) => {
    const y = 20 + i * rowH
    const label = `${h.index + 1}. ${h.from?.host ?? h.from?.ip ?? '?'} → ${h.by?.host ?? '?'}`
    const d = h.delaySec
    const w = d === null ? 0 : Math.max(1, (Math.abs(d) / max) * barW)
    const colour = d !== null && d < 0 ? '#c92a2a' : d !== null && d > 3600 ? '#e8590c' : '#1c7ed6'
    parts.push(
      `<text x="0" y="${y + 14}" font-size="11" fill="#333">${escapeHtml(label.length > 44 ? label.slice(0, 43) + '…' : label)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="14" fill="${colour}"/>`,
      `<text x="${labelW + w + 6}" y="${y + 14}" font-size="11" fill="#333">${escapeHtml(d === null ? '—' : `${tr.number(d, { maximumFractionDigits: 1 })} s`)}</text>`
    )
  })
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelW + barW + 80}" height="${height}" viewBox="0 0 ${labelW + barW + 80} ${height}">` +
    `<title>${escapeHtml(tr.t('hopDelay'))}</title>` +
    `<text x="0" y="12" font-size="11" font-weight="bold" fill="#333">${escapeHtml(tr.t('hopDelay'))}</text>` +
    parts.join('') +
    '</svg>'
  )
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1b1e;max-width:960px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
h3{font-size:14px;margin:14px 0 4px}.muted{color:#868e96;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #dee2e6;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f5}pre{background:#f8f9fa;border:1px solid #e9ecef;padding:8px;white-space:pre-wrap;word-break:break-all;font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:11px;font-weight:600;text-transform:uppercase}
.s-critical,.s-error{background:#ffe3e3;color:#c92a2a}.s-warning{background:#fff3bf;color:#e67700}.s-info,.s-ok{background:#e7f5ff;color:#1864ab}
.st-open{background:#ffe3e3;color:#c92a2a}.st-resolved{background:#d3f9d8;color:#2b8a3e}.st-accepted{background:#e9ecef;color:#495057}
.finding{border:1px solid #dee2e6;border-radius:6px;padding:8px 10px;margin:8px 0}
@media print{body{margin:0}h2{break-after:avoid}.finding,table{break-inside:avoid}}
`

function page(title: string, lang: ReportLanguage, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>'
  ].join('\n')
}

const e = escapeHtml

function header(v: View, title: string): string {
  const c = v.data.case
  return (
    `<h1>${e(title)}</h1>` +
    `<p class="muted">${e(v.tr.t('generated', { date: v.tr.date(v.data.generatedAt), version: v.data.version }))}</p>` +
    `<table><tbody>` +
    `<tr><th>${e(v.tr.t('case'))}</th><td>#${c.id} — ${e(c.title)}</td></tr>` +
    `<tr><th>${e(v.tr.t('opened'))}</th><td>${e(v.tr.date(c.createdAt))}</td></tr>` +
    `<tr><th>${e(v.tr.t('domain'))}</th><td>${e(c.sendingDomain ?? v.tr.t('none'))}</td></tr>` +
    `<tr><th>${e(v.tr.t('ips'))}</th><td>${e(c.sendingIps.join(', ') || v.tr.t('none'))}</td></tr>` +
    `</tbody></table>`
  )
}

function findingHtml(f: CaseFinding, tr: Translator): string {
  return (
    `<div class="finding" data-finding="${e(f.id)}">` +
    `<span class="badge s-${e(f.severity)}">${e(tr.t(`severity.${f.severity}`))}</span> ` +
    `<span class="badge st-${e(f.status)}">${e(tr.t(`findingStatus.${f.status}`))}</span> ` +
    `<strong>${e(say(tr, f.titleText, f.title))}</strong>` +
    `<div>${e(say(tr, f.detailText, f.detail))}</div>` +
    (f.current ? `<div><b>${e(tr.t('current'))}:</b> <code>${e(f.current)}</code></div>` : '') +
    (f.fix ? `<div><b>${e(tr.t('remedy'))}:</b> ${e(say(tr, f.fixText, f.fix))}</div>` : '') +
    (f.fixRecord ? `<div><b>${e(tr.t('record'))}:</b></div><pre>${e(f.fixRecord)}</pre>` : '') +
    (f.status === 'accepted' && f.note
      ? `<div><i>${e(tr.t('acceptedNote', { note: f.note }))}</i></div>`
      : '') +
    `<div class="muted">${e(tr.t('firstSeen', { date: tr.date(f.firstSeen) }))}` +
    (f.resolvedAt && f.status === 'resolved'
      ? ` · ${e(tr.t('resolvedAt', { date: tr.date(f.resolvedAt) }))}`
      : '') +
    `</div></div>`
  )
}

/** A root cause with every finding that is evidence of it (a <details> needs no script, the CSP forbids any). */
function causeHtml(c: CaseCause, tr: Translator): string {
  return (
    `<div class="cause" data-cause="${e(c.id)}">` +
    `<span class="badge s-${e(c.severity)}">${e(tr.t(`severity.${c.severity}`))}</span> ` +
    `<span class="badge st-${e(c.status)}">${e(tr.t(`findingStatus.${c.status}`))}</span> ` +
    `<strong>${e(say(tr, c.titleText, c.title))}</strong>` +
    (c.status === 'accepted' && c.note
      ? `<div><i>${e(tr.t('acceptedNote', { note: c.note }))}</i></div>`
      : '') +
    `<details><summary>${e(tr.t('causeEvidence', { count: c.findings.length }))}</summary>` +
    c.findings.map((f) => findingHtml(f, tr)).join('') +
    `</details></div>`
  )
}

/** An event in the reader's language (typed events), or the note as the admin wrote it. */
function noteText(n: Note, tr: Translator): string {
  return n.text ? tr.text(n.text) : n.body
}

function coverageLines(data: ReportData, tr: Translator): string[] {
  return data.coverage.map(
    (c) =>
      `${tr.text(c.text)}${c.advice ? ` ${tr.text(c.advice)}` : ''}` +
      (c.items.length ? ` (${c.items.join(', ')})` : '')
  )
}

function fullHtmlBody(v: View): string {
  const { data, tr } = v
  const out: string[] = [header(v, tr.t('title'))]

  out.push(`<h2>${e(tr.t('summary'))}</h2>`)
  const verdicts = data.evidence.filter((x) => x.verdict)
  if (verdicts.length === 0) out.push(`<p>${e(tr.t('noVerdict'))}</p>`)
  for (const x of verdicts) {
    const vd = x.verdict!
    out.push(
      `<h3>${e(say(tr, vd.titleText, vd.title))} <span class="muted">(${e(tr.t('confidence', { value: tr.number(vd.confidence, { style: 'percent' }) }))})</span></h3>`,
      `<p>${e(say(tr, vd.summaryText, vd.summary))}</p>`,
      vd.secondary.length
        ? `<ul>${vd.secondary.map((s) => `<li>${e(say(tr, s.titleText, s.title))}</li>`).join('')}</ul>`
        : ''
    )
  }

  out.push(`<h2>${e(tr.t('progress'))}</h2><table><tbody>`)
  for (const s of data.steps)
    out.push(
      `<tr><th>${e(tr.t(`step.${s.step}`))}</th><td>${e(tr.t('stepDone', { done: s.done, remaining: s.remaining }))}</td><td>${e(tr.t(s.complete ? 'complete' : 'incomplete'))}</td></tr>`
    )
  out.push('</tbody></table>')

  out.push(`<h2>${e(tr.t('evidence'))}</h2>`)
  if (data.evidence.length === 0) out.push(`<p>${e(tr.t('noEvidence'))}</p>`)
  else {
    out.push(
      `<table><thead><tr><th>${e(tr.t('file'))}</th><th>${e(tr.t('kind'))}</th><th>${e(tr.t('subject'))}</th><th>${e(tr.t('from'))}</th><th>${e(tr.t('size'))}</th><th>${e(tr.t('added'))}</th><th>${e(tr.t('sha256'))}</th></tr></thead><tbody>`
    )
    for (const x of data.evidence)
      out.push(
        `<tr><td>${e(x.name)}</td><td>${e(tr.text({ code: `common:evidenceKind.${x.kind}` }))}</td><td>${e(x.subject ?? '')}</td><td>${e(x.from ?? '')}</td><td>${e(tr.number(x.size))}</td><td>${e(tr.date(x.createdAt))}</td><td><code>${e(x.sha256.slice(0, 16))}…</code></td></tr>`
      )
    out.push('</tbody></table>')
    const withHops = data.evidence.find((x) => x.hops.some((h) => !h.local))
    if (withHops)
      out.push(`<h3>${e(tr.t('hops', { file: withHops.name }))}</h3>`, hopChartSvg(withHops.hops, tr))
  }

  out.push(`<h2>${e(tr.t('findings'))}</h2>`)
  const shown = data.causes.filter((c) => c.actionable)
  if (shown.length === 0) out.push(`<p>${e(tr.t('noFindings'))}</p>`)
  for (const step of STEP_ORDER) {
    const of = shown.filter((c) => c.step === step)
    if (of.length === 0) continue
    out.push(`<h3>${e(tr.t(`step.${step}`))}</h3>`, ...of.map((c) => causeHtml(c, tr)))
  }
  out.push(`<h2>${e(tr.t('coverage'))}</h2>`)
  const cov = coverageLines(data, tr)
  out.push(cov.length ? cov.map((l) => `<p>${e(l)}</p>`).join('') : `<p>${e(tr.t('noCoverage'))}</p>`)

  out.push(`<h2>${e(tr.t('fixes'))}</h2>`)
  if (data.fixes.length === 0) out.push(`<p>${e(tr.t('noFixes'))}</p>`)
  for (const fx of data.fixes) {
    out.push(
      `<h3>${e(say(tr, fx.output.titleText, fx.title))} <span class="muted">${e(tr.date(fx.createdAt))}</span></h3>`
    )
    for (const sn of fx.output.snippets)
      out.push(`<div class="muted">${e(say(tr, sn.titleText, sn.title))}</div><pre>${e(sn.text)}</pre>`)
  }

  out.push(`<h2>${e(tr.t('blocklists'))}</h2>`, blocklistHtml(v))

  out.push(`<h2>${e(tr.t('verify'))}</h2>`)
  if (!data.verify) out.push(`<p>${e(tr.t('notVerified'))}</p>`)
  else {
    out.push(
      `<p class="muted">${e(tr.t('checkedAt', { date: tr.date(data.verify.checkedAt) }))}</p><table><tbody>`
    )
    for (const it of data.verify.items)
      out.push(
        `<tr><td>${e(say(tr, it.titleText, it.title))}</td><td>${e(tr.t(`outcome.${it.outcome}`))}</td></tr>`
      )
    out.push('</tbody></table>')
  }

  const events = data.notes.filter((n) => n.kind === 'event')
  const notes = data.notes.filter((n) => n.kind === 'note')
  out.push(`<h2>${e(tr.t('timeline'))}</h2><table><tbody>`)
  for (const n of events)
    out.push(`<tr><td>${e(tr.date(n.createdAt))}</td><td>${e(noteText(n, tr))}</td></tr>`)
  out.push('</tbody></table>')
  out.push(`<h2>${e(tr.t('notes'))}</h2>`)
  if (notes.length === 0) out.push(`<p>${e(tr.t('noNotes'))}</p>`)
  for (const n of notes) out.push(`<p class="muted">${e(tr.date(n.createdAt))}</p><pre>${e(n.body)}</pre>`)
  return out.join('\n')
}

function blocklistHtml(v: View): string {
  const { data, tr } = v
  const out: string[] = []
  if (!data.scan) out.push(`<p>${e(tr.t('noScan'))}</p>`)
  else {
    out.push(`<p class="muted">${e(tr.t('checkedAt', { date: tr.date(data.scan.checkedAt) }))}</p>`)
    if (data.scan.listed.length === 0) out.push(`<p>${e(tr.t('notListed'))}</p>`)
    else
      out.push(
        `<table><thead><tr><th>${e(tr.t('list'))}</th><th>${e(tr.t('target'))}</th><th>${e(tr.t('listed'))}</th></tr></thead><tbody>` +
          data.scan.listed
            .map(
              (l) =>
                `<tr><td>${e(l.name)}</td><td>${e(l.target)}</td><td>${e([...l.codes, ...l.meanings].join(' — '))}</td></tr>`
            )
            .join('') +
          '</tbody></table>'
      )
    if (data.scan.couldNotCheck.length)
      out.push(`<p>${e(tr.t('couldNotCheck', { lists: data.scan.couldNotCheck.join(', ') }))}</p>`)
  }
  out.push(`<h3>${e(tr.t('delisting'))}</h3>`)
  if (data.delist.length === 0) out.push(`<p>${e(tr.t('noDelisting'))}</p>`)
  else
    out.push(
      `<table><thead><tr><th>${e(tr.t('list'))}</th><th>${e(tr.t('target'))}</th><th>${e(tr.t('status'))}</th><th>${e(tr.t('requested'))}</th><th>${e(tr.t('reference'))}</th></tr></thead><tbody>` +
        data.delist
          .map(
            (d) =>
              `<tr><td>${e(d.listName)}</td><td>${e(d.target)}</td><td>${e(tr.t(`delistStatus.${d.status}`))}</td><td>${e(d.requestedAt ? tr.date(d.requestedAt) : '—')}</td><td>${e(d.reference ?? '')}</td></tr>`
          )
          .join('') +
        '</tbody></table>'
    )
  return out.join('\n')
}

function operatorHtmlBody(v: View): string {
  const { data, tr } = v
  const facts = operatorFacts(data, tr)
  const out: string[] = [`<h1>${e(tr.t('operatorTitle'))}</h1>`, `<p>${e(facts.intro)}</p>`]
  out.push(`<table><tbody>`)
  out.push(
    `<tr><th>${e(tr.t('operator.ip'))}</th><td>${e(facts.ips.join(', ') || data.case.sendingIps.join(', '))}</td></tr>`
  )
  out.push(
    `<tr><th>${e(tr.t('operator.listing'))}</th><td>${facts.listings.map((l) => `${e(l.name)} (${e(l.target)})${l.detail ? ` — ${e(l.detail)}` : ''}`).join('<br>')}</td></tr>`
  )
  out.push(`<tr><th>${e(tr.t('domain'))}</th><td>${e(data.case.sendingDomain ?? tr.t('none'))}</td></tr>`)
  out.push(
    `<tr><th>${e(tr.t('operator.cause'))}</th><td>${facts.causes.map(e).join('<br>') || '—'}</td></tr>`
  )
  out.push(
    `<tr><th>${e(tr.t('operator.fixed'))}</th><td>${
      facts.changes.length ? facts.changes.map(e).join('<br>') : e(tr.t('operator.nothingFixed'))
    }</td></tr>`
  )
  if (facts.requests.length)
    out.push(
      `<tr><th>${e(tr.t('operator.requests'))}</th><td>${facts.requests.map(e).join('<br>')}</td></tr>`
    )
  out.push(
    `<tr><th>${e(tr.t('operator.verified'))}</th><td>${e(data.verify ? tr.t('checkedAt', { date: tr.date(data.verify.checkedAt) }) : tr.t('notVerified'))}</td></tr>`
  )
  out.push(
    `<tr><th>${e(tr.t('operator.contact'))}</th><td>${e(data.contact || tr.t('operator.noContact'))}</td></tr>`
  )
  out.push('</tbody></table>')
  out.push(
    `<p class="muted">${e(tr.t('generated', { date: tr.date(data.generatedAt), version: data.version }))}</p>`
  )
  return out.join('\n')
}

export function buildHtml(data: ReportData, variant: ReportVariant, lang: ReportLanguage): string {
  const tr = translator(lang)
  const v = { data, tr }
  const title = variant === 'operator' ? tr.t('operatorTitle') : `${tr.t('title')} — ${data.case.title}`
  // The whole page, not each value: the HTML is also the PDF's input, and nothing in it may carry a control.
  return escapeControlChars(page(title, lang, variant === 'operator' ? operatorHtmlBody(v) : fullHtmlBody(v)))
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

/** Escapes Markdown and inline-HTML metacharacters; table cells also lose their pipes and line breaks. */
export function escapeMd(s: unknown, cell = false): string {
  let out = String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#|])/g, '\\$1')
  if (cell) out = out.replace(/\r?\n/g, ' ')
  return out
}

export function buildMarkdown(data: ReportData, variant: ReportVariant, lang: ReportLanguage): string {
  // The whole text, not each value: code blocks (DNS records, snippets) are not escaped as Markdown.
  return escapeControlChars(markdown(data, variant, lang))
}

function markdown(data: ReportData, variant: ReportVariant, lang: ReportLanguage): string {
  const tr = translator(lang)
  const m = escapeMd
  const out: string[] = []
  if (variant === 'operator') {
    const facts = operatorFacts(data, tr)
    out.push(`# ${m(tr.t('operatorTitle'))}`, '', m(facts.intro), '')
    out.push(`- **${m(tr.t('operator.ip'))}**: ${m(facts.ips.join(', ') || data.case.sendingIps.join(', '))}`)
    for (const l of facts.listings)
      out.push(`- **${m(tr.t('operator.listing'))}**: ${m(l.name)} (${m(l.target)}) ${m(l.detail)}`)
    out.push(`- **${m(tr.t('domain'))}**: ${m(data.case.sendingDomain ?? tr.t('none'))}`)
    for (const c of facts.causes) out.push(`- **${m(tr.t('operator.cause'))}**: ${m(c)}`)
    out.push(
      `- **${m(tr.t('operator.fixed'))}**: ${facts.changes.length ? facts.changes.map((x) => m(x)).join('; ') : m(tr.t('operator.nothingFixed'))}`
    )
    for (const r of facts.requests) out.push(`- **${m(tr.t('operator.requests'))}**: ${m(r)}`)
    out.push(
      `- **${m(tr.t('operator.verified'))}**: ${m(data.verify ? tr.t('checkedAt', { date: tr.date(data.verify.checkedAt) }) : tr.t('notVerified'))}`
    )
    out.push(`- **${m(tr.t('operator.contact'))}**: ${m(data.contact || tr.t('operator.noContact'))}`, '')
    return out.join('\n')
  }
  const c = data.case
  out.push(
    `# ${m(tr.t('title'))} — ${m(c.title)}`,
    '',
    `_${m(tr.t('generated', { date: tr.date(data.generatedAt), version: data.version }))}_`,
    ''
  )
  out.push(
    `- **${m(tr.t('case'))}**: #${c.id}`,
    `- **${m(tr.t('domain'))}**: ${m(c.sendingDomain ?? tr.t('none'))}`
  )
  out.push(`- **${m(tr.t('ips'))}**: ${m(c.sendingIps.join(', ') || tr.t('none'))}`, '')
  out.push(`## ${m(tr.t('summary'))}`, '')
  const verdicts = data.evidence.filter((x) => x.verdict)
  if (!verdicts.length) out.push(m(tr.t('noVerdict')), '')
  for (const x of verdicts)
    out.push(
      `### ${m(say(tr, x.verdict!.titleText, x.verdict!.title))}`,
      '',
      m(say(tr, x.verdict!.summaryText, x.verdict!.summary)),
      ''
    )
  out.push(`## ${m(tr.t('progress'))}`, '')
  for (const s of data.steps)
    out.push(
      `- ${m(tr.t(`step.${s.step}`))}: ${m(tr.t('stepDone', { done: s.done, remaining: s.remaining }))} (${m(tr.t(s.complete ? 'complete' : 'incomplete'))})`
    )
  out.push('', `## ${m(tr.t('evidence'))}`, '')
  if (!data.evidence.length) out.push(m(tr.t('noEvidence')))
  else {
    out.push(
      `| ${m(tr.t('file'))} | ${m(tr.t('kind'))} | ${m(tr.t('subject'))} | ${m(tr.t('from'))} | ${m(tr.t('added'))} |`,
      '|---|---|---|---|---|'
    )
    for (const x of data.evidence)
      out.push(
        `| ${m(x.name, true)} | ${m(tr.text({ code: `common:evidenceKind.${x.kind}` }), true)} | ${m(x.subject ?? '', true)} | ${m(x.from ?? '', true)} | ${m(tr.date(x.createdAt), true)} |`
      )
  }
  out.push('', `## ${m(tr.t('findings'))}`, '')
  const shown = data.causes.filter((c) => c.actionable)
  if (!shown.length) out.push(m(tr.t('noFindings')))
  for (const step of STEP_ORDER) {
    const of = shown.filter((c) => c.step === step)
    if (!of.length) continue
    out.push(`### ${m(tr.t(`step.${step}`))}`, '')
    for (const c of of) {
      out.push(
        `- **${m(say(tr, c.titleText, c.title))}** (${m(tr.t(`severity.${c.severity}`))}, ${m(tr.t(`findingStatus.${c.status}`))})`
      )
      if (c.status === 'accepted' && c.note)
        out.push(`  - ${m(tr.t('acceptedNote', { note: c.note }), true)}`)
      for (const f of c.findings) {
        out.push(`  - ${m(say(tr, f.titleText, f.title))}: ${m(say(tr, f.detailText, f.detail), true)}`)
        if (f.fix) out.push(`    - ${m(tr.t('remedy'))}: ${m(say(tr, f.fixText, f.fix), true)}`)
        if (f.fixRecord) out.push(`    - ${m(tr.t('record'))}: \`${f.fixRecord.replace(/`/g, "'")}\``)
      }
    }
    out.push('')
  }
  out.push(`## ${m(tr.t('coverage'))}`, '')
  const cov = coverageLines(data, tr)
  out.push(...(cov.length ? cov.map((l) => `- ${m(l, true)}`) : [m(tr.t('noCoverage'))]), '')
  out.push(`## ${m(tr.t('fixes'))}`, '')
  if (!data.fixes.length) out.push(m(tr.t('noFixes')))
  for (const fx of data.fixes) {
    out.push(`### ${m(say(tr, fx.output.titleText, fx.title))}`, '')
    for (const sn of fx.output.snippets)
      out.push(m(say(tr, sn.titleText, sn.title)), '', '```', sn.text.replace(/```/g, "'''"), '```', '')
  }
  out.push('', `## ${m(tr.t('blocklists'))}`, '')
  if (!data.scan) out.push(m(tr.t('noScan')))
  else {
    if (!data.scan.listed.length) out.push(m(tr.t('notListed')))
    for (const l of data.scan.listed) out.push(`- ${m(l.name)}: ${m(l.target)} (${m(l.codes.join(', '))})`)
    if (data.scan.couldNotCheck.length)
      out.push('', m(tr.t('couldNotCheck', { lists: data.scan.couldNotCheck.join(', ') })))
  }
  out.push('', `### ${m(tr.t('delisting'))}`, '')
  if (!data.delist.length) out.push(m(tr.t('noDelisting')))
  for (const d of data.delist)
    out.push(
      `- ${m(d.listName)} — ${m(d.target)}: ${m(tr.t(`delistStatus.${d.status}`))}${d.reference ? ` (${m(d.reference)})` : ''}`
    )
  out.push('', `## ${m(tr.t('verify'))}`, '')
  if (!data.verify) out.push(m(tr.t('notVerified')))
  else
    for (const it of data.verify.items)
      out.push(`- ${m(say(tr, it.titleText, it.title))}: ${m(tr.t(`outcome.${it.outcome}`))}`)
  out.push('', `## ${m(tr.t('timeline'))}`, '')
  for (const n of data.notes) out.push(`- ${m(tr.date(n.createdAt))} — ${m(noteText(n, tr), true)}`)
  out.push('')
  return out.join('\n')
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\u007f/g, '\\u007f')
}

export function buildJson(data: ReportData, variant: ReportVariant, lang: ReportLanguage): string {
  if (variant === 'operator') {
    const f = operatorFacts(data, translator(lang))
    return jsonText({
      format: 'delivery-desk-report/1',
      variant,
      language: lang,
      generatedAt: data.generatedAt,
      domain: data.case.sendingDomain,
      ips: f.ips.length ? f.ips : data.case.sendingIps,
      listings: f.listings,
      causes: f.causes,
      fixed: f.changes,
      requests: f.requests,
      verifiedAt: data.verify?.checkedAt ?? null,
      contact: data.contact ?? null
    })
  }
  return jsonText({ format: 'delivery-desk-report/1', variant, language: lang, ...data })
}
