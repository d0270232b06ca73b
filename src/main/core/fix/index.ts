/**
 * Fix generators: pure functions that turn a diagnosis into something to paste, each explained line by line.
 *
 * - `buildSpf` SPF record from the service catalogue (resources/spf-services.json), own IPs and kept mechanisms;
 *   lookup count (injected live counter) and a flattened alternative (injected include resolver).
 * - `planDmarc` dated DMARC rollout none → quarantine → reject, plus the RFC 7489 §7.1 report authorisation.
 * - `generateDkimKey` RSA-2048 / Ed25519 key pair, TXT split into ≤255-char strings, OpenDKIM and Postfix
 *   snippets; `microsoftDkimCnames` for Microsoft 365.
 * - `postfixRelayFix`, `exchangeAnonymousRelay`, `exchangeOnlineConnector`, `enhancedFilteringFix`.
 * - `reverseDnsRequest` PTR + A/AAAA records and a letter to the IP provider.
 * - `lintContent` findings about shorteners, images, phrases, alignment and one-click unsubscribe.
 */
export { buildSpf, findSpfService, spfServices, type BuildSpfInput } from './spf-builder'
export { countDirectLookups, keepMechanisms, parseSpf, type ParsedSpf, type SpfTerm } from './spf-record'
export { parseDmarc, planDmarc, type PlanDmarcInput } from './dmarc-planner'
export {
  dkimPublicKeyValue,
  generateDkimKey,
  importDkimPublicKey,
  microsoftDkimCnames,
  type DkimKeyInput,
  type MicrosoftDkimInput
} from './dkim-keys'
export {
  enhancedFilteringFix,
  exchangeAnonymousRelay,
  exchangeOnlineConnector,
  postfixRelayFix,
  type EnhancedFilteringInput,
  type ExchangeOnlineConnectorInput,
  type ExchangeRelayInput,
  type PostfixRelayInput
} from './relay-fixes'
export { ptrOwnerName, reverseDnsRequest, type ReverseDnsInput } from './reverse-dns'
export { extractUrls, htmlToText, lintContent, type LintContentInput } from './content-lint'
export { quoteTxt, splitTxt, unquoteTxt, warningsOf } from './snippet'
