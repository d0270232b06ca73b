import catalogue from '../../../../../resources/blocklists.json'
import { parseTarget } from '../../blocklist/targets'
import type { Zones } from '../../dns/zone'

/**
 * DNS for the workflow fixtures (wf-s3150-dmarc.eml, wf-xss.eml): wf-shop.example sends from 198.51.100.77.
 * Broken: SPF does not authorise the IP (so DMARC fails: the DKIM key is not published either) and the IP is on
 * SpamCop. Fixed: SPF authorises it, the DKIM key is published, the listing is gone. Every other DNS list answers
 * its RFC 5782 §5 test points, so sweeps through this server are trustworthy ("clean" means clean).
 */
export const WF_DOMAIN = 'wf-shop.example'
export const WF_IP = '198.51.100.77'
export const WF_LIST = 'spamcop'
export const WF_LISTING = '77.100.51.198.bl.spamcop.net'
/** Public half of the key that signed the fixtures' returned originals (selector wf2025). */
export const WF_DKIM_P =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4uYbfG2IeWWPD+0zuK6q4IGPjX4IpkVDBO7GdVZtwOEgXdkihf+J19WlxdbWXSSfJ1pKycLV5xO8gFBg+oRDsgsd4FrxG6GSWz8NEe84Yjkg913pSXd0kg9JDf7zzwj8fiu6M184Bqxe4bSOX+9vYJrTsHFXKlWGBAZAxzC3s0t8iVENiumK7hd//dAs8+K+zICC/el67IA3wWXr+uWwea1Jtpzn5rNk2AeUhAl8DcIjLSmh1OIMNzHX+ivjAfUhNIy/PSB3aBgiuIwJnZsP928NxlirsUA8ManqDGyhvJpsIF3PAlfdnJyX5qdYJZFgWqKXVY4kubYp9FLhww4IzQIDAQAB'

export function listHealthZones(): Zones {
  const zones: Zones = {}
  for (const l of catalogue.lists as any[]) {
    if (l.defunct || l.kind === 'provider' || !l.zone) continue
    const code = String(Object.keys(l.returnCodes)[0] ?? '127.0.0.2').replace(/\*/g, '0')
    for (const [type, points] of Object.entries(l.testPoints as Record<string, { listed: string[] }>)) {
      for (const p of points.listed) {
        const label = type === 'domain' ? p.toLowerCase() : parseTarget(p).label
        zones[`${label}.${l.zone}`] = { A: [code] }
      }
    }
  }
  return zones
}

export function brokenZones(): Zones {
  return {
    ...listHealthZones(),
    [WF_DOMAIN]: { TXT: ['v=spf1 ip4:192.0.2.10 -all'], MX: [{ exchange: `mx.${WF_DOMAIN}`, priority: 10 }] },
    [`mx.${WF_DOMAIN}`]: { A: ['192.0.2.25'] },
    [`relay.${WF_DOMAIN}`]: { A: [WF_IP] },
    [`77.100.51.198.in-addr.arpa`]: { PTR: [`relay.${WF_DOMAIN}`] },
    [`_dmarc.${WF_DOMAIN}`]: { TXT: ['v=DMARC1; p=reject'] },
    [WF_LISTING]: { A: ['127.0.0.2'], TXT: ['Blocked - see https://www.spamcop.net/bl.shtml?198.51.100.77'] }
  }
}

/** What the admin publishes after the Fix step. */
export function fixedRecords() {
  return {
    spf: `v=spf1 ip4:${WF_IP} -all`,
    dmarc: `v=DMARC1; p=reject; rua=mailto:dmarc@${WF_DOMAIN}`,
    dkimName: `wf2025._domainkey.${WF_DOMAIN}`,
    dkim: ['v=DKIM1; k=rsa; p=' + WF_DKIM_P]
  }
}
