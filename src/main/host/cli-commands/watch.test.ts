import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { dropListingAndChangeSpf, watchZones } from '../../../../test/support/watch-fixtures'
import { startBackend } from '../backend'
import { runCliCaptured } from '../../../../test/support/run-cli'

/**
 * `delivery-desk watch` against a real DNS server on loopback (issue 14's "done when"): three runs of
 * `watch run --once` over an IP and a domain, with the catalogue's default lists.
 */

describe('cli: watch', () => {
  let dns: DnsTestServer
  let dataDir: string

  beforeAll(async () => {
    dns = await startDnsServer({ zones: watchZones() })
    dataDir = mkdtempSync(join(tmpdir(), 'dd-cli-watch-'))
    const b = startBackend({ dataDir, host: 'cli' })
    await b.dispatch('settings.set', { dnsTimeoutMs: 500 })
    b.close()
  })
  afterAll(async () => {
    await dns.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const cli = (args: string[]) => runCliCaptured(args, dataDir)
  const run = async () => {
    const r = await cli(['watch', 'run', '--once', '--resolver', dns.address, '--json'])
    return {
      ...r,
      json: JSON.parse(r.out) as { alerts: Record<string, unknown>[]; checked: number; coverage: unknown[] }
    }
  }

  it('adds, lists and refuses bad targets with a clear message', async () => {
    const add = await cli(['watch', 'add', '203.0.113.77', 'Shop.Test', '--selector', 's1', '--json'])
    // selectors belong to domains; nothing is added when one target is refused
    expect(add.code).toBe(2)
    expect(JSON.parse(add.out).error.message).toContain('DKIM selectors apply to domains only')
    expect(JSON.parse((await cli(['watch', 'list', '--json'])).out)).toEqual([])
    expect((await cli(['watch', 'add', '203.0.113.77'])).code).toBe(0)
    expect((await cli(['watch', 'add', 'Shop.Test', '--selector', 's1'])).code).toBe(0)
    const big = await cli(['watch', 'add', '198.51.100.0/23'])
    expect(big.code).toBe(2)
    expect(big.err).toContain('larger than a /24')
    const list = JSON.parse((await cli(['watch', 'list', '--json'])).out)
    expect(list.map((t: { value: string; type: string }) => [t.value, t.type])).toEqual([
      ['203.0.113.77', 'ip4'],
      ['shop.test', 'domain']
    ])
    expect(list[1].selectors).toEqual(['s1'])
  })

  it('run 1: an IP listed on two lists gives two alerts and exit 3', async () => {
    const r = await run()
    expect(r.code, r.out).toBe(3)
    expect(r.json.checked).toBe(2)
    expect(r.json.alerts.map((a) => [a.target, a.kind, a.subject]).sort()).toEqual([
      ['203.0.113.77', 'listed', 'barracuda'],
      ['203.0.113.77', 'listed', 'spamcop']
    ])
    const spamcop = r.json.alerts.find((a) => a.subject === 'spamcop')!
    expect(spamcop.summary).toBe('203.0.113.77 is listed on SpamCop Blocking List (127.0.0.2)')
    expect(spamcop.code).toBe('watch:alert.listed')
    // Lists that failed their self-test on this server are coverage, not clean
    expect(r.json.coverage.length).toBeGreaterThan(0)
  })

  it('run 2: the same state again gives no alert and exit 0', async () => {
    const r = await run()
    expect(r.code, r.out).toBe(0)
    expect(r.json.alerts).toEqual([])
    expect(r.json.checked).toBe(2)
  })

  it('run 3: listing gone and SPF changed give a delisting and a record-change alert, exit 3', async () => {
    dropListingAndChangeSpf(dns)
    const r = await run()
    expect(r.code, r.out).toBe(3)
    expect(r.json.alerts.map((a) => [a.target, a.kind, a.subject]).sort()).toEqual([
      ['203.0.113.77', 'delisted', 'spamcop'],
      ['shop.test', 'record-changed', 'spf']
    ])
    const spf = r.json.alerts.find((a) => a.kind === 'record-changed')!
    expect(spf).toMatchObject({
      before: 'v=spf1 ip4:203.0.113.77 -all',
      after: 'v=spf1 ip4:203.0.113.77 ip4:203.0.113.78 -all'
    })
    expect(spf.summary).toContain('The SPF record of shop.test changed')
  })

  it('a list that cannot be checked is never a delisting', async () => {
    // barracuda stops answering (timeout): its listing is carried, not cleared
    dns.setRecord('77.113.0.203.b.barracudacentral.org', 'behaviour', 'timeout')
    const r = await run()
    expect(r.code, r.out).toBe(0)
    expect(r.json.alerts).toEqual([])
    const list = JSON.parse((await cli(['watch', 'list', '--json'])).out)
    expect(list[0].listedOn).toEqual(['Barracuda Reputation Block List (BRBL)'])
  })

  it('shows the history, the alerts and removes a target', async () => {
    const h = JSON.parse((await cli(['watch', 'history', '203.0.113.77', '--json'])).out)
    expect(h.points.map((p: { listed: number; alerts: number }) => [p.listed, p.alerts])).toEqual([
      [2, 2],
      [2, 0],
      [1, 1],
      [1, 0]
    ])
    const alerts = JSON.parse((await cli(['watch', 'alerts', '--json'])).out)
    expect(alerts).toHaveLength(4)
    const rm = await cli(['watch', 'remove', 'shop.test', 'nope.test'])
    expect(rm.code).toBe(1)
    expect(rm.out).toContain('removed shop.test')
    expect(rm.out).toContain('not on the watchlist: nope.test')
  })
})
