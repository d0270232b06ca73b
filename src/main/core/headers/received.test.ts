import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HopChain } from '../../../shared/schemas/message'
import { analyzeReceived, parseHeaderBlock, parseMailDate, parseReceived, isHeadersOnly } from './index'

const fixture = (name: string) =>
  parseHeaderBlock(readFileSync(join(__dirname, 'fixtures', `${name}.txt`), 'utf8'))
const codes = (chain: HopChain, hop: number) => chain.hops[hop].anomalies.map((a) => a.code)

describe('parseMailDate', () => {
  it('reads RFC 5322 dates with numeric zones', () => {
    expect(parseMailDate('Tue, 2 Apr 2024 10:00:04 +0000')?.date.toISOString()).toBe(
      '2024-04-02T10:00:04.000Z'
    )
    expect(parseMailDate('Tue, 02 Apr 2024 03:00:03 -0700 (PDT)')?.date.toISOString()).toBe(
      '2024-04-02T10:00:03.000Z'
    )
  })
  it('accepts fractional seconds (MHA #63) and notes it', () => {
    const d = parseMailDate('Thu, 5 Sep 2024 15:00:06.512 +0000')
    expect(d?.date.toISOString()).toBe('2024-09-05T15:00:06.512Z')
    expect(d?.notes).toContain('fractional seconds')
  })
  it('handles obsolete zones and two-digit years (RFC 5322 §4.3)', () => {
    expect(parseMailDate('5 Sep 24 15:00:00 EDT')?.date.toISOString()).toBe('2024-09-05T19:00:00.000Z')
    expect(parseMailDate('1 Jan 99 00:00:00 GMT')?.date.toISOString()).toBe('1999-01-01T00:00:00.000Z')
    expect(parseMailDate('1 Jan 2020 12:00:00 Z')?.date.toISOString()).toBe('2020-01-01T12:00:00.000Z')
    // military zones other than Z are treated as -0000
    expect(parseMailDate('1 Jan 2020 12:00:00 A')?.date.toISOString()).toBe('2020-01-01T12:00:00.000Z')
  })
  it('rejects impossible dates instead of rolling them over', () => {
    expect(parseMailDate('31 Feb 2024 10:00:00 +0000')).toBeNull()
    expect(parseMailDate('1 Foo 2024 10:00:00 +0000')).toBeNull()
    expect(parseMailDate('yesterday')).toBeNull()
    expect(parseMailDate('1 Jan 2024 25:00:00 +0000')).toBeNull()
  })
})

