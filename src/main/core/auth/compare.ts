import type { CheckState, Finding } from '../../../shared/schemas/common'
import type {
  AuthCheck,
  AuthComparison,
  AuthMechanism,
  AuthMechanismComparison,
  RecordedAuth
} from '../../../shared/schemas/message'
import { text, type Text, type TextParam } from '../../../shared/text'
import { textFinding } from '../text/finding'
import { renderText } from '../text/render'

/**
 * Compare what the receiver recorded at delivery time with a re-verification today, and explain differences.
 *
 * Differences are expected and not necessarily bugs: DNS changes after delivery (SPF includes edited, DKIM keys
 * rotated — RFC 6376 §3.6.1 recommends rotation), the copy at hand may be headers-only, or it may have been modified
 * in transit after the receiver checked it (mailing lists, forwarders — the case ARC, RFC 8617, was made for).
 */

/** Result words that mean the same thing across implementations (Microsoft, RFC 8601 §2.7). */
function normalise(word: string | null | undefined): string | null {
  if (!word) return null
  const w = word.toLowerCase()
  if (w === 'bestguesspass') return 'pass'
  if (w === 'temperr') return 'temperror'
  if (w === 'hardfail') return 'fail'
  return w
}

/** Map a recorded word onto CheckState so "fail" (DMARC) and "permerror" (SPF) compare sensibly. */
function stateOfWord(mech: AuthMechanism, word: string | null): CheckState | null {
  if (!word) return null
  switch (word) {
    case 'pass':
      return 'pass'
    case 'fail':
    case 'permerror':
    case 'policy':
      return 'fail'
    case 'softfail':
    case 'neutral':
      return mech === 'dkim' ? 'fail' : 'warn'
    case 'none':
      return 'none'
    case 'temperror':
      return 'could_not_check'
    default:
      return null
  }
}

function dkimNow(now: AuthCheck): { word: string; state: CheckState; reason?: Text } {
  if (!now.dkim.length) return { word: 'none', state: 'none', reason: text('auth:compare.unsigned') }
  const pass = now.dkim.find((d) => d.state === 'pass')
  if (pass) return { word: 'pass', state: 'pass' }
  const order: CheckState[] = ['fail', 'warn', 'could_not_check', 'not_checked', 'none']
  for (const s of order) {
    const d = now.dkim.find((x) => x.state === s)
    if (d) return { word: s === 'fail' || s === 'warn' ? d.result : s, state: s, reason: d.reasonText }
  }
  return { word: now.dkim[0].result, state: now.dkim[0].state }
}

function dkimRecorded(rec: RecordedAuth): string | null {
  if (!rec.dkim.length) return null
  if (rec.dkim.some((d) => normalise(d.result) === 'pass')) return 'pass'
  return normalise(rec.dkim[0].result)
}

