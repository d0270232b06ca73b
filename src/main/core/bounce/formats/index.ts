import { activehunter } from './activehunter'
import { amazonSesJson } from './amazonses-json'
import { apachejames } from './apachejames'
import { dragonfly } from './dragonfly'
import { ezweb } from './ezweb'
import { imailserver } from './imailserver'
import { interscanmss } from './interscanmss'
import { notes } from './notes'
import { challengeResponse, rfc3834 } from './rfc3834'
import type { FormatContext, FormatFact, FormatParser } from './types'
import { v5sendmail } from './v5sendmail'
import { verizon } from './verizon'
import { x1 } from './x1'
import { zoho } from './zoho'

/** Layouts that also state a reason for recipients of a DSN they accompany (matched by address). */
export const DSN_COMPANIONS: FormatParser[] = [ezweb]

export type { FormatContext, FormatFact, FormatParser } from './types'

/**
 * Layout parsers tried, in order, when a message has no RFC 3464 delivery-status part. Each recognises its
 * family cheaply (a header or a fixed sentence) before reading lines, so the cost of a miss is a few indexOf.
 */
export const FORMAT_PARSERS: FormatParser[] = [
  amazonSesJson,
  dragonfly,
  v5sendmail,
  zoho,
  imailserver,
  interscanmss,
  activehunter,
  x1,
  notes,
  ezweb,
  verizon,
  apachejames
]

/** Auto-replies are tried last, only when nothing says "bounce". */
export const AUTO_REPLY_PARSER = rfc3834
/** Challenge-response requests, tried before auto-replies (they often carry Auto-Submitted too). */
export const CHALLENGE_PARSER = challengeResponse

export function runFormatParsers(
  ctx: FormatContext,
  parsers: FormatParser[] = FORMAT_PARSERS
): { name: string; facts: FormatFact[] } | undefined {
  for (const p of parsers) {
    const facts = p.parse(ctx)
    if (facts && facts.length > 0) return { name: p.name, facts: facts.filter((f) => f.recipient) }
  }
  return undefined
}
