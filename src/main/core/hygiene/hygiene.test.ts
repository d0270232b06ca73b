import { describe, expect, it } from 'vitest'
import type { BounceRecipient } from '../../../shared/schemas/bounce'
import { detectReport, failureType, providerCode } from './classify'
import { buildClusters } from './clusters'
import { looksTruncated, MboxSplitter } from './mbox-stream'
import { computeRates, parseVolumeCsv } from './rates'
import { decide, DEFAULT_RULES, type AddressEvent } from './rules'

const r = (over: Partial<BounceRecipient>): BounceRecipient => ({
  recipient: 'a@b.example',
  reason: 'undefined',
  ...over
})
const ev = (type: AddressEvent['type'], at: string): AddressEvent => ({
  type,
  at,
  reason: 'x',
  status: '5.0.0',
  source: 's'
})

describe('failureType: a block on the sender never counts against the recipient', () => {
  it.each([
    ['blocked', 'blocklist'],
    ['authfailure', undefined],
    ['requireptr', undefined],
    ['ratelimited', undefined],
    ['failedstarttls', undefined],
    ['policyviolation', undefined],
    ['undefined', 'reverse-dns'],
    ['filtered', 'tls-unavailable']
  ] as const)('%s (verdict %s) is a block', (reason, cause) => {
    expect(failureType(r({ reason, permanence: 'permanent' }), cause)).toBe('block')
  })
  it('only an address that is itself bad is hard', () => {
    expect(failureType(r({ reason: 'userunknown', hardBounce: true }), 'recipient-unknown')).toBe('hard')
    expect(failureType(r({ reason: 'mailboxfull', permanence: 'permanent' }), 'mailbox')).toBe('soft')
    expect(failureType(r({ reason: 'mailboxfull' }), 'blocklist')).toBe('soft')
  })
})

describe('decide', () => {
  it('hard and complaint suppress at once; soft needs the count over the days', () => {
    expect(decide([ev('hard', '2025-11-01T00:00:00Z')], DEFAULT_RULES).category).toBe('hard')
    expect(decide([ev('complaint', '2025-11-01T00:00:00Z')], DEFAULT_RULES).suppressed).toBe(true)
    const soft3in6 = ['2025-11-01', '2025-11-04', '2025-11-07'].map((d) => ev('soft', `${d}T00:00:00Z`))
    expect(decide(soft3in6, DEFAULT_RULES).suppressed).toBe(false)
    expect(decide(soft3in6, DEFAULT_RULES).explanation.code).toBe('rule.softPending')
    const soft3in7 = [...soft3in6.slice(0, 2), ev('soft', '2025-11-08T00:00:00Z')]
    expect(decide(soft3in7, DEFAULT_RULES)).toMatchObject({ suppressed: true, category: 'soft', count: 3 })
  })
  it('a release forgets the earlier events; rules switched off do not suppress', () => {
    const hard = [ev('hard', '2025-11-01T00:00:00Z')]
    expect(decide(hard, DEFAULT_RULES, '2025-11-02T00:00:00Z').suppressed).toBe(false)
    expect(
      decide([...hard, ev('hard', '2025-11-03T00:00:00Z')], DEFAULT_RULES, '2025-11-02T00:00:00Z').suppressed
    ).toBe(true)
    expect(decide(hard, { ...DEFAULT_RULES, hardSuppresses: false }).suppressed).toBe(false)
  })
})

describe('mbox streaming', () => {
  it('splits across chunk boundaries, unquotes >From and flags an oversized message', () => {
    const s = new MboxSplitter(200)
    const text =
      'From a\nSubject: 1\n\n>From here\n\nFrom b\nSubject: 2\n\n' +
      'x'.repeat(300) +
      '\n\nFrom c\nSubject: 3\n\nok\n'
    const out = [] as ReturnType<MboxSplitter['push']>
    for (let i = 0; i < text.length; i += 7) out.push(...s.push(Buffer.from(text.slice(i, i + 7))))
    out.push(...s.end())
    expect(out.map((m) => (m.tooLarge ? 'big' : m.bytes.toString()))).toEqual([
      'Subject: 1\n\nFrom here\n',
      'big',
      'Subject: 3\n\nok\n'
    ])
    expect(s.endedOnNewline).toBe(true)
  })
  it('looksTruncated: a multipart without its closing boundary', () => {
    const head = 'Content-Type: multipart/report; boundary="b"\n\n--b\nx\n'
    expect(looksTruncated(Buffer.from(head))).toBe(true)
    expect(looksTruncated(Buffer.from(head + '--b--\n'))).toBe(false)
  })
})

describe('reports, codes, rates and clusters', () => {
  it('detects DMARC aggregate and TLS reports from the header block', () => {
    expect(detectReport('Subject: Report Domain: example.com Submitter: google.com Report-ID: 1\n')).toBe(
      'dmarc-report'
    )
    expect(detectReport('TLS-Report-Domain: example.com\n')).toBe('tls-report')
    expect(detectReport('Subject: hello\n')).toBeUndefined()
  })
  it('reads provider codes', () => {
    expect(providerCode('550 5.7.1 ... (S3150) ...', '5.7.1')).toBe('S3150')
    expect(providerCode('421 4.7.0 [TSS04] Messages temporarily deferred', '4.7.0')).toBe('TSS04')
    expect(providerCode(undefined, '5.1.1')).toBe('5.1.1')
  })
  it('computes rates against the thresholds and parses the volume CSV', () => {
    const v = parseVolumeCsv('date,sent,domain\n2025-11-03,1000\n2025-11-03,500,outlook.com\nbad line\n')
    expect(v.rows).toHaveLength(2)
    expect(v.errors[0]).toMatchObject({ code: 'volume.badLine', params: { line: 4 } })
    const rates = computeRates(
      [{ day: '2025-11-03', domain: 'outlook.com', hard: 10, soft: 0, complaints: 4, blocks: 50, delays: 1 }],
      v.rows
    )
    expect(rates.days[0]).toMatchObject({ sent: 1000, bounceRate: 0.06, complaintRate: 0.004, level: 'over' })
    expect(rates.alerts.map((a) => a.code)).toEqual(
      expect.arrayContaining(['alert.complaintOver', 'alert.bounceWatch'])
    )
  })
  it('summarises clusters as code + params, largest first', () => {
    const c = buildClusters([
      {
        domain: 'a.example',
        cause: 'blocklist',
        code: '5.7.1',
        since: '2025-11-28T10:00:00Z',
        until: 'x',
        recipients: 2,
        messages: 2,
        example: ''
      },
      {
        domain: 'outlook.com',
        cause: 'reputation',
        code: 'S3150',
        since: '2025-11-28T10:00:00Z',
        until: 'x',
        recipients: 312,
        messages: 300,
        example: ''
      }
    ])
    expect(c[0].key).toBe('outlook.com|reputation|S3150')
    expect(c[0].summary).toEqual({
      code: 'cluster.summary',
      params: {
        since: '2025-11-28',
        recipients: 312,
        domain: 'outlook.com',
        code: 'S3150',
        cause: 'reputation'
      }
    })
  })
})
