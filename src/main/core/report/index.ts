/**
 * Case reports: self-contained HTML (inline CSS, inline SVG hop chart, strict CSP, no scripts), Markdown and
 * JSON, in English or French, full or "for the blocklist operator". PDF is HTML printed by a browser engine
 * (see pdf.ts): Electron's printToPDF, or headless Chromium where installed.
 */
export {
  buildHtml,
  buildJson,
  buildMarkdown,
  escapeHtml,
  escapeMd,
  hopChartSvg,
  operatorFacts,
  REPORT_CSP
} from './build'
export { htmlToPdf, findChromium } from './pdf'
export { translator, type Translator } from './i18n'
export type { ReportData } from './types'
