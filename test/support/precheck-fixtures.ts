import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { dkimSign } from 'mailauth'
import catalogue from '../../resources/blocklists.json'
import type { Zones } from '../../src/main/core/dns/zone'

/**
 * The pre-send check's fixture: e2e/data/precheck-newsletter.eml (a hand-written newsletter of shop.test with
 * one-click unsubscribe and a link to bad-deals.test), DKIM-signed at test time the way an ESP signs it, and the
 * DNS zones the loopback server answers with: shop.test's SPF, DKIM key and DMARC policy, the sending IP's
 * PTR/FCrDNS, the RFC 5782 §5 test points of the catalogue's default domain lists, and bad-deals.test listed on
 * the Spamhaus DBL.
 */
export const SENDING_IP = '198.51.100.25'
export const LISTED_DOMAIN = 'bad-deals.test'
const SELECTOR = 's2025'

export function newsletterSource(): string {
  return readFileSync(join(__dirname, '../../e2e/data/precheck-newsletter.eml'), 'utf8').replace(
    /\r?\n/g,
    '\r\n'
  )
}

export async function signedNewsletter(): Promise<{ eml: string; zones: Zones }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
  const msg = newsletterSource()
  const key = { signingDomain: 'shop.test', selector: SELECTOR, privateKey: pem }
  const signed = await dkimSign(msg, {
    ...key,
    // RFC 8058 §4: the signature must cover both unsubscribe headers.
    // mailauth reads a colon-separated string here (lib/dkim/dkim-signer.js), whatever its .d.ts says.
    headerList:
      'From:To:Subject:Date:Message-ID:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post' as unknown as string[],
    signatureData: [key]
  })
  return { eml: signed.signatures + msg, zones: { ...senderZones(pub), ...domainListZones() } }
}

function senderZones(pub: string): Zones {
  return {
    'shop.test': {
      TXT: [`v=spf1 ip4:${SENDING_IP} -all`],
      MX: [{ exchange: 'mail.shop.test', priority: 10 }]
    },
    'mail.shop.test': { A: [SENDING_IP] },
    [`${SENDING_IP.split('.').reverse().join('.')}.in-addr.arpa`]: { PTR: ['mail.shop.test'] },
    '_dmarc.shop.test': { TXT: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@shop.test'] },
    [`${SELECTOR}._domainkey.shop.test`]: {
      TXT: [[`v=DKIM1; k=rsa; `, `p=${pub.slice(0, 200)}`, pub.slice(200)]]
    }
  }
}

/** Each default domain list answers its own "listed" test point, so its self-test passes on the loopback server. */
export function domainListZones(): Zones {
  const zones: Zones = {}
  for (const l of catalogue.lists as Array<Record<string, any>>) {
    if (!l.type.includes('domain') || !l.defaultEnabled || l.requiresKey || l.defunct) continue
    const code = Object.keys(l.returnCodes ?? {})[0] ?? '127.0.0.2'
    for (const p of l.testPoints?.domain?.listed ?? []) zones[`${p}.${l.zone}`] = { A: [code] }
    if (l.id === 'spamhaus-dbl') zones[`${LISTED_DOMAIN}.${l.zone}`] = { A: [code] }
  }
  return zones
}
