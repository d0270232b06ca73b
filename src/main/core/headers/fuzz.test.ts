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

// No wall-clock assertion: speed is measured in bench:analyze. The properties are async with fast-check's per-run
// `timeout` (as in pipeline.test.ts), so a run that hangs fails.
describe('fuzz: header parsers never throw', () => {
  it('parseReceived / parseMailDate', async () => {
    await fc.assert(
      fc.asyncProperty(fieldText, async (s) => {
        const r = parseReceived(s)
        expect(typeof r.hop.raw).toBe('string')
        parseMailDate(s)
      }),
      { numRuns: 1500, timeout: 1000 }
    )
  })
  it('analyzeReceived output always matches the HopChain schema', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fieldText, { maxLength: 12 }), async (values) => {
        const chain = analyzeReceived(values.map((value) => ({ name: 'Received', value })))
        expect(HopChain.safeParse(chain).success).toBe(true)
        expect(chain.hops).toHaveLength(values.length)
      }),
      { numRuns: 400, timeout: 1000 }
    )
  })
  it('parseAuthResults / parseReceivedSpf / analyzeRecordedAuth', async () => {
    await fc.assert(
      fc.asyncProperty(fieldText, fieldText, async (a, b) => {
        const r = parseAuthResults(a)
        expect(Array.isArray(r.results)).toBe(true)
        parseReceivedSpf(b)
        analyzeRecordedAuth([
          { name: 'Authentication-Results', value: a },
          { name: 'ARC-Authentication-Results', value: b },
          { name: 'Received-SPF', value: b },
          { name: 'Received', value: a }
        ])
      }),
      { numRuns: 1500, timeout: 1000 }
    )
  })
  it('survives pathological sizes', () => {
    const deep = '('.repeat(50_000) + 'x' + ')'.repeat(10)
    expect(typeof parseReceived(deep).hop.raw).toBe('string')
    expect(Array.isArray(parseAuthResults(deep).results)).toBe(true)
    expect(
      typeof parseReceived('from ' + 'a.'.repeat(40_000) + ' by b; 1 Jan 2024 00:00:00 +0000').hop.raw
    ).toBe('string')
    expect(parseAuthResults('x; ' + 'dkim=pass '.repeat(5_000)).results.length).toBeGreaterThan(1000)
  })
})
