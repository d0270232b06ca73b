import { describe, expect, it } from 'vitest'
import { zoneClient } from '../../../../test/support/zone-client'
import { parseDkimKey } from './dkim'
import { mxMatches, parseStsPolicy } from './mta-sts'
import { reverseName } from './mx'
import { checkSpf, parseSpfTerm } from './spf'

describe('SPF term parser', () => {
  it('accepts valid terms and rejects broken ones', () => {
    expect(parseSpfTerm('-ip4:192.0.2.0/24')).toMatchObject({
      kind: 'mechanism',
      name: 'ip4',
      qualifier: '-'
    })
    expect(parseSpfTerm('a:mail.example.com/24//64').error).toBeUndefined()
    expect(parseSpfTerm('mx/33').error).toMatch(/CIDR/)
    expect(parseSpfTerm('ip4:192.0.2.1/33').error).toMatch(/CIDR/)
    expect(parseSpfTerm('include:').error).toBeDefined()
    expect(parseSpfTerm('all:foo').error).toBeDefined()
    expect(parseSpfTerm('exists:%{i}.rbl.example').error).toBeUndefined()
    expect(parseSpfTerm('redirect=_spf.example.com')).toMatchObject({ kind: 'modifier', name: 'redirect' })
    expect(parseSpfTerm('spf2.0/pra').kind).toBe('unknown')
  })
})

describe('checkSpf with zoneClient', () => {
  it('flags a character-string over 255 octets (only possible off the wire, e.g. a provider API)', async () => {
    const long = 'v=spf1 ' + Array.from({ length: 20 }, (_, i) => `ip4:203.0.113.${i}`).join(' ') + ' -all'
    const { findings } = await checkSpf({
      domain: 'long.test',
      client: zoneClient({ 'long.test': { TXT: [[long]] } })
    })
    const f = findings.find((x) => x.id === 'spf.string-too-long')
    expect(f?.fixRecord?.startsWith('"v=spf1')).toBe(true)
    expect(f?.fixRecord?.split('" "').length).toBe(2)
  })
  it('does not expand macros statically but still counts them', async () => {
    const { report } = await checkSpf({
      domain: 'm.test',
      client: zoneClient({ 'm.test': { TXT: ['v=spf1 exists:%{i}._spf.m.test -all'] } })
    })
    expect(report.lookupCount).toBe(1)
    expect(report.voidLookupCount).toBe(0)
  })
})

describe('other parsers', () => {
  it('matches MTA-STS mx patterns per RFC 8461 §4.1', () => {
    expect(mxMatches('*.example.com', 'mx1.example.com')).toBe(true)
    expect(mxMatches('*.example.com', 'a.b.example.com')).toBe(false)
    expect(mxMatches('*.example.com', 'example.com')).toBe(false)
    expect(mxMatches('mx.example.com.', 'MX.example.com')).toBe(true)
  })
  it('parses STS policies', () => {
    expect(parseStsPolicy('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 86400\n').errors).toEqual(
      []
    )
    expect(parseStsPolicy('version: STSv1\nmode: enforce\nmax_age: 99999999999\n').errors.length).toBe(2)
  })
  it('parses DKIM key records', () => {
    expect(parseDkimKey('v=DKIM1; p=').revoked).toBe(true)
    expect(parseDkimKey('k=rsa; p=AAAA').errors.join()).toMatch(/not a valid public key/)
    expect(parseDkimKey('p=MIIB; v=DKIM1').errors.join()).toMatch(/first tag/)
    expect(parseDkimKey('v=DKIM1; k=dsa; p=').errors.join()).toMatch(/unknown key type/)
  })
  it('builds reverse names', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa')
    expect(reverseName('2001:db8::1')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'
    )
  })
})
