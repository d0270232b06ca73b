export { checkDomain, DOMAIN_STEPS, type CheckDomainInput, type DomainStep } from './check-domain'
export { checkSpf, parseSpfTerm, LOOKUP_LIMIT, VOID_LIMIT } from './spf'
export { evaluateSpf, type EvaluateSpfOptions } from './spf-evaluate'
export { checkDkim, parseDkimKey, COMMON_SELECTORS } from './dkim'
export { checkDmarc, orgDomainOf } from './dmarc'
export { checkMx, checkPtr, reverseName } from './mx'
export { checkMtaSts, checkTlsRpt, checkBimi, parseStsPolicy, mxMatches } from './mta-sts'
export {
  createHttpsFetch,
  type FetchPolicy,
  type PolicyResponse,
  type HttpsFetchOptions
} from './fetch-policy'
