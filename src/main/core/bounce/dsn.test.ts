import { describe, expect, it } from 'vitest'
import { parseDeliveryStatus } from './dsn'

describe('parseDeliveryStatus', () => {
  it('reads the per-message and per-recipient fields of RFC 3464 §2.2-2.3', () => {
    const r = parseDeliveryStatus(
      'Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n' +
        'Diagnostic-Code: smtp; 550 5.1.1 no such user\n'
    )
    expect(r.reportingMta).toContain('mx.example.org')
    expect(r.recipients).toHaveLength(1)
    expect(r.recipients[0]).toMatchObject({ action: 'failed', status: '5.1.1' })
  })

  it('ignores a field named after an Object.prototype member instead of opening a recipient for it', () => {
    // Field names are lower-cased before the lookup, so `constructor` is the one prototype member a DSN line can name.
    const r = parseDeliveryStatus(
      'Reporting-MTA: dns; mx.example.org\nconstructor: x\n\nFinal-Recipient: rfc822; user@example.net\n' +
        'Action: failed\nStatus: 5.1.1\nConstructor: y\n'
    )
    expect(r.recipients).toHaveLength(1)
    expect(Object.keys(r.recipients[0]).sort()).toEqual(
      Object.keys(
        parseDeliveryStatus('Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n')
          .recipients[0]
      ).sort()
    )
  })
})
