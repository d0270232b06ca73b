import catalogue from '../../../../../resources/blocklists.json'
import type { Zones } from '../../dns/zone'
import { listHealthZones } from './wf-zones'

/**
 * DNS for e2e/data/relay-listed.eml: the relay mta1.acme-widgets.example (203.0.113.77) is on Spamhaus ZEN while
 * the domain is healthy (SPF authorises the relay, DMARC published, PTR and HELO agree). Ten DNS lists never
 * answer, as lists do that refuse or drop a resolver's queries: they must come out as one coverage note, never as
 * ten to-dos and never as "clean".
 */
export const RELAY_DOMAIN = 'acme-widgets.example'
export const RELAY_IP = '203.0.113.77'
export const RELAY_LIST = 'spamhaus-zen'
export const RELAY_LISTING = '77.113.0.203.zen.spamhaus.org'
/** Public half of the key that signed relay-listed.eml's returned original (selector s2025). */
export const RELAY_DKIM_P =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArk510xofF8zTWAssX2meDKr/FwvbOC4A0DCfcoYsNKIFEAfQcXFzhZ8Dl9hD+xqqhOH4oXfrFzj8X1tltZoLbfWEMCnfWT6N4fMZZtwkfTLiQ5MiNNN3z+sXozV6vNtpZAgNN+pxKgAzFLEJ0zsf/AqCFuvGsCZ+SXw2V68WFjrpXXl+169Hrvs6FyQKuRrXkEV058X0JjeHgWaMDPbSdFMbNRYu+Gwa7NAzbH1JkAjDc3BStUYxjQo444adJNq+hknSIJ3QN9IGoDGGrlxy+RCbYeBHBvE6WEB41bAevdimkqd8qK5GewTGrp5oCVSOZlWaHy4PrFrgFqJEdK048wIDAQAB'

/** Ten active DNS lists other than ZEN, in catalogue order (stable across runs). */
export function silentLists(): { id: string; zone: string }[] {
  // Lists the default sweep of an IPv4 address queries (Spamhaus zones other than ZEN overlap with it).
  return (
    catalogue.lists as {
      id: string
      zone?: string
      defunct?: boolean
      kind?: string
      type: string[]
      defaultEnabled?: boolean
      requiresKey?: boolean
    }[]
  )
    .filter((l) => !l.defunct && l.kind === 'block' && l.zone && l.id !== RELAY_LIST)
    .filter((l) => l.defaultEnabled && !l.requiresKey && l.type.includes('ip4'))
    .filter((l) => !l.zone!.endsWith('spamhaus.org'))
    .slice(0, 10)
    .map((l) => ({ id: l.id, zone: l.zone! }))
}

export function relayZones(): Zones {
  const zones: Zones = {
    ...listHealthZones(),
    [RELAY_DOMAIN]: {
      TXT: [`v=spf1 ip4:${RELAY_IP} -all`],
      MX: [{ exchange: `mail.${RELAY_DOMAIN}`, priority: 10 }]
    },
    [`mail.${RELAY_DOMAIN}`]: { A: ['192.0.2.25'] },
    [`mta1.${RELAY_DOMAIN}`]: { A: [RELAY_IP] },
    ['77.113.0.203.in-addr.arpa']: { PTR: [`mta1.${RELAY_DOMAIN}`] },
    // A TXT record is split into character-strings of at most 255 octets (RFC 1035 §3.3.14, RFC 6376 §3.6.2.2).
    [`s2025._domainkey.${RELAY_DOMAIN}`]: {
      TXT: [(`v=DKIM1; k=rsa; p=${RELAY_DKIM_P}`.match(/.{1,255}/g) ?? []) as string[]]
    },
    [`_dmarc.${RELAY_DOMAIN}`]: { TXT: [`v=DMARC1; p=reject; rua=mailto:dmarc@${RELAY_DOMAIN}`] },
    [RELAY_LISTING]: { A: ['127.0.0.2'], TXT: ['https://check.spamhaus.org/listed/?searchterm=203.0.113.77'] }
  }
  for (const l of silentLists()) {
    zones[l.zone] = { behaviour: 'timeout' }
    zones[`*.${l.zone}`] = { behaviour: 'timeout' }
  }
  return zones
}
