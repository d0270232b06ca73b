import { createPublicKey } from 'node:crypto'
import type { Finding } from '../../../shared/schemas/common'
import type { DkimSelectorReport } from '../../../shared/schemas/domain'
import type { DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'
import { text, type Text } from '../../../shared/text'
import { joinTexts } from '../text/finding'
import { renderText } from '../text/render'
import { couldNotCheck, finding, getTxt, parseTags } from './util'

/**
 * Selectors cannot be enumerated (RFC 6376 §3.1), so a domain check can only probe names commonly used by
 * providers; selectors taken from a real message (s= tag) are passed in and reported even when missing.
 */
export const COMMON_SELECTORS = [
  'default',
  'dkim',
  'mail',
  'smtp',
  'google',
  'selector1',
  'selector2',
  'k1',
  'k2',
  'k3',
  's1',
  's2',
  'mandrill',
  'mxvault',
  'everlytickey1',
  'everlytickey2',
  'dkim1',
  'sig1',
  'mta',
  'zoho',
  'pm',
  'sendgrid',
  'smtpapi',
  'amazonses',
  'protonmail',
  'fm1',
  'fm2',
  'fm3'
]

export interface ParsedDkimKey {
  tags: Record<string, string>
  /** English wording of `errorTexts`. */
  errors: string[]
  errorTexts: Text[]
  keyType?: string
  keyBits?: number
  revoked: boolean
  testing: boolean
}

/** Parse a DKIM key record (RFC 6376 §3.6.1) and the key inside p= (SPKI DER for RSA, raw 32 bytes for Ed25519, RFC 8463). */
export function parseDkimKey(record: string): ParsedDkimKey {
  const out = parseKey(record)
  out.errors = out.errorTexts.map((t) => renderText('en', t))
  return out
}

function parseKey(record: string): ParsedDkimKey {
  const { tags, order, errorTexts } = parseTags(record)
  const out: ParsedDkimKey = { tags, errors: [], errorTexts: [...errorTexts], revoked: false, testing: false }
  const err = (code: string, params?: Record<string, string>) =>
    out.errorTexts.push(text(`checks:dkimKey.${code}`, params))
  if (tags.v !== undefined && (tags.v !== 'DKIM1' || order[0] !== 'v')) err('version')
  const k = (tags.k ?? 'rsa').toLowerCase()
  if (!['rsa', 'ed25519'].includes(k)) err('unknownType', { k })
  out.testing = (tags.t ?? '')
    .split(':')
    .map((f) => f.trim())
    .includes('y')
  if (tags.p === undefined) {
    err('noKey')
    return out
  }
  const p = tags.p.replace(/\s+/g, '')
  if (p === '') {
    out.revoked = true
    return out
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(p)) {
    err('notBase64')
    return out
  }
  const der = Buffer.from(p, 'base64')
  if (k === 'ed25519' && der.length === 32) {
    out.keyType = 'ed25519'
    out.keyBits = 256
    return out
  }
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' })
    out.keyType = key.asymmetricKeyType
    out.keyBits =
      key.asymmetricKeyDetails?.modulusLength ?? (key.asymmetricKeyType === 'ed25519' ? 256 : undefined)
    if (key.asymmetricKeyType !== k) err('typeMismatch', { k, actual: key.asymmetricKeyType ?? '?' })
  } catch (e) {
    err('invalidKey', { error: (e as Error).message })
  }
  return out
}

