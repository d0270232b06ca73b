import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer, type Zones } from '../../../../test/support/dns-server'
import { runCliCaptured } from '../../../../test/support/run-cli'

/** `delivery-desk blocklist` against a loopback DNS server: one JSON object per target, in input order. */
describe('cli: blocklist', () => {
  let server: DnsTestServer
  let dataDir: string
  const zones: Zones = {
    '2.0.0.127.bl.spamcop.net': { A: ['127.0.0.2'] },
    '77.113.0.203.bl.spamcop.net': {
      A: ['127.0.0.2'],
      TXT: ['Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.77']
    },
    '2.0.0.127.b.barracudacentral.org': { A: ['127.0.0.2'] },
    '*.zen.spamhaus.org': { A: ['127.255.255.254'] }
  }
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dd-cli-bl-'))
    server = await startDnsServer({ zones })
  })
  beforeEach(() => server.setZones(zones))
  afterAll(async () => {
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const run = (args: string[]) => runCliCaptured(args, dataDir)

  it('prints target, type, results and summary per target, and an error object for a non-target', async () => {
    const { code, out } = await run([
      'blocklist',
      '203.0.113.77',
      'not a target!',
      'acme-widgets.example',
      '--resolver',
      server.address,
      '--lists',
      'spamcop,barracuda',
      '--lists',
      'spamhaus-zen',
      '--json'
    ])
    expect(code).toBe(2) // bad input: one target is neither an IP nor a domain
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.target)).toEqual(['203.0.113.77', 'not a target!', 'acme-widgets.example'])
    const [ip, bad, domain] = lines
    expect(ip.type).toBe('ip4')
    const byList = Object.fromEntries(ip.results.map((r: { list: string }) => [r.list, r]))
    expect(byList.spamcop).toMatchObject({
      zone: 'bl.spamcop.net',
      status: 'listed',
      codes: ['127.0.0.2'],
      txt: expect.stringContaining('spamcop.net/bl.shtml'),
      delist: { method: 'automatic' }
    })
    expect(typeof byList.spamcop.ms).toBe('number')
    expect(byList.spamcop.meanings.length).toBeGreaterThan(0)
    expect(byList.barracuda.status).toBe('clean')
    expect(byList['spamhaus-zen'].status).toBe('refused')
    expect(ip.summary).toMatchObject({ listed: 1, clean: 1, refused: 1 })
    expect(bad.error).toMatchObject({
      code: 'INVALID_TARGET',
      message: expect.stringContaining('not a target!')
    })
    // IP lists do not apply to a domain: it gets a report with no results rather than a false "clean".
    expect(domain).toMatchObject({ type: 'domain', results: [] })
    expect(domain.summary.notes).toEqual(['None of the selected lists checks domain names'])
  })

  it('explains a bad list id or resolver in one clear line', async () => {
    const lists = await run(['blocklist', '203.0.113.77', '--lists', 'sorbs', '--json'])
    expect(lists.code).toBe(2)
    expect(JSON.parse(lists.out).error.message).toContain('defunct')
    const resolver = await run(['blocklist', '203.0.113.77', '--resolver', 'dns.google'])
    expect(resolver.code).toBe(2)
    expect((await run(['blocklist'])).code).toBe(2)
    expect(resolver.err).toContain('is not an IP address or IP:port')
  })

  it('prints a readable report without --json', async () => {
    const { code, out } = await run([
      'blocklist',
      '203.0.113.77',
      '--resolver',
      server.address,
      '--lists',
      'spamcop,spamhaus-zen'
    ])
    expect(out).toMatch(/203\.0\.113\.77 \(ip4\): listed on SpamCop/)
    expect(out).toContain('REFUSED')
    // Spamhaus refused this resolver: one list could not be checked.
    expect(code).toBe(1)
  })

  it('exits 0 when every list was checked, listings included', async () => {
    const { code, out } = await run([
      'blocklist',
      '203.0.113.77',
      '--resolver',
      server.address,
      '--lists',
      'spamcop,barracuda',
      '--json'
    ])
    expect(JSON.parse(out).summary).toMatchObject({ listed: 1, clean: 1, error: 0 })
    expect(code).toBe(0)
  })

  it('exits 1 when no list could be checked, and names REFUSED apart from timeouts', async () => {
    server.setZones({
      '*.bl.spamcop.net': { behaviour: 'refused' },
      '*.b.barracudacentral.org': { behaviour: 'servfail' }
    })
    const { code, out } = await run([
      'blocklist',
      '203.0.113.77',
      '--resolver',
      server.address,
      '--lists',
      'spamcop,barracuda',
      '--json'
    ])
    const report = JSON.parse(out)
    const byList = Object.fromEntries(report.results.map((r: { list: string }) => [r.list, r]))
    expect(byList.spamcop).toMatchObject({ status: 'error', failure: 'refused', reason: /REFUSED/ })
    expect(byList.barracuda).toMatchObject({ status: 'error', failure: 'servfail' })
    expect(report.summary.notes).toContain(
      '2 list(s) could not be checked (1 REFUSED by the resolver, 1 SERVFAIL)'
    )
    expect(code).toBe(1)
  })

  describe('a list without a negative test point (hostkarma, RFC 5782 §5)', () => {
    const HK = 'hostkarma.junkemailfilter.com'
    const scan = () =>
      run(['blocklist', '203.0.113.77', '--resolver', server.address, '--lists', 'hostkarma', '--json'])
    const hostkarma = async () => {
      const r = await scan()
      return { code: r.code, result: JSON.parse(r.out).results[0] }
    }

    it('is never "listed" on a zone that also lists 127.0.0.1 (a wildcard)', async () => {
      server.setZones({ [`*.${HK}`]: { A: ['127.0.0.2'] } })
      const { code, result } = await hostkarma()
      expect(result.status).toBe('unreliable')
      expect(result.reason).toMatch(/127\.0\.0\.1/)
      expect(code).toBe(1)
    })

    it('is not a real list when it answers the same for 127.0.0.2 and 127.0.0.1, even with its allow code', async () => {
      server.setZones({ [`*.${HK}`]: { A: ['127.0.0.1'] } })
      const { code, result } = await hostkarma()
      expect(result.status).toBe('unreliable')
      expect(result.reason).toMatch(/for both RFC 5782 §5 test points/)
      expect(code).toBe(1)
    })

    it('is listed when it answers like a real list (127.0.0.1 is its whitelist code)', async () => {
      server.setZones({
        [`2.0.0.127.${HK}`]: { A: ['127.0.0.2'] },
        [`1.0.0.127.${HK}`]: { A: ['127.0.0.1'] },
        [`77.113.0.203.${HK}`]: { A: ['127.0.0.2'] }
      })
      const { code, result } = await hostkarma()
      expect(result).toMatchObject({ status: 'listed', codes: ['127.0.0.2'] })
      expect(code).toBe(0)
    })

    it('is "unverifiable", not listed, when the 127.0.0.1 point cannot be checked', async () => {
      server.setZones({
        [`2.0.0.127.${HK}`]: { A: ['127.0.0.2'] },
        [`1.0.0.127.${HK}`]: { behaviour: 'servfail' },
        [`77.113.0.203.${HK}`]: { A: ['127.0.0.2'] }
      })
      const { code, result } = await hostkarma()
      expect(result.status).toBe('unreliable')
      expect(result.reason).toMatch(/^Answered 127\.0\.0\.2, not shown as a listing\. Unverifiable/)
      expect(code).toBe(1)
    })
  })
})
