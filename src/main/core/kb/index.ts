/**
 * Knowledge base of provider rejection texts.
 *
 * `matchRejection(text, {status?, replyCode?})` maps an SMTP rejection (e.g. "550 5.7.1 ... (S3150)") to ranked
 * `RejectionMatch`es: cause category, plain explanation, fix, contact and delisting URLs, and the exact matched
 * span (start/end) for highlighting. The data lives in resources/rejections.json; each entry cites the vendor
 * documentation it is based on and carries example texts that the test suite matches. Every entry has a French
 * `fr: {title, explanation, fix}`; TLS entries are `tls-required` (the receiver demands it) or `tls-unavailable` (the
 * remote offers none), because enabling STARTTLS on the sender only helps in the first case.
 */
export { extractCodes, getRejectionEntries, matchRejection } from './match-rejection'
