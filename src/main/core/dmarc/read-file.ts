import { parseMessage, parseMsg } from '../mime'
import type { ParsedMessage } from '../mime'
import { parseAggregate, type AggregateReport } from './aggregate'
import { parseFailureMessage, type FailureReport } from './failure'
import { parseTlsReport, type TlsReport } from './tls-report'
import { DEFAULT_LIMITS, gunzip, isGzip, isZip, ReportError, unzip, type UnpackLimits } from './unpack'
import { decodeXmlBytes } from './xml'

export type ParsedReport = (AggregateReport | FailureReport | TlsReport) & {
  /** Where in the file it came from: "file.zip:member.xml", "mail.eml:report.xml.gz". */
  source: string
}

export interface FileProblem {
  file: string
  code: string
  params: Record<string, string | number>
  /** English text, for the CLI and logs; the UI renders `code` + `params` through i18next. */
  error: string
}

export interface ReadResult {
  reports: ParsedReport[]
  errors: FileProblem[]
}

const MAX_DEPTH = 4
const OLE = [0xd0, 0xcf, 0x11, 0xe0]

function firstChar(b: Uint8Array): string {
  for (let i = 0; i < Math.min(b.length, 4096); i++) {
    const c = b[i]
    if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) {
      i += 2
      continue
    }
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return String.fromCharCode(c)
  }
  return ''
}

/** An RFC 5322 message: a header field ("Name: value") on the first line. */
const looksLikeMail = (b: Uint8Array) =>
  /^(?:From [^\n]*\n)?[!-9;-~]+:[ \t]/.test(Buffer.from(b.subarray(0, 1024)).toString('latin1'))

function problem(file: string, e: unknown): FileProblem {
  if (e instanceof ReportError) return { file, code: e.code, params: { file, ...e.params }, error: e.message }
  const detail = (e as Error)?.message ?? String(e)
  return {
    file,
    code: 'dmarc.unreadable',
    params: { file, detail },
    error: `${file} could not be read: ${detail}`
  }
}

async function fromMessage(msg: ParsedMessage, name: string, limits: UnpackLimits, depth: number) {
  const out: ReadResult = { reports: [], errors: [] }
  const failure = parseFailureMessage(msg)
  if (failure) {
    out.reports.push({ ...failure, source: name })
    return out
  }
  // Aggregate and TLS reports travel as attachments (RFC 7489 §7.2.1.1, RFC 8460 §5.3).
  for (const a of msg.attachments) {
    if (!a.content || /^(message\/(delivery-status|feedback-report)|text\/(plain|html))/i.test(a.mimeType))
      continue
    const sub = await readReportBytes(a.content, `${name}:${a.filename ?? a.mimeType}`, limits, depth + 1)
    out.reports.push(...sub.reports)
    out.errors.push(...sub.errors)
  }
  if (out.reports.length === 0 && out.errors.length === 0)
    out.errors.push(
      problem(
        name,
        new ReportError(
          'dmarc.noReportInMessage',
          { file: name },
          `${name} is an email without a DMARC or TLS report attached.`
        )
      )
    )
  return out
}

/**
 * Reads every report in one file's bytes: XML (aggregate), JSON (TLS), gzip, zip, .eml or .msg (with the report
 * attached, or an RFC 6591 failure report). Never throws: each unreadable part becomes one `FileProblem` with a
 * code and the others are still returned. This is the entry point other sources (a mailbox) call with bytes.
 */
export async function readReportBytes(
  bytes: Uint8Array,
  name: string,
  limits: UnpackLimits = DEFAULT_LIMITS,
  depth = 0
): Promise<ReadResult> {
  try {
    if (depth > MAX_DEPTH)
      throw new ReportError('dmarc.tooDeep', { file: name }, `${name} nests archives too deeply.`)
    if (bytes.length === 0)
      throw new ReportError('dmarc.empty', { file: name }, `${name} is empty (0 bytes).`)
    if (isGzip(bytes)) {
      return await readReportBytes(gunzip(bytes, name, limits), name.replace(/\.gz$/i, ''), limits, depth + 1)
    }
    if (isZip(bytes)) {
      const out: ReadResult = { reports: [], errors: [] }
      for (const entry of unzip(bytes, name, limits)) {
        const sub = await readReportBytes(entry.bytes, entry.name, limits, depth + 1)
        out.reports.push(...sub.reports)
        out.errors.push(...sub.errors)
      }
      return out
    }
    if (OLE.every((b, i) => bytes[i] === b))
      return await fromMessage(parseMsg(bytes, limits.maxEntryBytes), name, limits, depth)
    const c = firstChar(bytes)
    if (c === '<') {
      const report = parseAggregate(decodeXmlBytes(bytes), name)
      return { reports: [{ ...report, source: name }], errors: [] }
    }
    if (c === '{') {
      const report = parseTlsReport(new TextDecoder().decode(bytes), name)
      return { reports: [{ ...report, source: name }], errors: [] }
    }
    if (looksLikeMail(bytes))
      return await fromMessage(
        await parseMessage(bytes, { keepContentMax: limits.maxEntryBytes }),
        name,
        limits,
        depth
      )
    if (c === '') throw new ReportError('dmarc.empty', { file: name }, `${name} is empty (only white space).`)
    throw new ReportError(
      'dmarc.unknownFormat',
      { file: name },
      `${name} is not a DMARC or TLS report (expected XML, JSON, .gz, .zip, .eml or .msg).`
    )
  } catch (e) {
    return { reports: [], errors: [problem(name, e)] }
  }
}
