import { describe, expect, it } from 'vitest'
import { buildHtml, buildJson, buildMarkdown, hopChartSvg, translator, type ReportData } from '.'

const XSS_SUBJECT = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
const XSS_FROM = '"<script>alert(3)</script>" <a@example.com>'

function data(): ReportData {
  return {
    generatedAt: '2025-03-04T10:00:00.000Z',
    version: '0.1.0',
    case: {
      id: 7,
      title: 'Case </title><script>x</script>',
      status: 'open',
      sendingDomain: 'example.com',
      sendingIps: ['192.0.2.1'],
      evidenceCount: 1,
      createdAt: '2025-03-01T00:00:00.000Z',
      updatedAt: '2025-03-01T00:00:00.000Z',
      autoTitle: false
    },
    evidence: [
      {
        id: 1,
        caseId: 7,
        name: 'b.eml',
        kind: 'bounce',
        sha256: 'a'.repeat(64),
        size: 1234,
        subject: XSS_SUBJECT,
        createdAt: '2025-03-01T00:00:00.000Z',
        from: XSS_FROM,
        hops: [
          {
            index: 0,
            headerIndex: 1,
            local: false,
            from: { host: '<b>evil</b>', raw: '' },
            by: { host: 'mx', raw: '' },
            tls: { used: null },
            delaySec: null,
            raw: '',
            anomalies: []
          },
          {
            index: 1,
            headerIndex: 0,
            local: false,
            from: { host: 'a', raw: '' },
            by: { host: 'b', raw: '' },
            tls: { used: null },
            delaySec: 12.5,
            raw: '',
            anomalies: []
          }
        ] as any
      }
    ],
    findings: [
      {
        id: 'bl.listed:spamcop:192.0.2.1',
        severity: 'critical',
        title: 'Listed <script>',
        detail: 'on SpamCop',
        evidence: [],
        source: 'blocklist',
        step: 'delist',
        actionable: true,
        status: 'resolved',
        note: null,
        firstSeen: '2025-03-01T00:00:00.000Z',
        lastSeen: '2025-03-01T00:00:00.000Z',
        resolvedAt: '2025-03-02T00:00:00.000Z',
        remedy: 'delist',
        rootCause: 'listing:spamcop:192.0.2.1'
      }
    ],
    causes: [],
    coverage: [],
    steps: [],
    fixes: [],
    scan: {
      checkedAt: '2025-03-01T00:00:00.000Z',
      listed: [
        { list: 'spamcop', name: 'SpamCop', target: '192.0.2.1', codes: ['127.0.0.2'], meanings: ['listed'] }
      ],
      couldNotCheck: []
    },
    delist: [],
    verify: null,
    notes: [
      {
        id: 1,
        caseId: 7,
        kind: 'note',
        body: 'ticket <script>alert(4)</script>',
        createdAt: '2025-03-01T00:00:00.000Z',
        updatedAt: '2025-03-01T00:00:00.000Z'
      }
    ],
    contact: 'postmaster@example.com'
  }
}

describe('report builders', () => {
  it('HTML escapes every message value, has the CSP meta and no script', () => {
    for (const variant of ['full', 'operator'] as const) {
      const html = buildHtml(data(), variant, 'en')
      expect(html).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`
      )
      expect(html).not.toMatch(/<script/i)
      expect(html).not.toMatch(/<img/i)
    }
    const full = buildHtml(data(), 'full', 'en')
    expect(full).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;')
    expect(full).toContain('&lt;script&gt;alert(3)&lt;/script&gt;')
    expect(full).toContain('<svg')
  })

  it('operator variant has the IP, the listing and the contact, not the evidence or notes', () => {
    const html = buildHtml(data(), 'operator', 'en')
    expect(html).toContain('192.0.2.1')
    expect(html).toContain('SpamCop')
    expect(html).toContain('postmaster@example.com')
    expect(html).not.toContain('ticket')
    const json = JSON.parse(buildJson(data(), 'operator', 'en'))
    expect(json).toMatchObject({ ips: ['192.0.2.1'], contact: 'postmaster@example.com' })
    expect(json.listings[0]).toMatchObject({ list: 'spamcop', target: '192.0.2.1' })
  })

  it('French uses the French catalogue and French dates', () => {
    const html = buildHtml(data(), 'full', 'fr')
    expect(html).toContain('<html lang="fr">')
    expect(html).toContain('Constats et remèdes')
    expect(html).toMatch(/mars 2025/)
  })

  it('Markdown escapes inline HTML', () => {
    const md = buildMarkdown(data(), 'full', 'en')
    expect(md).not.toMatch(/<script/i)
    expect(md).toContain('&lt;script&gt;')
  })

  it('NUL and other C0 controls from a message never reach a report raw, in any format', () => {
    const hostile = data()
    hostile.evidence[0].subject = 'Invoice\u0000\u001b[31mPAID\u001b[0m\u0007\u007f end\tok'
    hostile.case.title = 'Case\u0000 title'
    hostile.notes[0].body = 'note\u0000\u0008'
    // eslint-disable-next-line no-control-regex -- the raw control characters are what must not appear
    const raw = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
    for (const variant of ['full', 'operator'] as const) {
      const html = buildHtml(hostile, variant, 'en')
      const md = buildMarkdown(hostile, variant, 'en')
      const json = buildJson(hostile, variant, 'en')
      expect(html).not.toMatch(raw)
      expect(md).not.toMatch(raw)
      expect(json).not.toMatch(raw)
    }
    const html = buildHtml(hostile, 'full', 'en')
    // Shown as Control Pictures, so the reader sees what the message carried; TAB is kept.
    expect(html).toContain('Invoice␀␛[31mPAID␛[0m␇␡ end\tok')
    expect(buildMarkdown(hostile, 'full', 'en')).toContain('Case␀ title')
    // JSON keeps the data and escapes it (RFC 8259 §7): it parses back to the original.
    expect(JSON.parse(buildJson(hostile, 'full', 'en')).evidence[0].subject).toBe(hostile.evidence[0].subject)
  })

  it('hop chart escapes host names', () => {
    const svg = hopChartSvg(data().evidence[0].hops, translator('en'))
    expect(svg).toContain('&lt;b&gt;evil&lt;/b&gt;')
    expect(svg).not.toContain('<b>')
  })
})
