/**
 * The diagnose pipeline: bytes in, one `Analysis` per message out. Pure apart from the injected DNS client:
 * no database, no Electron. Used by the services (drop into a case), `message.analyze`, the CLI and the benchmarks.
 */
import type { Analysis } from '../../../shared/schemas/analysis'
import type { AnalyzedItem, AnalyzeOptions } from '../../services/context'
import { parseMessage, sniffInput, splitMbox, parseMsg, decodeBytes, normalizeNewlines } from '../mime'
import type { ParsedMessage } from '../mime'
import { analyzeParsed, analyzeSmtpText } from './analyze-message'

export { analyzeParsed, analyzeSmtpText } from './analyze-message'

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
    return [{ name, content: bytes, analysis: analyzeSmtpText(name, text) }]
  }
  if (sniff.kind === 'mbox') {
    const parts = splitMbox(bytes)
    const out: AnalyzedItem[] = []
    let i = 0
    for (const raw of parts) {
      i++
      const itemName = `${name} #${i}`
      const parsed = await parseMessage(raw, { source: 'mbox' })
      out.push({ name: itemName, content: new TextEncoder().encode(raw), analysis: await analyzeParsed(itemName, parsed, raw) })
    }
    if (out.length === 0) {
      return [{ name, content: bytes, analysis: errorAnalysis(name, 'NOT_A_MESSAGE', `${name} is an empty mailbox.`) }]
    }
    return out
  }
  let parsed: ParsedMessage
  if (sniff.kind === 'msg') parsed = parseMsg(bytes)
  else parsed = await parseMessage(bytes)
  return [{ name, content: bytes, analysis: await analyzeParsed(name, parsed, bytes) }]
}
