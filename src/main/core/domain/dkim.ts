import { createPublicKey } from 'node:crypto'
import type { Finding } from '../../../shared/schemas/common'
import type { DkimSelectorReport } from '../../../shared/schemas/domain'
import type { DnsClient } from '../dns/types'
import { isDefinitive } from '../dns/types'
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
  errors: string[]
  keyType?: string
  keyBits?: number
  revoked: boolean
  testing: boolean
}

/** Parse a DKIM key record (RFC 6376 §3.6.1) and the key inside p= (SPKI DER for RSA, raw 32 bytes for Ed25519, RFC 8463). */
export function parseDkimKey(text: string): ParsedDkimKey {
  const { tags, order, errors } = parseTags(text)
  const out: ParsedDkimKey = { tags, errors: [...errors], revoked: false, testing: false }
  if (tags.v !== undefined && (tags.v !== 'DKIM1' || order[0] !== 'v'))
    out.errors.push('v= must be "DKIM1" and the first tag')
  const k = (tags.k ?? 'rsa').toLowerCase()
  if (!['rsa', 'ed25519'].includes(k)) out.errors.push(`unknown key type k=${k}`)
  out.testing = (tags.t ?? '')
    .split(':')
    .map((f) => f.trim())
    .includes('y')
  if (tags.p === undefined) {
    out.errors.push('p= (public key) is missing')
    return out
  }
  const p = tags.p.replace(/\s+/g, '')
  if (p === '') {
    out.revoked = true
    return out
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(p)) {
    out.errors.push('p= is not valid base64')
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
    if (key.asymmetricKeyType !== k) out.errors.push(`k=${k} but p= holds a ${key.asymmetricKeyType} key`)
  } catch (err) {
    out.errors.push(`p= is not a valid public key (${(err as Error).message})`)
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
        findings.push(couldNotCheck(`dkim.${s}`, `DKIM selector ${s}`, txt.answer))
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
              title: `No DKIM key at ${name}`,
              detail: rep.cname
                ? `${name} is a CNAME to ${rep.cname}, which has no DKIM key: the delegation (e.g. to an email provider) is broken, so signatures with s=${s} fail (RFC 6376 §6.1.2 "no key").`
                : `Signatures with s=${s} cannot be verified: there is no key record (RFC 6376 §6.1.2), so DKIM fails and DMARC cannot use it.`,
              fix: 'Publish the public key from the signing system (or the CNAME your provider gives you).'
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
            title: `Several DKIM key records at ${name}`,
            detail: 'Verifiers take one key record and results become unpredictable (RFC 6376 §3.6.2.2).',
            current: keys.join('\n'),
            fix: 'Keep exactly one key record per selector.'
          })
        )
      const k = parseDkimKey(keys[0])
      rep.keyType = k.keyType
      rep.keyBits = k.keyBits
      rep.testing = k.testing
      rep.revoked = k.revoked
      rep.state = 'pass'
      if (k.errors.length) {
        rep.state = 'fail'
        findings.push(
          finding({
            id: `dkim.syntax:${s}`,
            severity: 'error',
            title: `DKIM key record at ${name} is invalid`,
            detail: `${k.errors.join('; ')} (RFC 6376 §3.6.1). Verifiers treat the key as unusable (permfail).`,
            current: keys[0],
            fix: 'Re-publish the key exactly as generated by the signing system.'
          })
        )
      }
      if (k.revoked) {
        rep.state = source === 'input' ? 'fail' : 'warn'
        findings.push(
          finding({
            id: `dkim.revoked:${s}`,
            severity: source === 'input' ? 'error' : 'info',
            title: `DKIM selector ${s} is revoked (empty p=)`,
            detail:
              'An empty p= means the key was revoked (RFC 6376 §3.6.1); signatures with this selector fail.',
            current: keys[0],
            fix: 'Sign with a current selector; delete this record once nothing uses it.'
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
              title: `DKIM key ${s} is only ${k.keyBits} bits`,
              detail:
                'RFC 8301 §3.2: verifiers MUST NOT accept RSA keys under 1024 bits; Gmail and others treat such signatures as failed.',
              current: keys[0],
              fix: 'Generate a 2048-bit RSA key under a new selector, publish it, switch signing, then revoke this one.'
            })
          )
        } else if (k.keyBits < 2048) {
          if (rep.state === 'pass') rep.state = 'warn'
          findings.push(
            finding({
              id: `dkim.key-weak:${s}`,
              severity: 'warning',
              title: `DKIM key ${s} is ${k.keyBits} bits`,
              detail:
                'RFC 8301 §3.2 asks signers to use at least 2048-bit RSA keys; 1024-bit keys are considered breakable and some providers are phasing them out.',
              current: keys[0],
              fix: 'Rotate to a 2048-bit key under a new selector.'
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
            title: `DKIM selector ${s} is in testing mode (t=y)`,
            detail:
              'RFC 6376 §3.6.1: verifiers MUST NOT treat messages from a domain in testing mode differently from unsigned mail, so failures are hidden.',
            current: keys[0],
            fix: 'Remove t=y once signing works.',
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
        title: 'No working DKIM key found',
        detail: `None of the probed selectors (${all.map((a) => a.s).join(', ')}) has a usable key. Selectors cannot be listed from DNS, so this only proves the common names are unused; check a message's DKIM-Signature s= tag.`,
        fix: 'Enable DKIM signing in your mail system or provider and publish its key.'
      })
    )
  return { reports, findings }
}
