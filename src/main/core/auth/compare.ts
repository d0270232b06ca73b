import type { CheckState, Finding } from '../../../shared/schemas/common'
import type {
  AuthCheck,
  AuthComparison,
  AuthMechanism,
  AuthMechanismComparison,
  RecordedAuth
} from '../../../shared/schemas/message'

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

function dkimNow(now: AuthCheck): { word: string; state: CheckState; reason?: string } {
  if (!now.dkim.length)
    return { word: 'none', state: 'none', reason: 'The message carries no DKIM signature.' }
  const pass = now.dkim.find((d) => d.state === 'pass')
  if (pass) return { word: 'pass', state: 'pass' }
  const order: CheckState[] = ['fail', 'warn', 'could_not_check', 'not_checked', 'none']
  for (const s of order) {
    const d = now.dkim.find((x) => x.state === s)
    if (d) return { word: s === 'fail' || s === 'warn' ? d.result : s, state: s, reason: d.reason }
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
  nowReason: string | undefined
): { same: boolean; explanation: string } {
  const recState = stateOfWord(mech, recorded)
  if (nowState === 'not_checked' || nowState === 'could_not_check') {
    return {
      same: false,
      explanation: `Cannot compare: ${nowState === 'not_checked' ? 'not re-checked' : 'the re-check hit a DNS error'}${nowReason ? ` — ${nowReason}` : ''}.`
    }
  }
  if (recorded === null) {
    return {
      same: false,
      explanation: `The receiver recorded no ${mech.toUpperCase()} result; today: ${nowWord}.`
    }
  }
  const same = recorded === nowWord || (recState !== null && recState === nowState)
  if (same) return { same: true, explanation: `Same result today (${nowWord}) as recorded at delivery.` }

  const improved = nowState === 'pass' && recState !== 'pass'
  const worse = recState === 'pass' && nowState !== 'pass'
  switch (mech) {
    case 'spf':
      if (improved)
        return {
          same,
          explanation: `Recorded ${recorded}, passes today: the SPF record of ${now.spf.domain ?? 'the sender'} was probably changed since delivery (the sending IP was added). Re-sending should work.`
        }
      if (worse)
        return {
          same,
          explanation:
            `Passed at delivery, ${nowWord} today: the SPF record changed since (IP removed, include edited) — or the edge IP/MAIL FROM used for the re-check differs from the receiver's. ${now.spf.explanation ?? ''}`.trim()
        }
      return {
        same,
        explanation:
          `Recorded ${recorded}, ${nowWord} today: the SPF record changed since delivery. ${now.spf.explanation ?? ''}`.trim()
      }
    case 'dkim': {
      const bodyChanged = now.dkim.some((d) => d.bodyHash === 'fail')
      const keyGone = now.dkim.some((d) => d.keyFound === false)
      if (worse && bodyChanged)
        return {
          same,
          explanation:
            'Passed at delivery, but the body no longer matches the signature: the copy analysed was modified after the receiver checked it (forwarder, mailing list, or a client that re-encoded it). If an intermediary is involved, ARC is how it vouches for the original result.'
        }
      if (worse && keyGone)
        return {
          same,
          explanation:
            'Passed at delivery, but the DKIM key is no longer published: the selector was rotated or removed since. Normal for older mail.'
        }
      if (improved)
        return {
          same,
          explanation: `Recorded ${recorded}, passes today: the key was published or fixed after delivery (or the receiver had a DNS problem then).`
        }
      return {
        same,
        explanation: `Recorded ${recorded}, ${nowWord} today${nowReason ? `: ${nowReason}` : ''}.`
      }
    }
    case 'dmarc':
      if (improved)
        return {
          same,
          explanation: `Recorded ${recorded}, passes today: SPF or DKIM was fixed since delivery (${now.dmarc.explanation ?? ''}).`
        }
      if (worse)
        return {
          same,
          explanation: `Passed at delivery, ${nowWord} today: ${now.dmarc.explanation ?? 'the SPF/DKIM inputs changed'}. If a forwarder or list modified the message, the receiver may have accepted it on ARC.`
        }
      return {
        same,
        explanation: `Recorded ${recorded}, ${nowWord} today: the DMARC record or its inputs changed (${now.dmarc.explanation ?? ''}).`
      }
    case 'arc':
      return {
        same,
        explanation: `Recorded ${recorded}, ${nowWord} today: ARC keys may have been rotated, or the message was modified after the last seal.`
      }
    case 'bimi':
      return {
        same,
        explanation: `Recorded ${recorded}, ${nowWord} today: the BIMI record or the DMARC outcome changed.`
      }
  }
}

/** Compare recorded verdicts with today's re-verification, per mechanism. */
export function compareAuth(recorded: RecordedAuth, now: AuthCheck): AuthComparison {
  const dk = dkimNow(now)
  const rows: Record<
    AuthMechanism,
    { rec: string | null; word: string; state: CheckState; reason?: string }
  > = {
    spf: {
      rec: normalise(recorded.spf?.result),
      word: now.spf.result,
      state: now.spf.state,
      reason: now.spf.explanation
    },
    dkim: { rec: dkimRecorded(recorded), word: dk.word, state: dk.state, reason: dk.reason },
    dmarc: {
      rec: normalise(recorded.dmarc?.result),
      word: now.dmarc.result,
      state: now.dmarc.state,
      reason: now.dmarc.explanation
    },
    arc: {
      rec: normalise(recorded.arc?.result),
      word: now.arc.cv,
      state: now.arc.state,
      reason: now.arc.explanation
    },
    bimi: {
      rec: normalise(recorded.bimi?.result),
      word: now.bimi.result,
      state: now.bimi.state,
      reason: now.bimi.explanation
    }
  }
  const findings: Finding[] = []
  const build = (mech: AuthMechanism): AuthMechanismComparison => {
    const r = rows[mech]
    const { same, explanation } = explain(mech, r.rec, r.word, r.state, now, r.reason)
    const recState = stateOfWord(mech, r.rec)
    if (!same && recState && recState !== 'pass' && r.state === 'pass' && mech !== 'bimi') {
      findings.push({
        id: `auth.fixed-since-delivery:${mech}`,
        severity: 'ok',
        title: `${mech.toUpperCase()} passes today (was ${r.rec})`,
        detail: explanation,
        evidence: []
      })
    } else if (
      !same &&
      recState === 'pass' &&
      (r.state === 'fail' || r.state === 'warn') &&
      mech !== 'bimi'
    ) {
      findings.push({
        id: `auth.changed-since-delivery:${mech}`,
        severity: 'info',
        title: `${mech.toUpperCase()} passed at delivery, ${r.word} today`,
        detail: explanation,
        evidence: []
      })
    }
    return { mechanism: mech, recorded: r.rec, now: r.word, nowState: r.state, same, explanation }
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
