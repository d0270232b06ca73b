import { describe, expect, it } from 'vitest'
import type { PrecheckCheck } from '../../../shared/contract/precheck'
import type { AuthCheck } from '../../../shared/schemas/message'
import {
  alignmentCheck,
  complaintCheck,
  linkDomains,
  linksCheck,
  ptrCheck,
  scoreChecks,
  spamassassinCheck,
  spfCheck,
  tlsCheck,
  unsubscribeCheck,
  WEIGHTS
} from './checks'

const auth = (over: Partial<AuthCheck> = {}): AuthCheck => ({
  checkedAt: '2025-06-02T00:00:00Z',
  dnsAvailable: true,
  headersOnly: false,
  dkim: [],
  spf: { state: 'not_checked', result: 'not_checked' },
  dmarc: {
    state: 'not_checked',
    result: 'not_checked',
    alignment: { spf: null, dkim: null, spfStrict: false, dkimStrict: false }
  },
  arc: { state: 'none', cv: 'none', instances: 0 },
  bimi: { state: 'not_checked', result: 'not_checked' },
  findings: [],
  ...over
})

const mk = (id: PrecheckCheck['id'], status: PrecheckCheck['status']): PrecheckCheck => ({
  id,
  status,
  detail: { code: 'x' },
  fix: null,
  items: [],
  weight: WEIGHTS[id],
  sources: []
})

