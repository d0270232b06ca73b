/**
 * Authentication analyses.
 *
 * - `analyzeRecordedAuth(headers, { chain?, receivingDomains? })` → `RecordedAuth`: every Authentication-Results
 *   (RFC 8601), ARC-Authentication-Results (RFC 8617) and Received-SPF (RFC 7208 §9.1), the set the receiving
 *   organisation wrote (`trusted`, with reason / ambiguity), per-mechanism verdicts (spf, dkim[], dmarc, arc, bimi,
 *   compauth with decoded Microsoft reason) and findings (auth.dmarc-fail, auth.spf-fail, auth.dkim-misaligned,
 *   auth.compauth-fail, ...).
 * - `verifyAuth({ message, ip?, helo?, mailFrom?, client?, headersOnly?, now? })` → `AuthCheck`: re-verification
 *   today with mailauth. No DNS client → `not_checked`; DNS errors → `could_not_check`; headers-only → DKIM body
 *   hash `not_checked`.
 * - `compareAuth(recorded, now)` → `AuthComparison`: per mechanism { recorded, now, nowState, same, explanation }.
 * - `toMailauthResolver(client)` adapts the project's `DnsClient` to mailauth's resolver (Node error codes).
 * - `zoneClient(zone)` is a declarative in-memory `DnsClient` for tests and offline replays.
 * - `decodeCompauthReason(code)` reads resources/compauth-reasons.json.
 */
export { analyzeRecordedAuth, decodeCompauthReason, fromDomainOf } from './recorded'
export type { RecordedOptions } from './recorded'
export { parseAuthResults, parseReceivedSpf } from './auth-results'
export type { ParsedAuthResults } from './auth-results'
export { verifyAuth } from './verify'
export type { VerifyInput } from './verify'
export { compareAuth } from './compare'
export { toMailauthResolver } from './mailauth-resolver'
export type { MailauthResolver, DnsLookupError } from './mailauth-resolver'
