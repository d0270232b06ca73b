import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { LISTED_DOMAIN, SENDING_IP, signedNewsletter } from '../../../../test/support/precheck-fixtures'
import { runCli } from '../cli'

/**
 * `delivery-desk precheck FILE --ip IP --resolver HOST:PORT --json` end to end: real SQLite, a real DNS server
 * on loopback serving shop.test's SPF/DKIM/DMARC, the sending IP's PTR and the domain lists, and the real
 * SpamAssassin (/usr/bin/spamassassin).
 */
describe('cli: precheck', () => {
  let server: DnsTestServer
  let dir: string
  let file: string
  beforeAll(async () => {
    const { eml, zones } = await signedNewsletter()
    server = await startDnsServer({ zones })
    dir = mkdtempSync(join(tmpdir(), 'dd-cli-pre-'))
    file = join(dir, 'newsletter.eml')
    writeFileSync(file, eml)
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function run(args: string[], env: Record<string, string> = {}) {
    let out = ''
    const saved = { ...process.env }
    Object.assign(process.env, env)
    try {
      const code = await runCli(
        [...args, '--data', join(dir, 'data')],
        { write: (s) => void (out += s) },
        { write: () => undefined }
      )
      return { code, out, json: out.trim() ? JSON.parse(out.trim().split('\n').pop()!) : null }
    } finally {
      process.env = saved
    }
  }

  it('prints {score, checks[] {id, status, detail, fix}, spamassassin} with the rules that hit', async () => {
    const { code, json } = await run([
      'precheck',
      file,
      '--ip',
      SENDING_IP,
      '--resolver',
      server.address,
      '--json'
    ])
    expect(code).toBe(0)
    const byId = Object.fromEntries(json.checks.map((c: { id: string }) => [c.id, c]))
    expect(Object.keys(byId)).toEqual([
      'dkim',
      'spf',
      'dmarc',
      'alignment',
      'unsubscribe',
      'tls',
      'ptr',
      'complaints',
      'content',
      'links',
      'spamassassin'
    ])
    for (const id of ['dkim', 'spf', 'dmarc', 'alignment', 'unsubscribe', 'ptr'])
      expect(byId[id].status, id).toBe('pass')
    // Codes and an English rendering side by side; no code leaks into the English text.
    expect(byId.dkim.detailText).toMatchObject({
      code: 'precheck:dkim.pass',
      params: { domain: 'shop.test' }
    })
    expect(byId.dkim.detail).toBe(
      'The DKIM signature of shop.test (selector s2025) verifies against the key published today.'
    )
    expect(byId.spf.detail).toContain(SENDING_IP)
    expect(byId.ptr.detail).toContain('mail.shop.test')
    // The partner link's domain is on the (loopback) Spamhaus DBL: listed, with what to change.
    expect(byId.links.status).toBe('fail')
    expect(byId.links.items.join('\n')).toContain(`${LISTED_DOMAIN}: listed on Spamhaus DBL`)
    expect(byId.links.fix).toMatch(/Remove the links/)
    expect(json.linkDomains).toEqual([LISTED_DOMAIN, 'shop.test'])
    // No sent volume in Sending health: the complaint rate is unknown, which is not a pass.
    expect(byId.complaints.status).toBe('unknown')
    expect(json.spamassassin.status).toBe('ran')
    expect(json.spamassassin.rules.map((r: { name: string }) => r.name)).toContain('GUARANTEED_100_PERCENT')
    expect(json.spamassassin.rules.every((r: { score: unknown }) => typeof r.score === 'number')).toBe(true)
    expect(json.score).toBeGreaterThan(0)
    expect(json.score).toBeLessThan(10)
    expect(json.coverage.checked).toBeLessThan(json.coverage.total)
    for (const c of json.checks) {
      expect(c.detail).not.toMatch(/precheck:/)
      if (c.status !== 'pass' && c.status !== 'skipped') expect(c.fix, c.id).toBeTruthy()
      expect(c.sources.length, c.id).toBeGreaterThan(0)
    }
  })

  it('without --ip, SPF and PTR could not be checked and the score drops', async () => {
    const withIp = await run(['precheck', file, '--ip', SENDING_IP, '--resolver', server.address, '--json'])
    const { code, json } = await run(['precheck', file, '--resolver', server.address, '--json'])
    expect(code).toBe(0)
    const byId = Object.fromEntries(json.checks.map((c: { id: string }) => [c.id, c]))
    expect(byId.spf).toMatchObject({ status: 'unknown', detailText: { code: 'precheck:spf.noIp' } })
    expect(byId.ptr.status).toBe('unknown')
    expect(json.score).toBeLessThan(withIp.json.score)
  })

  it('says SpamAssassin was skipped and why when the binary is missing', async () => {
    const { code, json } = await run(
      ['precheck', file, '--ip', SENDING_IP, '--resolver', server.address, '--json'],
      {
        DELIVERY_DESK_SPAMASSASSIN: '/nonexistent/spamassassin'
      }
    )
    expect(code).toBe(0)
    expect(json.spamassassin).toMatchObject({
      status: 'skipped',
      reason: 'Skipped: SpamAssassin is not installed (/nonexistent/spamassassin not found).',
      rules: []
    })
    const sa = json.checks.find((c: { id: string }) => c.id === 'spamassassin')
    expect(sa).toMatchObject({ status: 'skipped', fix: expect.stringContaining('apt install spamassassin') })
  })

  it('bad input exits 2: a sending IP that is not an IP, a file that is not a message', async () => {
    expect((await run(['precheck', file, '--ip', 'mail.shop.test', '--json'])).code).toBe(2)
    const notMail = join(dir, 'notes.txt')
    writeFileSync(notMail, 'just some text\nwithout headers\n')
    const r = await run(['precheck', notMail, '--resolver', server.address, '--json'])
    expect(r.code).toBe(2)
    expect(r.json.error.message).toMatch(/not a message/)
  })
})