describe('parseReceived', () => {
  it('parses a Postfix hop with TLS details', () => {
    const { hop } = parseReceived(
      'from mail.relay-one.net (mail.relay-one.net [203.0.113.25]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.receiver.example (Postfix) with ESMTPS id 4WJt for <eve@receiver.example>; Wed, 10 Jul 2024 08:31:10 +0200 (CEST)'
    )
    expect(hop.from).toMatchObject({
      host: 'mail.relay-one.net',
      reverse: 'mail.relay-one.net',
      ip: '203.0.113.25'
    })
    expect(hop.by?.host).toBe('mx.receiver.example')
    expect(hop.protocol).toBe('ESMTPS')
    expect(hop.tls).toEqual({ used: true, version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' })
    expect(hop.id).toBe('4WJt')
    expect(hop.for).toBe('eve@receiver.example')
    expect(hop.software).toBe('Postfix')
    expect(hop.date).toBe('2024-07-10T06:31:10.000Z')
  })
  it('reads "with ESMTP" as no TLS and ESMTPS as TLS (RFC 3848)', () => {
    expect(
      parseReceived(
        'from a.example.org ([198.51.100.1]) by b.example.net with ESMTP; 1 Jan 2024 00:00:00 +0000'
      ).hop.tls.used
    ).toBe(false)
    expect(
      parseReceived(
        'from a.example.org ([198.51.100.1]) by b.example.net with ESMTPSA; 1 Jan 2024 00:00:00 +0000'
      ).hop.tls.used
    ).toBe(true)
  })
  it('parses Google internal hops with an IPv6 "by"', () => {
    const { hop } = parseReceived(
      'by 2002:a05:6a20:1234:b0:1a2:3b4c:5d6e with SMTP id a17mr12345oab.12; Tue, 02 Apr 2024 03:00:03 -0700 (PDT)'
    )
    expect(hop.by?.ip).toBe('2002:a05:6a20:1234:b0:1a2:3b4c:5d6e')
    expect(hop.by?.host).toBeUndefined()
    expect(hop.protocol).toBe('SMTP')
    expect(hop.id).toBe('a17mr12345oab.12')
    expect(hop.local).toBe(false)
  })
  it('parses Exim "from [ip] (helo=...)" and its TLS notation', () => {
    const { hop } = parseReceived(
      'from [45.33.12.9] (port=51422 helo=smtp.origin-example.com) by mail.relay-one.net with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <f@origin-example.com>) id 1sRNkI-0003xq-2B for eve@receiver.example; Wed, 10 Jul 2024 06:31:08 +0000'
    )
    expect(hop.from).toMatchObject({ ip: '45.33.12.9', host: 'smtp.origin-example.com' })
    expect(hop.from?.reverse).toBeUndefined()
    expect(hop.software).toBe('Exim 4.96')
    expect(hop.tls).toMatchObject({ used: true, version: 'TLS1.3', cipher: 'TLS_AES_256_GCM_SHA384' })
    expect(hop.id).toBe('1sRNkI-0003xq-2B')
  })
  it('marks qmail notes as local, not hops (MHA #335)', () => {
    const a = parseReceived('(qmail 1234 invoked by uid 1001); 12 Mar 2024 14:22:06 -0000')
    expect(a.hop.local).toBe(true)
    expect(a.hop.software).toBe('qmail')
    expect(a.notes.map((n) => n.code)).not.toContain('unknown-format')
    const b = parseReceived('(qmail 9911 invoked from network); 12 Mar 2024 14:22:08 -0000')
    expect(b.hop.local).toBe(true)
  })
  it('recovers a date without ";" and flags it', () => {
    const r = parseReceived(
      'from x.example.org (x.example.org [10.0.0.1]) by y.example.org with ESMTP id 1 Thu, 5 Sep 2024 15:00:06 +0000'
    )
    expect(r.hop.date).toBe('2024-09-05T15:00:06.000Z')
    expect(r.hop.id).toBe('1')
    expect(r.notes.map((n) => n.code)).toContain('missing-semicolon')
  })
  it('flags missing, unparsable dates and unknown formats', () => {
    expect(parseReceived('from a.example by b.example with SMTP').notes.map((n) => n.code)).toContain(
      'missing-date'
    )
    expect(parseReceived('from a.example by b.example; garbage').notes.map((n) => n.code)).toContain(
      'unparsable-date'
    )
    expect(parseReceived('hello world; 1 Jan 2024 00:00:00 +0000').notes.map((n) => n.code)).toContain(
      'unknown-format'
    )
  })
})

describe('analyzeReceived on fixtures', () => {
  it('Gmail → Microsoft 365: edge is the EOP frontend receiving from Google', () => {
    const chain = analyzeReceived(fixture('gmail-to-m365'), { receivingDomains: ['contoso.com'] })
    expect(HopChain.parse(chain)).toBeTruthy()
    expect(chain.hops).toHaveLength(6)
    // sender first: the Gmail web submission, then Google's outbound, then EOP
    expect(chain.hops[0].protocol).toBe('HTTP')
    expect(chain.hops[2].from?.ip).toBe('209.85.220.41')
    expect(chain.hops[2].with).toBe('Microsoft SMTP Server')
    expect(chain.hops[2].via).toBe('Frontend Transport')
    expect(chain.hops[2].tls).toMatchObject({ used: true, version: 'TLS1_3' })
    expect(chain.edge).toMatchObject({
      index: 2,
      ip: '209.85.220.41',
      helo: 'mail-sor-f41.google.com',
      confidence: 'high'
    })
    expect(chain.edge?.reason).toMatch(/outside/)
    expect(chain.totalDelaySec).toBe(6)
    expect(chain.hops.map((h) => h.delaySec)).toEqual([null, 2, 1, 1, 1, 1])
  })
  it('Exchange internal chain: no outside hop, low-confidence edge, private IPs noted', () => {
    const chain = analyzeReceived(fixture('exchange-internal'))
    expect(chain.hops).toHaveLength(2)
    expect(chain.hops[0].protocol).toBe('MAPI')
    expect(chain.hops[1].software).toBe('Microsoft SMTP Server')
    expect(chain.edge?.confidence).toBe('low')
    expect(chain.edge?.reason).toMatch(/internal/)
    expect(codes(chain, 1)).toContain('private-ip')
  })
  it('qmail: local notes are kept but skipped for delays and the edge', () => {
    const chain = analyzeReceived(fixture('qmail'))
    expect(chain.hops.map((h) => h.local)).toEqual([true, false, true, false, true])
    expect(chain.hops.filter((h) => h.local).every((h) => h.delaySec === null)).toBe(true)
    // 14:22:07 (sender's submission) → 14:22:10 (receiving MX), skipping the 14:22:08 note
    expect(chain.hops[3].delaySec).toBe(3)
    expect(chain.edge).toMatchObject({ index: 3, ip: '198.51.100.77', helo: 'mail.sender-example.org' })
    expect(chain.hops[1].from).toMatchObject({
      host: 'localhost',
      reverse: 'mail.sender-example.org',
      ip: '127.0.0.1'
    })
    expect(codes(chain, 1)).toContain('loopback-ip')
  })
  it('Postfix relay via Exim and Sendmail: software, TLS, edge at the receiving MX', () => {
    const chain = analyzeReceived(fixture('postfix-relay'))
    expect(chain.hops.map((h) => h.software)).toEqual(['Sendmail 8.15.2', 'Exim 4.96', 'Postfix', 'Postfix'])
    expect(chain.hops[0].tls).toMatchObject({ used: true, version: 'TLSv1.3' })
    expect(chain.hops[3].protocol).toBe('LMTP')
    expect(chain.edge).toMatchObject({
      index: 2,
      ip: '203.0.113.25',
      reverse: 'mail.relay-one.net',
      by: 'mx.receiver.example'
    })
    // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): special-use, flagged
    expect(codes(chain, 2)).toContain('reserved-ip')
    expect(chain.totalDelaySec).toBe(6)
  })
  it('skewed clocks: negative delays, clock skew with a time-zone hint, long delay', () => {
    const chain = analyzeReceived(fixture('skewed-clocks'), { now: new Date('2024-09-06T00:00:00Z') })
    expect(chain.hops[1].delaySec).toBe(-14393)
    expect(codes(chain, 1)).toEqual(
      expect.arrayContaining(['negative-delay', 'clock-skew', 'missing-semicolon', 'obsolete-date'])
    )
    expect(chain.hops[1].anomalies.find((a) => a.code === 'clock-skew')?.message).toMatch(/4 h/)
    expect(codes(chain, 2)).toContain('long-delay')
    expect(codes(chain, 3)).toContain('negative-delay')
    expect(chain.anomalies.length).toBeGreaterThanOrEqual(8)
    expect(chain.edge?.index).toBe(3)
  })
  it('flags future dates against the analysis clock', () => {
    const chain = analyzeReceived(
      [
        {
          name: 'Received',
          value: 'from a.example.org ([198.51.100.1]) by b.example.net with ESMTP; 1 Jan 2030 00:00:00 +0000'
        }
      ],
      { now: new Date('2024-01-01T00:00:00Z') }
    )
    expect(codes(chain, 0)).toContain('future-date')
  })
  it('does not trust a forged inside HELO when the reverse name is outside', () => {
    const chain = analyzeReceived([
      {
        name: 'Received',
        value:
          'from mx.victim.example (bad.attacker.example [198.18.0.1]) by mx.victim.example (Postfix) with ESMTP id X; 1 Jan 2024 00:00:00 +0000'
      }
    ])
    expect(chain.edge?.index).toBe(0)
    expect(chain.edge?.reverse).toBe('bad.attacker.example')
  })
  it('returns an empty chain for no Received headers', () => {
    const chain = analyzeReceived([{ name: 'Subject', value: 'x' }])
    expect(chain).toMatchObject({ hops: [], edge: null, totalDelaySec: null })
  })
  // Long chains stay linear. No wall-clock assertion (speed is measured in bench:analyze): fast-check's per-run
  // `timeout`, as in pipeline.test.ts, fails a run that never finishes within a generous budget.
  it('handles chains of thousands of Received headers completely', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1000, max: 5000 }), async (n) => {
        const headers = Array.from({ length: n }, (_, i) => ({
          name: 'Received',
          value: `from relay${i}.example.net (relay${i}.example.net [192.0.${i % 250}.${(i * 7) % 250}]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384) by relay${i + 1}.example.net (Postfix) with ESMTPS id Q${i} for <u@example.net>; Mon, 1 Jan 2024 ${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`
        })).reverse()
        const chain = analyzeReceived(headers)
        expect(chain.hops).toHaveLength(n)
        expect(chain.hops[n - 1].delaySec).toBe(1)
        expect(chain.totalDelaySec).toBe(n - 1)
      }),
      { numRuns: 3, timeout: 10_000 }
    )
  })
})

describe('header list helpers', () => {
  it('unfolds continuation lines and stops at the body', () => {
    const h = parseHeaderBlock('Subject: a\r\n b\r\nFrom: x@y\r\n\r\nBody: not a header\r\n')
    expect(h).toEqual([
      { name: 'Subject', value: 'a b' },
      { name: 'From', value: 'x@y' }
    ])
  })
  it('detects headers-only input', () => {
    expect(isHeadersOnly('From: a@b\r\nTo: c@d\r\n')).toBe(true)
    expect(isHeadersOnly('From: a@b\r\n\r\nhello\r\n')).toBe(false)
  })
})
