import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import type { DkimKeyResult, FixSnippet } from '../../../shared/schemas/fix'
import { text, type Text } from '../../../shared/text'
import { SaidError } from '../text/said-error'
import { line, quoteTxt, snippet, splitTxt, warningsOf } from './snippet'

/**
 * DKIM key generation (RFC 6376) with node:crypto: RSA 2048 (RFC 8301 sets 1024 as the minimum and 2048 as
 * recommended) or Ed25519 (RFC 8463). The private key is returned to the caller, which saves it through a save
 * dialog; nothing is written or cached here.
 */

export interface DkimKeyInput {
  domain: string
  selector: string
  algorithm: 'rsa2048' | 'ed25519'
  /** Path where the OpenDKIM host will keep the key, for the KeyTable line. */
  keyPath?: string
}

/**
 * The p= value. RSA: base64 of the DER SubjectPublicKeyInfo, which is what opendkim-genkey publishes and
 * verifiers accept. Ed25519: base64 of the raw 32-byte public key, not SPKI (RFC 8463 §4.2).
 */
export function dkimPublicKeyValue(publicKeyDer: Buffer, algorithm: 'rsa2048' | 'ed25519'): string {
  if (algorithm === 'ed25519') return publicKeyDer.subarray(publicKeyDer.length - 32).toString('base64')
  return publicKeyDer.toString('base64')
}

export function generateDkimKey(input: DkimKeyInput): DkimKeyResult {
  const domain = input.domain.trim().replace(/\.$/, '').toLowerCase()
  const selector = input.selector.trim().toLowerCase()
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(selector))
    throw new SaidError(text('fixgen:dkim.badSelector', { selector: input.selector }))
  const warnings: Text[] = []
  const pair =
    input.algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const der = pair.publicKey.export({ type: 'spki', format: 'der' })
  const p = dkimPublicKeyValue(der, input.algorithm)
  const k = input.algorithm === 'ed25519' ? 'ed25519' : 'rsa'
  const txtValue = `v=DKIM1; k=${k}; p=${p}`
  const txtStrings = splitTxt(txtValue)
  const dnsName = `${selector}._domainkey.${domain}`
  if (input.algorithm === 'ed25519') warnings.push(text('fixgen:dkim.warn.ed25519'))

  const keyPath = input.keyPath ?? `/etc/opendkim/keys/${domain}/${selector}.private`
  const snippets: FixSnippet[] = [
    snippet(
      'dkim-txt',
      text('fixgen:dkim.txtTitle', { name: dnsName }),
      'dns-txt',
      [
        line('v=DKIM1', text('fixgen:dkim.line.version')),
        line(
          `k=${k}`,
          text(input.algorithm === 'ed25519' ? 'fixgen:dkim.line.ed25519' : 'fixgen:dkim.line.rsa')
        ),
        line(
          `p=${p.slice(0, 24)}…`,
          text('fixgen:dkim.line.key', { length: p.length, strings: txtStrings.length })
        )
      ],
      { name: dnsName, record: txtValue, text: `${dnsName}. 3600 IN TXT ( ${quoteTxt(txtStrings)} )` }
    ),
    snippet('opendkim-tables', text('fixgen:dkim.tablesTitle'), 'config', [
      line('# /etc/opendkim/KeyTable', text('fixgen:dkim.line.keyTable')),
      line(
        `${selector}._domainkey.${domain} ${domain}:${selector}:${keyPath}`,
        text('fixgen:dkim.line.keyEntry')
      ),
      line('# /etc/opendkim/SigningTable (refile:)', text('fixgen:dkim.line.signingTable')),
      line(`*@${domain} ${selector}._domainkey.${domain}`, text('fixgen:dkim.line.signingEntry', { domain }))
    ]),
    snippet('postfix-milter', text('fixgen:dkim.milterTitle'), 'config', [
      line('smtpd_milters = inet:localhost:8891', text('fixgen:dkim.line.smtpdMilters')),
      line('non_smtpd_milters = $smtpd_milters', text('fixgen:dkim.line.nonSmtpdMilters')),
      line('milter_default_action = accept', text('fixgen:dkim.line.milterDefault'))
    ])
  ]
  return {
    domain,
    selector,
    algorithm: input.algorithm,
    dnsName,
    txtValue,
    txtStrings,
    privateKeyPem,
    snippets,
    ...warningsOf(warnings)
  }
}

/** Re-imports a p= value as a public key; used to prove a published record is usable. */
export function importDkimPublicKey(p: string, algorithm: 'rsa2048' | 'ed25519') {
  const raw = Buffer.from(p, 'base64')
  if (algorithm === 'ed25519') {
    // SPKI prefix for Ed25519 (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }.
    const prefix = Buffer.from('302a300506032b6570032100', 'hex')
    return createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' })
  }
  return createPublicKey({ key: raw, format: 'der', type: 'spki' })
}

export interface MicrosoftDkimInput {
  /** Custom domain, e.g. contoso.com or marketing.contoso.com. */
  domain: string
  /** Initial domain: "contoso.onmicrosoft.com" or just its prefix "contoso". */
  tenant: string
  /**
   * Dynamic partition character of the newer format (May 2025+ for new custom domains), e.g. "r" → "r-v1".
   * When absent the legacy *.onmicrosoft.com targets are produced.
   */
  partition?: string
}

/**
 * Microsoft 365 DKIM CNAMEs. Legacy format: selector1-<domain-with-dashes>._domainkey.<tenant>.onmicrosoft.com.
 * Custom domains added since May 2025 use selector1-<domain-with-dashes>._domainkey.<prefix>.<p>-v1.dkim.mail.microsoft
 * (selector2 → <p>-v2). Microsoft says the values are illustrative: read the real ones with
 * Get-DkimSigningConfig -Identity <domain> | Format-List Selector1CNAME,Selector2CNAME.
 */
export function microsoftDkimCnames(input: MicrosoftDkimInput): FixSnippet {
  const domain = input.domain.trim().replace(/\.$/, '').toLowerCase()
  const prefix = input.tenant
    .trim()
    .toLowerCase()
    .replace(/\.onmicrosoft\.com\.?$/, '')
  const dashed = domain.replace(/\./g, '-')
  const p = input.partition?.trim().toLowerCase()
  const target = (n: 1 | 2): string =>
    p
      ? `selector${n}-${dashed}._domainkey.${prefix}.${p}-v${n}.dkim.mail.microsoft`
      : `selector${n}-${dashed}._domainkey.${prefix}.onmicrosoft.com`
  return snippet(
    'm365-dkim-cnames',
    text('fixgen:m365.title', { domain }),
    'dns-cname',
    [
      line(`selector1._domainkey.${domain}. 3600 IN CNAME ${target(1)}.`, text('fixgen:m365.selector1')),
      line(`selector2._domainkey.${domain}. 3600 IN CNAME ${target(2)}.`, text('fixgen:m365.selector2')),
      line(`Set-DkimSigningConfig -Identity ${domain} -Enabled $true`, text('fixgen:m365.enable'))
    ],
    {
      warnings: [
        text('fixgen:m365.warn.illustrative', { domain }),
        text(p ? 'fixgen:m365.warn.partition' : 'fixgen:m365.warn.legacy')
      ]
    }
  )
}
