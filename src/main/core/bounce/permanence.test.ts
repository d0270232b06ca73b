import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeFile } from '../diagnose'
import { inferStatus, isHardBounce, permanenceOf } from './permanence'

describe('permanence (RFC 3463 §3.1, RFC 5321 §4.2.1, RFC 3464 §2.3.3)', () => {
  it('the class digit decides, then the reply code, then the action', () => {
    expect(permanenceOf({ status: '4.2.2', replyCode: '552', reason: 'mailboxfull' })).toBe('temporary')
    expect(permanenceOf({ replyCode: '550', reason: 'onhold' })).toBe('permanent')
    expect(permanenceOf({ replyCode: '421', reason: 'blocked' })).toBe('temporary')
    expect(permanenceOf({ action: 'delayed', status: '5.0.0', reason: 'expired' })).toBe('temporary')
    expect(permanenceOf({ action: 'failed', reason: 'onhold' })).toBe('permanent')
  })
  it('without codes, explicit retry advice beats the generic "delivery failed"', () => {
    expect(
      permanenceOf({
        reason: 'mailboxfull',
        diagnosticCode: "maildir delivery failed: the user's maildir is over quota, please try again later."
      })
    ).toBe('temporary')
    expect(
      permanenceOf({
        reason: 'onhold',
        diagnosticCode:
          "There was a temporary problem. We'll retry. You'll be notified if the delivery fails permanently."
      })
    ).toBe('temporary')
    expect(permanenceOf({ reason: 'networkerror', reportText: 'The following address(es) failed:' })).toBe(
      'permanent'
    )
  })
  it('an inferred status takes the class of the permanence and the detail of the reason', () => {
    expect(inferStatus('userunknown', 'permanent')).toBe('5.1.1')
    expect(inferStatus('mailboxfull', 'temporary')).toBe('4.2.2')
    expect(inferStatus('authfailure', 'permanent')).toBe('5.7.26')
    expect(inferStatus('vacation', 'permanent')).toBeUndefined()
  })
  it('a hard bounce is a bad address, never a block on the sender', () => {
    expect(isHardBounce('userunknown', 'permanent')).toBe(true)
    expect(isHardBounce('hostunknown', 'permanent')).toBe(true)
    expect(isHardBounce('userunknown', 'temporary')).toBe(false)
    for (const r of [
      'blocked',
      'policyviolation',
      'authfailure',
      'requireptr',
      'ratelimited',
      'spamdetected'
    ] as const)
      expect(isHardBounce(r, 'permanent')).toBe(false)
  })
})

describe('feedback reports (RFC 5965)', () => {
  it('a complaint is kind "feedback", not a bounce, with the source IP as the sender\'s', async () => {
    const raw = readFileSync(join(__dirname, 'fixtures', 'arf-abuse.eml'), 'latin1').replace(
      /^Feedback-Type: abuse$/m,
      'Feedback-Type: abuse\nSource-IP: 192.0.2.99'
    )
    const a = (await analyzeFile(new TextEncoder().encode(raw), 'arf.eml'))[0].analysis
    expect(a.kind).toBe('feedback')
    expect(a.bounce?.kind).toBe('feedback')
    expect(a.bounce?.isBounce).toBe(false)
    const r = a.bounce!.recipients[0]
    expect(r.reason).toBe('feedback')
    expect(r.recipient).toMatch(/@/)
    expect(r.permanence).toBeUndefined()
    expect(a.verdict).toBeUndefined()
    expect(r.sourceIp).toBe('192.0.2.99')
    expect(a.parties?.sender.ip).toMatchObject({ value: '192.0.2.99', source: 'feedback-report:Source-IP' })
    expect(a.sendingIp).toBe('192.0.2.99')
  })
})
