/**
 * Anti-spam verdicts decoded into plain language.
 *
 * `decodeAntispam(headers)` takes the message's header fields in order (top first, unfolded) and returns one
 * `VendorVerdict` per filter that left a trace (SpamAssassin, Microsoft 365 / Exchange, Rspamd, Barracuda,
 * Proofpoint, Mimecast, Cisco IronPort, Google, Trend Micro) plus findings such as `antispam.m365-scl-high` or
 * `antispam.sa-spam`. Meanings live in resources/antispam/*.json; fields a vendor does not document are marked
 * `opaque` and never drive a verdict. Pure functions: no DNS, no I/O.
 */
import type { AntispamReport, HeaderField, VendorVerdict } from '../../../shared/schemas/antispam'
import type { Finding } from '../../../shared/schemas/common'
import { decodeBarracuda } from './barracuda'
import { decodeGoogle } from './google'
import { decodeIronPort } from './ironport'
import { decodeMicrosoft } from './microsoft'
import { decodeMimecast } from './mimecast'
import { decodeProofpoint } from './proofpoint'
import { decodeRspamd } from './rspamd'
import { decodeSpamAssassin } from './spamassassin'
import { decodeTrendMicro } from './trend-micro'

export { decodeBarracuda } from './barracuda'
export { decodeGoogle } from './google'
export { decodeIronPort } from './ironport'
export { decodeMicrosoft } from './microsoft'
export { decodeMimecast } from './mimecast'
export { decodeProofpoint } from './proofpoint'
export { decodeRspamd, parseSpamdResult } from './rspamd'
export { decodeSpamAssassin, parseSpamReport, parseSpamStatus, describeSaRule } from './spamassassin'
export { decodeTrendMicro } from './trend-micro'
export { saRules, rspamdSymbols } from './rule-data'

type Decoder = (
  headers: readonly HeaderField[]
) => { verdict: VendorVerdict; findings: Finding[] } | undefined

const decoders: Decoder[] = [
  decodeMicrosoft,
  decodeSpamAssassin,
  decodeRspamd,
  decodeBarracuda,
  decodeProofpoint,
  decodeMimecast,
  decodeIronPort,
  decodeTrendMicro,
  decodeGoogle
]

export function decodeAntispam(headers: readonly HeaderField[]): AntispamReport {
  const vendors: VendorVerdict[] = []
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const decode of decoders) {
    const out = decode(headers)
    if (!out) continue
    vendors.push(out.verdict)
    for (const f of out.findings) {
      if (seen.has(f.id)) continue
      seen.add(f.id)
      findings.push(f)
    }
  }
  return { vendors, findings }
}
