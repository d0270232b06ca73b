import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { runCliCaptured } from '../../../../test/support/run-cli'
import { startBackend } from '../backend'

let dns: DnsTestServer
let dataDir: string

beforeAll(async () => {
  dns = await startDnsServer({
    zones: {
      'shop.test': {
        TXT: [
          'v=spf1 ' + Array.from({ length: 11 }, (_, i) => `include:s${i}.shop.test`).join(' ') + ' -all'
        ],
        MX: [{ exchange: 'mx.shop.test', priority: 10 }]
      },
      ...Object.fromEntries(
        Array.from({ length: 11 }, (_, i) => [`s${i}.shop.test`, { TXT: ['v=spf1 -all'] }])
      ),
      'mx.shop.test': { A: ['192.0.2.25'] },
      '_dmarc.shop.test': { TXT: ['v=DMARC1; p=none; rua=mailto:d@shop.test'] },
      'slow.test': { behaviour: 'timeout' },
      '*.slow.test': { behaviour: 'timeout' }
    }
  })
  dataDir = mkdtempSync(join(tmpdir(), 'dd-cli-domain-'))
  // Short DNS timeout so the unanswered zone does not make the test slow.
  const b = startBackend({ dataDir, host: 'cli' })
  await b.dispatch('settings.set', { dnsTimeoutMs: 300 })
  b.close()
})
afterAll(() => dns?.close())

const cli = (args: string[]) => runCliCaptured(args, dataDir)

describe('delivery-desk domain', () => {
  it('--json prints one object with every mechanism and findings with id, severity, title, detail, fix', async () => {
    const r = await cli([
      'domain',
      'Shop.Test',
      '--ip',
      '192.0.2.25',
      '--selector',
      's2024',
      '--helo',
      'mx.shop.test',
      '--resolver',
      dns.address,
      '--json'
    ])
    expect(r.code).toBe(0)
    const lines = r.out.trim().split('\n')
    expect(lines).toHaveLength(1)
    const j = JSON.parse(lines[0])
    for (const k of ['domain', 'spf', 'dkim', 'dmarc', 'mx', 'ptr', 'mtaSts', 'tlsRpt', 'bimi', 'findings'])
      expect(j).toHaveProperty(k)
    expect(j.domain).toBe('shop.test')
    expect(Array.isArray(j.dkim) && Array.isArray(j.mx) && Array.isArray(j.ptr)).toBe(true)
    expect(j.ptr[0]).toMatchObject({ ip: '192.0.2.25', helo: 'mx.shop.test' })
    for (const f of j.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['id', 'severity', 'title', 'detail', 'fix']))
    }
    const fid = j.findings.map((f: { id: string }) => f.id)
    expect(fid).toEqual(
      expect.arrayContaining(['spf.lookups-exceeded', 'dmarc.policy-none', 'dkim.selector-missing:s2024'])
    )
  })

  it('prints a readable report grouped by mechanism without --json', async () => {
    const r = await cli(['domain', 'shop.test', '--resolver', dns.address])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Domain health of shop\.test/)
    expect(r.out).toMatch(/\nSPF: FAIL\n[\s\S]*DNS lookups: 11\/10/)
    const order = [
      '\nSPF:',
      '\nDKIM:',
      '\nDMARC:',
      '\nMX:',
      '\nPTR',
      '\nMTA-STS:',
      '\nTLS-RPT:',
      '\nBIMI:'
    ].map((h) => r.out.indexOf(h))
    expect(order.every((i) => i > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(r.out).toMatch(/PTR \/ FCrDNS \/ HELO: not checked/)
  })

  it('exits 1 with a clear message on bad input', async () => {
    for (const bad of [
      ['domain', 'http://shop.test'],
      ['domain', '192.0.2.1'],
      ['domain'],
      ['domain', 'shop.test', '--ip', 'nope'],
      ['domain', 'shop.test', '--resolver', 'not a resolver']
    ]) {
      const r = await cli([...bad, '--json'])
      expect(r.code, bad.join(' ')).toBe(1)
      expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    const human = await cli(['domain', 'http://shop.test'])
    expect(human.err).toMatch(/looks like a URL/)
  })

  it('exits 1 when DNS answers nothing, and never calls that "missing"', async () => {
    const r = await cli(['domain', 'slow.test', '--resolver', dns.address, '--json'])
    expect(r.code).toBe(1)
    const j = JSON.parse(r.out)
    expect(j.spf.state).toBe('could_not_check')
    expect(j.findings.map((f: { id: string }) => f.id)).not.toContain('spf.missing')
    const h = await cli(['domain', 'slow.test', '--resolver', dns.address])
    expect(h.out).toMatch(/SPF: COULD NOT CHECK/)
  }, 30000)
})
