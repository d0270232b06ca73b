import { generateKeyPairSync } from 'node:crypto'
import type { DnsTestServer, Zones } from './dns-server'

/**
 * The watchlist fixture (issue 14), shared by the CLI test and the e2e: 203.0.113.77 listed on SpamCop and
 * Barracuda (with their RFC 5782 §5 test points, so both pass their self-test; every other list fails its
 * self-test on this server and is coverage, never clean), with forward-confirmed reverse DNS, and shop.test with
 * SPF, DMARC, MX and the DKIM selector s1.
 */
const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64')

export const WATCH_IP = '203.0.113.77'
export const SPF_BEFORE = 'v=spf1 ip4:203.0.113.77 -all'
export const SPF_AFTER = 'v=spf1 ip4:203.0.113.77 ip4:203.0.113.78 -all'

export const watchZones = (): Zones => ({
  '2.0.0.127.bl.spamcop.net': { A: ['127.0.0.2'] },
  '77.113.0.203.bl.spamcop.net': {
    A: ['127.0.0.2'],
    TXT: ['Blocked - see https://www.spamcop.net/bl.shtml']
  },
  '2.0.0.127.b.barracudacentral.org': { A: ['127.0.0.2'] },
  '77.113.0.203.b.barracudacentral.org': { A: ['127.0.0.2'] },
  '77.113.0.203.in-addr.arpa': { PTR: ['mail.shop.test'] },
  'mail.shop.test': { A: ['203.0.113.77'] },
  'shop.test': {
    TXT: [SPF_BEFORE],
    MX: [{ exchange: 'mail.shop.test', priority: 10 }]
  },
  '_dmarc.shop.test': { TXT: ['v=DMARC1; p=reject; rua=mailto:dmarc@shop.test'] },
  's1._domainkey.shop.test': { TXT: [`v=DKIM1; k=rsa; p=${dkimKey}`] }
})

/** The state of run 3: the SpamCop listing gone and the SPF record changed. */
export function dropListingAndChangeSpf(dns: DnsTestServer): void {
  dns.deleteName('77.113.0.203.bl.spamcop.net')
  dns.setRecord('shop.test', 'TXT', [SPF_AFTER])
}
