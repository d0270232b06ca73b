import type { Settings } from '../../shared/settings'
import { createCachingClient, type CachingDnsClient } from '../core/dns/caching'
import { createDnsClient } from '../adapters/dns/resolver'
import { AppError } from '../../shared/result'

/**
 * A DNS client for one check, from the settings: the system resolver, or the one the admin set (IP[:port]).
 * The cache lives as long as the returned client, i.e. one check (issue: "cache within one check").
 * Tests point the app at their loopback DNS server through this same setting.
 */
export function dnsClientFor(settings: Settings, override?: string): CachingDnsClient {
  const resolver = (override ?? settings.resolver).trim()
  if (resolver && !/^(\[[0-9a-f:.]+\]|[0-9.]+|[0-9a-f:]+)(:\d{1,5})?$/i.test(resolver)) {
    throw new AppError(
      'INVALID_INPUT',
      `The resolver "${resolver}" is not an IP address or IP:port (Settings → DNS resolver).`
    )
  }
  return createCachingClient(
    createDnsClient({
      servers: resolver ? [resolver] : undefined,
      timeoutMs: settings.dnsTimeoutMs,
      tries: 2
    })
  )
}