describe('pre-send checklist', () => {
  it('scores out of 10 and gives nothing for what could not be checked', () => {
    const ids = Object.keys(WEIGHTS) as PrecheckCheck['id'][]
    expect(scoreChecks(ids.map((id) => mk(id, 'pass'))).score).toBe(10)
    expect(scoreChecks(ids.map((id) => mk(id, 'fail'))).score).toBe(0)
    const unknown = scoreChecks(ids.map((id) => mk(id, id === 'spf' ? 'unknown' : 'pass')))
    expect(unknown.score).toBeLessThan(10)
    expect(unknown.coverage.checked).toBe(unknown.coverage.total - WEIGHTS.spf)
    const skipped = scoreChecks(ids.map((id) => mk(id, id === 'spamassassin' ? 'skipped' : 'pass')))
    expect(skipped.score).toBeLessThan(10)
    expect(scoreChecks(ids.map((id) => mk(id, 'warn'))).score).toBe(5)
  })

  it('never checks SPF or PTR without the sending IP, and says so', () => {
    const spf = spfCheck(auth(), { ip: null, mailFrom: 'a@shop.test', mailFromAssumed: false })
    expect(spf).toMatchObject({ status: 'unknown', detail: { code: 'precheck:spf.noIp' } })
    expect(ptrCheck(null, undefined)).toMatchObject({
      status: 'unknown',
      detail: { code: 'precheck:ptr.noIp' }
    })
    expect(
      ptrCheck('192.0.2.1', { ip: '192.0.2.1', state: 'could_not_check', names: [], heloResolves: null })
        .status
    ).toBe('unknown')
    expect(
      ptrCheck('192.0.2.1', { ip: '192.0.2.1', state: 'fail', names: ['x.isp.test'], heloResolves: null })
    ).toMatchObject({ status: 'fail', detail: { code: 'precheck:ptr.unconfirmed' } })
  })

  it('alignment: a DKIM-aligned pass is enough; nothing aligned with SPF unchecked is undecided, not a fail', () => {
    const dkimPass = {
      state: 'pass' as const,
      result: 'pass',
      domain: 'mail.shop.test',
      bodyHash: 'pass' as const,
      signature: 'pass' as const,
      keyFound: true,
      aligned: true
    }
    expect(alignmentCheck(auth({ dkim: [dkimPass] }), 'shop.test')).toMatchObject({
      status: 'pass',
      detail: { code: 'precheck:alignment.dkimOnlySpfUnknown' }
    })
    expect(alignmentCheck(auth(), 'shop.test').status).toBe('unknown')
    const spfFail = auth({ spf: { state: 'fail', result: 'fail', domain: 'esp.test' } })
    expect(alignmentCheck(spfFail, 'shop.test').status).toBe('fail')
    const spfOnly = auth({ spf: { state: 'pass', result: 'pass', domain: 'bounce.shop.test' } })
    expect(alignmentCheck(spfOnly, 'shop.test').status).toBe('warn')
  })

  it('one-click unsubscribe: missing on bulk mail fails, missing on other mail warns', () => {
    const bulk = [{ name: 'List-Id', value: '<news.shop.test>' }]
    expect(unsubscribeCheck(bulk, []).status).toBe('fail')
    expect(unsubscribeCheck([{ name: 'Subject', value: 'Your receipt' }], []).status).toBe('warn')
    const withHeader = [{ name: 'List-Unsubscribe', value: '<mailto:u@shop.test>' }]
    const lint = [
      {
        id: 'content.list-unsubscribe-no-https',
        severity: 'warning' as const,
        title: '',
        detail: '',
        evidence: []
      }
    ]
    expect(unsubscribeCheck(withHeader, lint)).toMatchObject({
      status: 'fail',
      items: expect.arrayContaining([{ code: 'precheck:unsub.noHttps' }])
    })
  })

  it('TLS from the Received hops (RFC 3848), unknown when none says', () => {
    const rcv = (w: string) => ({
      name: 'Received',
      value: `from a.test (a.test [192.0.2.1]) by b.test with ${w} id 1; Mon, 2 Jun 2025 09:14:02 +0200`
    })
    expect(tlsCheck([rcv('ESMTPS')]).status).toBe('pass')
    expect(tlsCheck([rcv('ESMTPS'), rcv('ESMTP')]).status).toBe('warn')
    expect(tlsCheck([]).status).toBe('unknown')
  })

  it('complaint rate only from days whose sent volume is known', () => {
    const now = new Date('2025-06-30T12:00:00Z')
    const th = { complaintMax: 0.003, complaintAim: 0.001 }
    expect(complaintCheck([{ key: '2025-06-20', complaints: 5, sent: null }], now, th).status).toBe('unknown')
    expect(complaintCheck([{ key: '2025-06-20', complaints: 5, sent: 1000 }], now, th)).toMatchObject({
      status: 'fail',
      detail: { params: { rate: '0.50%' } }
    })
    expect(complaintCheck([{ key: '2025-06-20', complaints: 1, sent: 10000 }], now, th).status).toBe('pass')
    expect(complaintCheck([{ key: '2025-01-20', complaints: 0, sent: 10000 }], now, th).status).toBe(
      'unknown'
    )
  })

  it('link domains are the registrable domains of http(s) links, IP literals left out', () => {
    expect(
      linkDomains(
        'see https://www.shop.test/a and http://192.0.2.7/x',
        '<a href="https://offers.bad.co.uk/y">x</a> <a href="mailto:a@b.test">m</a>'
      )
    ).toEqual(['bad.co.uk', 'shop.test'])
  })

  it('links: a list that did not answer is coverage, never clean', () => {
    const report = (target: string, over: Record<string, unknown>) => ({
      target,
      type: 'domain' as const,
      results: [],
      summary: {
        listed: 0,
        allowListed: 0,
        clean: 0,
        refused: 0,
        unreliable: 0,
        error: 0,
        skipped: [],
        listedOn: [],
        notes: [],
        ...over
      }
    })
    expect(linksCheck(['a.test'], { reports: [report('a.test', { error: 1 })] }).status).toBe('unknown')
    expect(linksCheck(['a.test'], { error: 'boom' }).status).toBe('unknown')
    expect(
      linksCheck(['a.test'], { reports: [report('a.test', { listedOn: ['Spamhaus DBL'] })] }).status
    ).toBe('fail')
    expect(linksCheck([], null).status).toBe('pass')
  })

  it('SpamAssassin: skipped says why and earns nothing; a score over the threshold fails', () => {
    const skipped = spamassassinCheck({
      status: 'skipped',
      reason: { code: 'precheck:sa.notInstalled', params: { path: '/x' } },
      rules: []
    })
    expect(skipped).toMatchObject({ status: 'skipped', fix: { code: 'precheck:fix.saInstall' } })
    expect(spamassassinCheck({ status: 'ran', score: 6.3, required: 5, rules: [] }).status).toBe('fail')
    expect(spamassassinCheck({ status: 'ran', score: 0.4, required: 5, rules: [] }).status).toBe('pass')
  })
})
