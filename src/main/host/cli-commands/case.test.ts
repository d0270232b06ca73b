import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { RELAY_IP, RELAY_LIST, RELAY_LISTING, relayZones } from '../../core/findings/__fixtures__/relay-zones'
import { startBackend } from '../backend'
import { runCliCaptured } from '../../../../test/support/run-cli'

const BOUNCE = join(__dirname, '../../../../e2e/data/relay-listed.eml')

/**
 * The headless workflow (issue 10): a relay on Spamhaus ZEN, a healthy domain, ten lists that never answer.
 * `case check` must show the listing as the one thing to do, the silent lists as one coverage note, and the case
 * must converge to nothing open once the listing has been gone for two checks.
 */
describe('cli: case check / case show', () => {
  let dns: DnsTestServer
  let dataDir: string
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dd-cli-case-'))
    dns = await startDnsServer({ zones: relayZones() })
    // Lists that never answer time out; a short timeout keeps the test quick (the setting's minimum is 200 ms).
    const b = startBackend({ dataDir, host: 'cli' })
    await b.dispatch('settings.set', { dnsTimeoutMs: 300 })
    b.close()
  })
  afterAll(async () => {
    await dns.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const run = (args: string[]) => runCliCaptured(args, dataDir)
  const todo = (steps: { step: string; remaining: number }[]) =>
    steps.filter((s) => ['diagnose', 'fix', 'delist'].includes(s.step)).reduce((n, s) => n + s.remaining, 0)

  it('converges: the listing is the to-do, silent lists are coverage, two clean checks close the case', async () => {
    const created = await run(['case', 'new', '--title', 'Relay on ZEN', '--evidence', BOUNCE, '--json'])
    expect(created.code).toBe(0)
    const id = String(created.json.id)

    const first = await run(['case', 'check', id, '--resolver', dns.address, '--json'])
    expect(first.err).toBe('')
    expect(first.code).toBe(3)
    expect(todo(first.json.steps)).toBeGreaterThan(0)
    expect(todo(first.json.steps)).toBeLessThanOrEqual(3)
    const listing = first.json.causes.find((c: any) => c.id === `listing:${RELAY_LIST}:${RELAY_IP}`)
    expect(listing).toMatchObject({ status: 'open', step: 'delist', kind: 'listing' })
    const coverage = first.json.coverage.find((n: any) => n.check === 'blocklist')
    expect(coverage.count).toBe(10)
    expect(coverage.message).toMatch(/^10 lists gave no usable answer through 127\.0\.0\.1:\d+\.$/)
    // Coverage is never a to-do nor a finding row.
    expect(first.json.findings.some((f: any) => /^bl\.(error|refused|unreliable):/.test(f.code))).toBe(false)

    dns.deleteName(RELAY_LISTING)
    const clean1 = await run(['case', 'check', id, '--resolver', dns.address, '--json'])
    // One clean answer is not a delisting yet.
    expect(clean1.json.causes.find((c: any) => c.id === listing.id).status).toBe('open')
    const clean2 = await run(['case', 'check', id, '--resolver', dns.address, '--json'])
    expect(clean2.code).toBe(0)
    expect(todo(clean2.json.steps)).toBe(0)
    expect(clean2.json.causes.find((c: any) => c.id === listing.id).status).toBe('resolved')
    const verdict = clean2.json.findings.find((f: any) => f.code === 'verdict.blocklist')
    expect(verdict).toMatchObject({ status: 'resolved', rootCause: listing.id })

    const shown = await run(['case', 'show', id, '--json'])
    expect(shown.code).toBe(0)
    for (const s of shown.json.steps)
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['step', 'done', 'remaining', 'complete']))
    expect(shown.json.findings[0]).toEqual(
      expect.objectContaining({
        code: expect.any(String),
        rootCause: expect.any(String),
        status: expect.any(String),
        step: expect.any(String),
        severity: expect.any(String),
        title: expect.any(String)
      })
    )
    const fr = await run(['case', 'show', id, '--lang', 'fr'])
    // The human output reads in the language asked for: the coverage note (kept, never resolved) in French.
    expect(fr.out).toContain("10 listes n'ont pas donné de réponse exploitable")
  })

  it('says which case is missing and exits 1', async () => {
    const r = await run(['case', 'check', '999', '--json'])
    expect(r.code).toBe(1)
    expect(r.json.error.code).toBe('NOT_FOUND')
  })
})
