import { describe, expect, it } from 'vitest'
import { normaliseDomain, parseTarget, reverseIp4, reverseIp6, TargetError, testPointLabel } from './targets'

describe('targets (RFC 5782 §2)', () => {
  it('reverses IPv4 octets (§2.1)', () => {
    expect(reverseIp4('192.0.2.99')).toBe('99.2.0.192')
    expect(() => reverseIp4('0x7f.1')).toThrow(TargetError)
  })

  it('reverses all 32 IPv6 nibbles (§2.4 example)', () => {
    expect(reverseIp6('2001:db8:1:2:3:4:567:89ab')).toBe(
      'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2'
    )
    expect(reverseIp6('::ffff:7f00:2').split('.')).toHaveLength(32)
    expect(reverseIp6('::ffff:7f00:2')).toBe(
      '2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0'
    )
  })

  it('treats IPv4-mapped IPv6 targets as IPv4, but keeps IPv6 test points as IPv6', () => {
    expect(parseTarget('::ffff:192.0.2.1')).toMatchObject({
      type: 'ip4',
      value: '192.0.2.1',
      label: '1.2.0.192'
    })
    expect(testPointLabel('::ffff:7f00:2', 'ip6')).toHaveLength(63)
  })

  it('classifies and normalises targets', () => {
    expect(parseTarget('[2001:DB8::1]')).toMatchObject({ type: 'ip6', value: '2001:db8::1' })
    expect(parseTarget('10.1.2.3').range).toBe('private')
    expect(parseTarget('Example.COM.')).toMatchObject({
      type: 'domain',
      value: 'example.com',
      label: 'example.com'
    })
  })

  it('converts IDNs to punycode and strips mailbox/URL wrappers', () => {
    expect(normaliseDomain('bücher.example')).toBe('xn--bcher-kva.example')
    expect(normaliseDomain('postmaster@Mail.Example.org')).toBe('mail.example.org')
    expect(normaliseDomain('https://shop.example.net/path?q=1')).toBe('shop.example.net')
  })

  it('rejects garbage', () => {
    for (const bad of ['', 'localhost', 'exa mple.com', '-bad.example', '1.2.3', 'a..b.example']) {
      expect(() => parseTarget(bad), bad).toThrow(TargetError)
    }
  })
})
