/**
 * Case reports: self-contained HTML (inline CSS, inline SVG hop chart, strict CSP, no scripts), Markdown and
 * JSON, in English or French, full or "for the blocklist operator". PDF is HTML printed by a browser engine
 * (Electron's printToPDF, or headless Chromium where installed: services/chromium-pdf.ts, kept out of the
 * pure core because it spawns a process and writes temp files).
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
export { translator, type Translator } from './i18n'
export type { ReportData } from './types'
