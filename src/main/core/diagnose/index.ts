/**
 * The diagnose pipeline: bytes in, one `Analysis` per message out. Pure apart from the injected DNS client:
 * no database, no Electron. Used by the services (drop into a case), `message.analyze`, the CLI and the benchmarks.
 *
 * Public API
 * - `analyzeFile(bytes, name, {settings}) → AnalyzedItem[]` — sniff, split mbox, parse, analyse offline: kind,
 *   summary, hops, recorded auth, anti-spam, bounce recipients, the returned original (hops/auth/anti-spam, sending
 *   IP and domain), knowledge-base and blocklist matches, the verdict and deduplicated findings. Never throws: a file
 *   that cannot be read becomes `kind: 'error'` with `{code, message}`.
 * - `analyzeParsed(file, msg, raw)`, `analyzeSmtpText(file, text)`, `analyzeOriginal(raw, headersOnly)`.
 * - `computeVerdict(input) → Verdict | undefined` (verdict.ts): cause, reason, summary, evidence spans, confidence,
 *   next steps, delisting links; primary + secondary causes.
 * - `reverifyAnalysis(analysis, storedBytes, {client}) → Analysis` (reverify.ts): SPF/DKIM/DMARC/ARC/BIMI today,
 *   stored as `auth.now` + `auth.comparison` (for a bounce: on `original.auth`), verdict refreshed.
 * - `messageBody(storedBytes) → {text, html?, blockedRemote}` (body.ts): bodies on demand, HTML neutralised.
 */
import type { Analysis } from '../../../shared/schemas/analysis'
import type { AnalyzedItem, AnalyzeOptions } from '../../services/context'
import { parseMessage, sniffInput, splitMbox, parseMsg, decodeBytes, normalizeNewlines } from '../mime'
import type { ParsedMessage } from '../mime'
import { analyzeParsed, analyzeSmtpText } from './analyze-message'

export {
  analyzeParsed,
  analyzeSmtpText,
  analyzeOriginal,
  dedupFindings,
  verdictInputOf
} from './analyze-message'
export { computeVerdict, ipInText } from './verdict'
export type { VerdictInput } from './verdict'
export { reverifyAnalysis } from './reverify'
export type { ReverifyOptions } from './reverify'
export { messageBody, neutraliseHtml } from './body'
export type { MessageBody } from './body'

export function errorAnalysis(file: string, code: string, message: string): Analysis {
  return {
    file,
    kind: 'error',
    summary: { from: null, to: null, subject: null, date: null, messageId: null },
    headers: [],
    hops: [],
    totalDelaySec: null,
    edge: null,
    hopAnomalies: [],
    sendingIp: null,
    sendingDomain: null,
    findings: [],
    warnings: [],
    error: { code, message },
    details: {}
  }
}

/** One message's analysis; an unexpected exception becomes that message's error, never the whole drop's. */
async function safeAnalyze(
  name: string,
  parse: () => Promise<ParsedMessage> | ParsedMessage,
  raw: Uint8Array | string
): Promise<Analysis> {
  try {
    return await analyzeParsed(name, await parse(), raw)
  } catch (e) {
    return errorAnalysis(name, 'PARSE_ERROR', `${name} could not be analysed: ${(e as Error).message}`)
  }
}

export async function analyzeFile(
  bytes: Uint8Array,
  name: string,
  opts: Partial<AnalyzeOptions> = {}
): Promise<AnalyzedItem[]> {
  const maxBytes = (opts.settings?.maxFileMb ?? 50) * 1024 * 1024
  const sniff = sniffInput(bytes, name, maxBytes)
  if (sniff.kind === 'error') {
    const err = sniff.error ?? { code: 'NOT_A_MESSAGE', message: `${name} is not an email message.` }
    return [{ name, content: bytes, analysis: errorAnalysis(name, err.code, err.message) }]
  }
  if (sniff.kind === 'smtp-text') {
    const text = normalizeNewlines(decodeBytes(bytes).text).trim()
    try {
      return [{ name, content: bytes, analysis: await analyzeSmtpText(name, text) }]
    } catch (e) {
      return [
        {
          name,
          content: bytes,
          analysis: errorAnalysis(name, 'PARSE_ERROR', `${name}: ${(e as Error).message}`)
        }
      ]
    }
  }
  if (sniff.kind === 'mbox') {
    const parts = splitMbox(bytes)
    const out: AnalyzedItem[] = []
    let i = 0
    for (const raw of parts) {
      i++
      const itemName = `${name} #${i}`
      out.push({
        name: itemName,
        content: new TextEncoder().encode(raw),
        analysis: await safeAnalyze(itemName, () => parseMessage(raw, { source: 'mbox' }), raw)
      })
    }
    if (out.length === 0) {
      return [
        {
          name,
          content: bytes,
          analysis: errorAnalysis(name, 'NOT_A_MESSAGE', `${name} is an empty mailbox.`)
        }
      ]
    }
    return out
  }
  const parse = () => (sniff.kind === 'msg' ? parseMsg(bytes) : parseMessage(bytes))
  return [{ name, content: bytes, analysis: await safeAnalyze(name, parse, bytes) }]
}
