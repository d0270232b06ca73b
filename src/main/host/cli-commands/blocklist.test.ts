import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { runCli } from '../cli'

/** `delivery-desk blocklist` against a loopback DNS server: one JSON object per target, in input order. */
describe('cli: blocklist', () => {
  let server: DnsTestServer
  let dataDir: string
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dd-cli-bl-'))
    server = await startDnsServer({
      zones: {
        '2.0.0.127.bl.spamcop.net': { A: ['127.0.0.2'] },
        '77.113.0.203.bl.spamcop.net': {
          A: ['127.0.0.2'],
          TXT: ['Blocked - see https://www.spamcop.net/bl.shtml?203.0.113.77']
        },
        '2.0.0.127.b.barracudacentral.org': { A: ['127.0.0.2'] },
        '*.zen.spamhaus.org': { A: ['127.255.255.254'] }
      }
    })
  })
  afterAll(async () => {
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function run(args: string[]) {
    let out = ''
    let err = ''
    const code = await runCli(
      [...args, '--data', dataDir],
      { write: (s) => void (out += s) },
      { write: (s) => void (err += s) }
    )
    return { code, out, err }
  }

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
    expect(code).toBe(1)
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
    expect(lists.code).toBe(1)
    expect(JSON.parse(lists.out).error.message).toContain('defunct')
    const resolver = await run(['blocklist', '203.0.113.77', '--resolver', 'dns.google'])
    expect(resolver.code).toBe(1)
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
    expect(code).toBe(0)
    expect(out).toMatch(/203\.0\.113\.77 \(ip4\): listed on SpamCop/)
    expect(out).toContain('REFUSED')
  })
})