function explain(
  mech: AuthMechanism,
  recorded: string | null,
  nowWord: string,
  nowState: CheckState,
  now: AuthCheck,
  nowReason: Text | undefined
): { same: boolean; explanation: Text } {
  const recState = stateOfWord(mech, recorded)
  const c = (key: string, params?: Record<string, TextParam | undefined>): Text =>
    text(`auth:compare.${key}`, { recorded: recorded ?? '', now: nowWord, ...params })
  if (nowState === 'not_checked' || nowState === 'could_not_check') {
    const why = nowState === 'not_checked' ? 'notChecked' : 'dnsError'
    return { same: false, explanation: nowReason ? c(`${why}Reason`, { reason: nowReason }) : c(why) }
  }
  if (recorded === null) return { same: false, explanation: c('noRecord', { mechanism: mech.toUpperCase() }) }
  const same = recorded === nowWord || (recState !== null && recState === nowState)
  if (same) return { same: true, explanation: c('same') }

  const improved = nowState === 'pass' && recState !== 'pass'
  const worse = recState === 'pass' && nowState !== 'pass'
  const withReason = (key: string, reason: Text | undefined): Text =>
    reason ? c(`${key}Reason`, { reason }) : c(key)
  switch (mech) {
    case 'spf':
      if (improved)
        return {
          same,
          explanation: now.spf.domain
            ? c('spf.improved', { domain: now.spf.domain })
            : c('spf.improvedUnknown')
        }
      if (worse) return { same, explanation: withReason('spf.worse', now.spf.explanationText) }
      return { same, explanation: withReason('spf.changed', now.spf.explanationText) }
    case 'dkim': {
      const bodyChanged = now.dkim.some((d) => d.bodyHash === 'fail')
      const keyGone = now.dkim.some((d) => d.keyFound === false)
      if (worse && bodyChanged) return { same, explanation: c('dkim.bodyChanged') }
      if (worse && keyGone) return { same, explanation: c('dkim.keyGone') }
      if (improved) return { same, explanation: c('dkim.improved') }
      return { same, explanation: withReason('dkim.changed', nowReason) }
    }
    case 'dmarc':
      if (improved) return { same, explanation: withReason('dmarc.improved', now.dmarc.explanationText) }
      if (worse) return { same, explanation: withReason('dmarc.worse', now.dmarc.explanationText) }
      return { same, explanation: withReason('dmarc.changed', now.dmarc.explanationText) }
    case 'arc':
      return { same, explanation: c('arc') }
    case 'bimi':
      return { same, explanation: c('bimi') }
  }
}

/** Compare recorded verdicts with today's re-verification, per mechanism. */
export function compareAuth(recorded: RecordedAuth, now: AuthCheck): AuthComparison {
  const dk = dkimNow(now)
  const rows: Record<AuthMechanism, { rec: string | null; word: string; state: CheckState; reason?: Text }> =
    {
      spf: {
        rec: normalise(recorded.spf?.result),
        word: now.spf.result,
        state: now.spf.state,
        reason: now.spf.explanationText
      },
      dkim: { rec: dkimRecorded(recorded), word: dk.word, state: dk.state, reason: dk.reason },
      dmarc: {
        rec: normalise(recorded.dmarc?.result),
        word: now.dmarc.result,
        state: now.dmarc.state,
        reason: now.dmarc.explanationText
      },
      arc: {
        rec: normalise(recorded.arc?.result),
        word: now.arc.cv,
        state: now.arc.state,
        reason: now.arc.explanationText
      },
      bimi: {
        rec: normalise(recorded.bimi?.result),
        word: now.bimi.result,
        state: now.bimi.state,
        reason: now.bimi.explanationText
      }
    }
  const findings: Finding[] = []
  const build = (mech: AuthMechanism): AuthMechanismComparison => {
    const r = rows[mech]
    const { same, explanation } = explain(mech, r.rec, r.word, r.state, now, r.reason)
    const recState = stateOfWord(mech, r.rec)
    if (!same && recState && recState !== 'pass' && r.state === 'pass' && mech !== 'bimi') {
      findings.push(
        textFinding({
          id: `auth.fixed-since-delivery:${mech}`,
          severity: 'ok',
          title: text('auth:compare.fixedTitle', { mechanism: mech.toUpperCase(), recorded: r.rec }),
          detail: explanation
        })
      )
    } else if (
      !same &&
      recState === 'pass' &&
      (r.state === 'fail' || r.state === 'warn') &&
      mech !== 'bimi'
    ) {
      findings.push(
        textFinding({
          id: `auth.changed-since-delivery:${mech}`,
          severity: 'info',
          title: text('auth:compare.changedTitle', { mechanism: mech.toUpperCase(), now: r.word }),
          detail: explanation
        })
      )
    }
    return {
      mechanism: mech,
      recorded: r.rec,
      now: r.word,
      nowState: r.state,
      same,
      explanation: renderText('en', explanation),
      explanationText: explanation
    }
  }
  return {
    spf: build('spf'),
    dkim: build('dkim'),
    dmarc: build('dmarc'),
    arc: build('arc'),
    bimi: build('bimi'),
    findings
  }
}
