import type { AntispamRule, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { text, type Text } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'
import { firstHeader, squash, toNumber, fieldCollector } from './header-utils'
import { asVerdict, remedyFindings, rspamdActions, rspamdSymbols, saRules, topRules } from './rule-data'

/**
 * Rspamd: X-Spamd-Result ("default: False [3.40 / 15.00]; SYMBOL(score)[options]; ..."), X-Rspamd-Action,
 * X-Rspamd-Score, X-Rspamd-Server, X-Rspamd-Queue-Id and the milter's "X-Spam: Yes". Format per the Rspamd
 * milter_headers module (rspamd.com/doc/modules/milter_headers.html, routine "x-spamd-result").
 */
export function parseSpamdResult(value: string): {
  isSpam?: boolean
  score?: number
  required?: number
  symbols: Array<{ name: string; score: number; options: string }>
} {
  const v = squash(value)
  const head = /(?:^|\s)\w+:\s*(True|False)\s*\[\s*(-?\d+(?:\.\d+)?)\s*\/\s*(-?\d+(?:\.\d+)?)\s*\]/i.exec(v)
  const symbols: Array<{ name: string; score: number; options: string }> = []
  for (const m of v.matchAll(/([A-Z][A-Z0-9_]+)\((-?\d+(?:\.\d+)?)\)(?:\[([^\]]*)\])?/g)) {
    symbols.push({ name: m[1], score: Number(m[2]), options: m[3] ?? '' })
  }
  return {
    isSpam: head ? head[1].toLowerCase() === 'true' : undefined,
    score: toNumber(head?.[2]),
    required: toNumber(head?.[3]),
    symbols
  }
}

export function decodeRspamd(
  headers: readonly HeaderField[]
): { verdict: VendorVerdict; findings: Finding[] } | undefined {
  const result = firstHeader(headers, 'X-Spamd-Result')
  const action = firstHeader(headers, 'X-Rspamd-Action')
  const scoreH = firstHeader(headers, 'X-Rspamd-Score')
  const server = firstHeader(headers, 'X-Rspamd-Server')
  const queue = firstHeader(headers, 'X-Rspamd-Queue-Id')
  const xspam = firstHeader(headers, 'X-Spam')
  if (!result && !action && !scoreH) return undefined

  const { fields, used, add } = fieldCollector()
  const parsed = result
    ? parseSpamdResult(result.value)
    : { symbols: [] as Array<{ name: string; score: number; options: string }> }
  const p = parsed as ReturnType<typeof parseSpamdResult>
  if (result) {
    if (p.isSpam !== undefined)
      add(
        result.name,
        'verdict',
        p.isSpam ? 'True' : 'False',
        p.isSpam ? 'Rspamd considers the message spam.' : 'Rspamd does not consider the message spam.'
      )
    if (p.score !== undefined) add(result.name, 'score', String(p.score), 'Sum of the symbol scores.')
    if (p.required !== undefined)
      add(
        result.name,
        'required',
        String(p.required),
        'Score of the strongest action configured (usually "reject", default 15).'
      )
  }
  const actionName = action?.value.trim().toLowerCase()
  if (action)
    add(
      action.name,
      'action',
      action.value.trim(),
      rspamdActions[actionName ?? '']?.meaning ?? 'Action chosen by Rspamd.'
    )
  if (scoreH) add(scoreH.name, 'score', scoreH.value.trim(), 'Total Rspamd score.')
  if (xspam)
    add(
      xspam.name,
      'X-Spam',
      xspam.value.trim(),
      'Added by the Rspamd milter when the action is "add header".'
    )
  if (server) add(server.name, 'server', server.value.trim(), 'Rspamd scanner host (opaque).', true)
  if (queue) add(queue.name, 'queue-id', queue.value.trim(), 'Rspamd queue id (opaque).', true)

  const rules: AntispamRule[] = p.symbols
    .map((s) => {
      const info = rspamdSymbols[s.name] ?? saRules[s.name]
      return {
        name: s.name,
        score: s.score,
        description: `${info?.description ?? 'Rspamd symbol; no description available.'}${s.options ? ` [${s.options}]` : ''}`,
        known: Boolean(info),
        remedy: info?.remedy
      }
    })
    .sort((a, b) => b.score - a.score)

  const score = p.score ?? toNumber(scoreH?.value)
  let verdict = asVerdict(rspamdActions[actionName ?? '']?.verdict)
  if (verdict === 'unknown' && p.isSpam !== undefined) verdict = p.isSpam ? 'spam' : 'clean'
  if (verdict === 'unknown' && xspam && /yes/i.test(xspam.value)) verdict = 'spam'
  const label = 'Rspamd'
  const summary: Text = text('antispam:rspamd.summary', {
    what: actionName
      ? text('antispam:rspamd.action', { action: actionName })
      : text('antispam:rspamd.verdict', { verdict: text(`antispam:verdict.${verdict}`) }),
    score: score !== undefined ? text('antispam:withScore', { score }) : '',
    required: p.required !== undefined ? text('antispam:rspamd.rejectAt', { required: p.required }) : ''
  })
  const findings: Finding[] = []
  if (verdict === 'spam') {
    findings.push(
      textFinding({
        id: 'antispam.rspamd-spam',
        severity: 'error',
        title: text('antispam:rspamd.spam.title'),
        detail: [summary, topRules(rules)],
        evidence: result ? [{ source: result.name, text: squash(result.value) }] : []
      })
    )
  }
  findings.push(...remedyFindings('rspamd', label, result?.name ?? 'X-Spamd-Result', rules))
  return {
    verdict: {
      vendor: 'rspamd',
      label,
      verdict,
      score,
      threshold: p.required,
      summary: renderText('en', summary),
      summaryText: summary,
      headers: used,
      fields,
      rules
    },
    findings
  }
}
