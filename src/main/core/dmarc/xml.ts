import { XMLParser } from 'fast-xml-parser'
import { ReportError } from './unpack'

/**
 * XML for DMARC aggregate reports, parsed with fast-xml-parser because it is a pure-JS parser that performs no I/O
 * at all: it cannot fetch an external entity or DTD (XXE), and we refuse any DOCTYPE/ENTITY declaration before
 * parsing, so no entity can expand beyond the five predefined ones (no "billion laughs"). Aggregate reports
 * (RFC 7489 Appendix C, RFC 9990) never carry a DTD, so nothing legitimate is lost.
 *
 * Reporters send broken XML surprisingly often (parsedmarc's samples: an unclosed <xs:schema> wrapper, a bare
 * "<" inside text, bytes that are not UTF-8). Like parsedmarc we recover what is unambiguous: invalid UTF-8
 * becomes U+FFFD, text outside <feedback>…</feedback> is dropped, and a "<" that cannot start a tag is escaped.
 */

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Report ids such as "949348866075514174" must stay strings: as numbers they would lose digits.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['record', 'dkim', 'spf', 'reason', 'error'].includes(name)
})

/** A "<" that starts a tag, closing tag, comment, CDATA or processing instruction. */
const TAG_START = /<(?=[A-Za-z_][\w.:-]*(?:\s|\/?>)|\/[A-Za-z_][\w.:-]*\s*>|!--|!\[CDATA\[|\?)/y

/** Escapes every "<" that is not the start of markup ("bad<xml.net", "<name@example.net>" in text). */
export function escapeStrayLt(xml: string): string {
  let out = ''
  let last = 0
  for (let i = xml.indexOf('<'); i >= 0; i = xml.indexOf('<', i + 1)) {
    TAG_START.lastIndex = i
    if (!TAG_START.test(xml)) {
      out += xml.slice(last, i) + '&lt;'
      last = i + 1
    }
  }
  return out + xml.slice(last)
}

export function decodeXmlBytes(bytes: Uint8Array): string {
  // BOMs are dropped; non-UTF-8 bytes become U+FFFD instead of failing the whole report.
  let text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes)
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return text
}

/**
 * Parses report XML into plain objects, rooted at `<feedback>`. Throws ReportError('dmarc.empty' |
 * 'dmarc.notXml' | 'dmarc.doctype' | 'dmarc.notAggregate').
 */
export function parseReportXml(text: string, file: string): Record<string, unknown> {
  if (!text.trim()) throw new ReportError('dmarc.empty', { file }, `${file} is empty.`)
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new ReportError(
      'dmarc.doctype',
      { file },
      `${file} declares a DTD or entities, which DMARC reports never do; refused for safety.`
    )
  const start = text.search(/<([A-Za-z_][\w.-]*:)?feedback[\s>]/)
  if (start < 0)
    throw new ReportError(
      'dmarc.notAggregate',
      { file },
      `${file} is not a DMARC aggregate report (no <feedback> element).`
    )
  const closeRe = /<\/([A-Za-z_][\w.-]*:)?feedback\s*>/g
  let end = -1
  for (let m = closeRe.exec(text); m; m = closeRe.exec(text)) end = m.index + m[0].length
  if (end < start)
    throw new ReportError(
      'dmarc.truncated',
      { file },
      `${file} is truncated: the report has no closing </feedback>.`
    )
  const body = escapeStrayLt(text.slice(start, end))
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(body, true) as Record<string, unknown>
  } catch (e) {
    throw new ReportError(
      'dmarc.notXml',
      { file, detail: (e as Error).message },
      `${file} is not well-formed XML: ${(e as Error).message}`
    )
  }
  const fb = doc.feedback
  if (!fb || typeof fb !== 'object')
    throw new ReportError(
      'dmarc.notAggregate',
      { file },
      `${file} is not a DMARC aggregate report (no <feedback> element).`
    )
  // removeNSPrefix drops xmlns attributes; the DMARCbis namespace (RFC 9990) is read from the start tag instead.
  const ns = /^<[^>]*\sxmlns\s*=\s*["']([^"']*)["']/.exec(body)?.[1]
  return ns ? { ...(fb as Record<string, unknown>), '@xmlns': ns } : (fb as Record<string, unknown>)
}
