/**
 * Header analyses: the Received chain.
 *
 * - `analyzeReceived(headers, { receivingDomains?, now? })` → `HopChain` { hops (sender first, each with from/by/
 *   with/tls/id/for/date/delaySec/anomalies), totalDelaySec, edge {index, ip, helo, reverse, by, reason,
 *   confidence}, receivingOrgs, anomalies }. The edge is where the receiving organisation accepted the message from
 *   outside: its IP and HELO are the inputs for an SPF re-check.
 * - `parseReceived(value)` parses a single field (used by the fuzz tests and by callers that show one line).
 * - `parseMailDate(text)` reads RFC 5322 dates including obsolete forms (RFC 5322 §4.3).
 * - `parseHeaderBlock(raw)` turns a pasted header block into the ordered, unfolded header list every analysis takes;
 *   `isHeadersOnly(raw)` tells whether a body is present.
 *
 * Input everywhere: `Array<{ name, value }>`, top of the message first, values unfolded.
 */
export { analyzeReceived, parseReceived, orgOf } from './received'
export type { HeaderField, ReceivedOptions } from './received'
export { parseMailDate, findTrailingDate } from './date'
export type { ParsedDate } from './date'
export { parseHeaderBlock, isHeadersOnly } from './header-list'
export { classifyIp, cleanIp, isInternalIp } from './ip'
export type { IpClass } from './ip'
