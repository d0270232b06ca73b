/**
 * DMARC aggregate (RUA), failure (RUF) and SMTP TLS (RFC 8460) reports: reading files into reports, and the pure
 * analyses behind the DMARC view (sources, forwarders, readiness). No I/O here: DNS is injected.
 */
export * from './aggregate'
export * from './failure'
export * from './tls-report'
export * from './read-file'
export { ReportError, DEFAULT_LIMITS, type UnpackLimits } from './unpack'
export * from './identify'
export * from './summary'
