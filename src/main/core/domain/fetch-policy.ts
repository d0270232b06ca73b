/**
 * How MTA-STS policies are fetched (RFC 8461 §3.3), injected into the domain check: the HTTPS adapter
 * (src/main/adapters/https-fetch.ts) in the app, a fake in tests. Core does no I/O of its own.
 */
export interface PolicyResponse {
  status: number
  body: string
  contentType?: string
}
export type FetchPolicy = (url: string) => Promise<PolicyResponse>