export async function checkDkim(input: {
  domain: string
  client: DnsClient
  selectors?: string[]
}): Promise<{ reports: DkimSelectorReport[]; findings: Finding[] }> {
  const { domain, client } = input
  const given = [...new Set((input.selectors ?? []).map((s) => s.toLowerCase()))]
  const all = [
    ...given.map((s) => ({ s, source: 'input' as const })),
    ...COMMON_SELECTORS.filter((s) => !given.includes(s)).map((s) => ({ s, source: 'common' as const }))
  ]
  const findings: Finding[] = []
  const results = await Promise.all(
    all.map(async ({ s, source }) => {
      const name = `${s}._domainkey.${domain}`
      const [cname, txt] = await Promise.all([client.query(name, 'CNAME'), getTxt(client, name)])
      const rep: DkimSelectorReport = {
        selector: s,
        name,
        source,
        state: 'none',
        testing: false,
        revoked: false
      }
      if (cname.status === 'ok') rep.cname = String(cname.records[0])
      if (!isDefinitive(txt.answer)) {
        rep.state = 'could_not_check'
        findings.push(
          couldNotCheck(`dkim.${s}`, text('checks:what.dkimSelector', { selector: s }), txt.answer)
        )
        return rep
      }
      const keys = txt.texts.filter((t) => /(^|;)\s*(v\s*=\s*DKIM1|p\s*=)/i.test(t))
      if (keys.length === 0) {
        if (source === 'input') {
          rep.state = 'fail'
          findings.push(
            finding({
              id: `dkim.selector-missing:${s}`,
              severity: 'error',
              title: text('checks:dkim.selectorMissing.title', { name }),
              detail: rep.cname
                ? text('checks:dkim.selectorMissing.detailCname', { name, cname: rep.cname, selector: s })
                : text('checks:dkim.selectorMissing.detail', { selector: s }),
              fix: text('checks:dkim.selectorMissing.fix')
            })
          )
          return rep
        }
        return undefined
      }
      rep.record = keys[0]
      if (keys.length > 1)
        findings.push(
          finding({
            id: `dkim.multiple:${s}`,
            severity: 'warning',
            title: text('checks:dkim.multiple.title', { name }),
            detail: text('checks:dkim.multiple.detail'),
            current: keys.join('\n'),
            fix: text('checks:dkim.multiple.fix')
          })
        )
      const k = parseDkimKey(keys[0])
      rep.keyType = k.keyType
      rep.keyBits = k.keyBits
      rep.testing = k.testing
      rep.revoked = k.revoked
      rep.state = 'pass'
      if (k.errorTexts.length) {
        rep.state = 'fail'
        findings.push(
          finding({
            id: `dkim.syntax:${s}`,
            severity: 'error',
            title: text('checks:dkim.syntax.title', { name }),
            detail: text('checks:dkim.syntax.detail', { problems: joinTexts(k.errorTexts) }),
            current: keys[0],
            fix: text('checks:dkim.syntax.fix')
          })
        )
      }
      if (k.revoked) {
        rep.state = source === 'input' ? 'fail' : 'warn'
        findings.push(
          finding({
            id: `dkim.revoked:${s}`,
            severity: source === 'input' ? 'error' : 'info',
            title: text('checks:dkim.revoked.title', { selector: s }),
            detail: text('checks:dkim.revoked.detail'),
            current: keys[0],
            fix: text('checks:dkim.revoked.fix')
          })
        )
      }
      if (k.keyType === 'rsa' && k.keyBits !== undefined) {
        if (k.keyBits < 1024) {
          rep.state = 'fail'
          findings.push(
            finding({
              id: `dkim.key-too-short:${s}`,
              severity: 'error',
              title: text('checks:dkim.keyTooShort.title', { selector: s, bits: k.keyBits }),
              detail: text('checks:dkim.keyTooShort.detail'),
              current: keys[0],
              fix: text('checks:dkim.keyTooShort.fix')
            })
          )
        } else if (k.keyBits < 2048) {
          if (rep.state === 'pass') rep.state = 'warn'
          findings.push(
            finding({
              id: `dkim.key-weak:${s}`,
              severity: 'warning',
              title: text('checks:dkim.keyWeak.title', { selector: s, bits: k.keyBits }),
              detail: text('checks:dkim.keyWeak.detail'),
              current: keys[0],
              fix: text('checks:dkim.keyWeak.fix')
            })
          )
        }
      }
      if (k.testing) {
        if (rep.state === 'pass') rep.state = 'warn'
        findings.push(
          finding({
            id: `dkim.testing:${s}`,
            severity: 'warning',
            title: text('checks:dkim.testing.title', { selector: s }),
            detail: text('checks:dkim.testing.detail'),
            current: keys[0],
            fix: text('checks:dkim.testing.fix'),
            fixRecord: keys[0].replace(/;?\s*t\s*=\s*[^;]*/i, '')
          })
        )
      }
      return rep
    })
  )
  const reports = results.filter((r): r is DkimSelectorReport => r !== undefined)
  if (
    !reports.some((r) => r.state === 'pass' || r.state === 'warn') &&
    !reports.some((r) => r.state === 'could_not_check')
  )
    findings.push(
      finding({
        id: 'dkim.none-found',
        severity: given.length ? 'error' : 'warning',
        title: text('checks:dkim.noneFound.title'),
        detail: text('checks:dkim.noneFound.detail', { selectors: all.map((a) => a.s).join(', ') }),
        fix: text('checks:dkim.noneFound.fix')
      })
    )
  return { reports, findings }
}
