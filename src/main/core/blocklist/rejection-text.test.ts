import { describe, expect, it } from 'vitest'
import { matchRejectionText } from './rejection-text'

const ids = (text: string): string[] => matchRejectionText(text).map((m) => m.list.id)

describe('matchRejectionText', () => {
  it('names the zone in a Postfix DNSBL rejection', () => {
    const text =
      '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1'
    expect(ids(text)).toEqual(['spamhaus-zen'])
    expect(matchRejectionText(text)[0]).toMatchObject({ strength: 'zone', match: 'zen.spamhaus.org' })
  })

  it('does not confuse sub-zones (sbl-xbl is not xbl)', () => {
    expect(ids('blocked using sbl-xbl.spamhaus.org')).toEqual(['spamhaus-sbl-xbl'])
    expect(ids('blocked using dnsbl-2.uceprotect.net')).toEqual(['uceprotect-l2'])
  })

  it('recognises DQS key zones and provider texts', () => {
    expect(ids('blocked using 0123456789abcdef.zen.dq.spamhaus.net')).toEqual(['spamhaus-zen'])
    expect(
      ids(
        "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list"
      )
    ).toEqual(['spamhaus-zen'])
    expect(ids("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)")).toEqual([
      'microsoft'
    ])
    expect(ids('550 5.7.606 Access denied, banned sending IP [192.0.2.1]')).toEqual(['microsoft'])
    expect(ids('554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1')).toEqual([
      'proofpoint'
    ])
  })

  it('explains rejections naming defunct lists', () => {
    const m = matchRejectionText('550 5.7.1 rejected because 192.0.2.1 is in a black list at dnsbl.sorbs.net')
    expect(m.map((x) => x.list.id)).toEqual(['sorbs'])
    expect(m[0].list.defunct).toBe(true)
  })

  it('keeps the specific zone over an operator-wide pattern and orders by position', () => {
    expect(ids('blocked using z.mailspike.net, see mailspike.org')).toEqual(['mailspike-z'])
    expect(ids('listed at bl.spamcop.net and at b.barracudacentral.org')).toEqual(['spamcop', 'barracuda'])
  })

  it('finds nothing in an unrelated rejection', () => {
    expect(ids('550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown')).toEqual([])
  })
})
