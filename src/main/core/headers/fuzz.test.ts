import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HopChain } from '../../../shared/schemas/message'
import { analyzeReceived, parseMailDate, parseReceived } from './index'
import { parseAuthResults, parseReceivedSpf } from '../auth/auth-results'
import { analyzeRecordedAuth } from '../auth/recorded'

/** Fragments real trace fields are made of, so the fuzzer reaches deep parser states, not just "no keyword". */
const fragment = fc.constantFrom(
  'from',
  'by',
  'with',
  'id',
  'for',
  'via',
  '(',
  ')',
  '((',
  '[',
  ']',
  ';',
  ';;',
  '<',
  '>',
  '"',
  '\\',
  '=',
  'helo=',
  'HELO',
  'ESMTPS',
  'Microsoft SMTP Server',
  '(version=TLS1_2, cipher=X)',
  '[IPv6:2001:db8::1]',
  '192.0.2.1',
  '2002:a05::1',
  'qmail',
  'invoked by uid 1',
  'Tue, 2 Apr 2024 10:00:00 +0000',
  '1 Jan 99 00:00:00.5 EDT',
  'spf=pass',
  'dkim=fail',
  'reason=',
  'header.d=x',
  'i=1',
  'compauth=fail reason=000',
  'mx.example.org',
  ' ',
  '\t'
)
const fieldText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.oneof(fragment, fc.string({ maxLength: 12 })), { maxLength: 60 }).map((a) => a.join(' ')),
  fc.array(fragment, { maxLength: 80 }).map((a) => a.join(''))
)

function timed<T>(fn: () => T): T {
  const t = performance.now()
  const r = fn()
  expect(performance.now() - t).toBeLessThan(1000)
  return r
}

describe('fuzz: header parsers never throw and stay fast', () => {
  it('parseReceived / parseMailDate', () => {
    fc.assert(
      fc.property(fieldText, (s) => {
        const r = timed(() => parseReceived(s))
        expect(typeof r.hop.raw).toBe('string')
        timed(() => parseMailDate(s))
      }),
      { numRuns: 1500 }
    )
  })
  it('analyzeReceived output always matches the HopChain schema', () => {
    fc.assert(
      fc.property(fc.array(fieldText, { maxLength: 12 }), (values) => {
        const chain = timed(() => analyzeReceived(values.map((value) => ({ name: 'Received', value }))))
        expect(HopChain.safeParse(chain).success).toBe(true)
        expect(chain.hops).toHaveLength(values.length)
      }),
      { numRuns: 400 }
    )
  })
  it('parseAuthResults / parseReceivedSpf / analyzeRecordedAuth', () => {
    fc.assert(
      fc.property(fieldText, fieldText, (a, b) => {
        const r = timed(() => parseAuthResults(a))
        expect(Array.isArray(r.results)).toBe(true)
        timed(() => parseReceivedSpf(b))
        timed(() =>
          analyzeRecordedAuth([
            { name: 'Authentication-Results', value: a },
            { name: 'ARC-Authentication-Results', value: b },
            { name: 'Received-SPF', value: b },
            { name: 'Received', value: a }
          ])
        )
      }),
      { numRuns: 1500 }
    )
  })
  it('survives pathological sizes', () => {
    const deep = '('.repeat(50_000) + 'x' + ')'.repeat(10)
    timed(() => parseReceived(deep))
    timed(() => parseAuthResults(deep))
    timed(() => parseReceived('from ' + 'a.'.repeat(40_000) + ' by b; 1 Jan 2024 00:00:00 +0000'))
    timed(() => parseAuthResults('x; ' + 'dkim=pass '.repeat(5_000)))
  })
})
