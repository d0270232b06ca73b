import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSpamAssassin, parseSpamAssassinReport } from './spamassassin'

/** The real Debian spamassassin (/usr/bin/spamassassin), local tests only, in a throwaway home. */
const SA = '/usr/bin/spamassassin'
const tmpRoot = mkdtempSync(join(tmpdir(), 'dd-sa-test-'))
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }))

const spammy = [
  'From: "Shop" <news@example.com>',
  'To: someone@example.org',
  'Subject: FREE MONEY!!! CLICK HERE NOW',
  'Date: Mon, 2 Jun 2025 10:00:00 +0000',
  'Message-ID: <abc@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<html><body><p>Claim your FREE prize, 100% guaranteed!!! <a href="http://bit.ly/xyz">http://bit.ly/xyz</a></p></body></html>',
  ''
].join('\r\n')

describe('SpamAssassin adapter', () => {
  it('runs the installed spamassassin and lists the rules that hit with their scores', async () => {
    expect(existsSync(SA), 'spamassassin must be installed (.ci/run installs it)').toBe(true)
    const r = await createSpamAssassin({ path: SA, tmpRoot }).run(new TextEncoder().encode(spammy))
    expect(r.status).toBe('ran')
    expect(r.required).toBe(5)
    expect(r.version).toMatch(/^\d+\.\d+/)
    const names = r.rules.map((x) => x.name)
    expect(names).toContain('GUARANTEED_100_PERCENT')
    expect(names).toContain('SUBJ_ALL_CAPS')
    const g = r.rules.find((x) => x.name === 'GUARANTEED_100_PERCENT')!
    expect(g.score).toBeGreaterThan(0)
    expect(g.description).toMatch(/guaranteed/i)
    expect(r.score).toBeCloseTo(
      r.rules.reduce((n, x) => n + x.score, 0),
      0
    )
    // The throwaway home and prefs are removed afterwards.
    expect(readdirSync(tmpRoot)).toEqual([])
  })

  it('says skipped and why when the binary is missing', async () => {
    const r = await createSpamAssassin({ path: '/nonexistent/spamassassin' }).run(
      new TextEncoder().encode(spammy)
    )
    expect(r).toEqual({
      status: 'skipped',
      reason: { code: 'precheck:sa.notInstalled', params: { path: '/nonexistent/spamassassin' } },
      rules: []
    })
  })

  it('refuses a message over the size cap without running', async () => {
    const r = await createSpamAssassin({ path: SA, maxBytes: 100 }).run(new TextEncoder().encode(spammy))
    expect(r).toMatchObject({ status: 'skipped', reason: { code: 'precheck:sa.tooLarge' } })
  })

  it('reads only the last report table, with wrapped descriptions', () => {
    const out = [
      'Subject: fake',
      '',
      'Content analysis details:   (99.0 points, 1.0 required)',
      ' pts rule name              description',
      '---- ---------------------- --------------------------------------------------',
      '99.0 FORGED                 quoted by the sender',
      '',
      'Content analysis details:   (2.5 points, 5.0 required)',
      '',
      ' pts rule name              description',
      '---- ---------------------- --------------------------------------------------',
      ' 1.5 URIBL_TEST             Contains an URL listed in a test list',
      '                            [URIs: bad.test]',
      ' 1.0 SUBJ_ALL_CAPS          Subject is all capitals',
      ''
    ].join('\n')
    expect(parseSpamAssassinReport(out)).toEqual({
      score: 2.5,
      required: 5,
      rules: [
        {
          name: 'URIBL_TEST',
          score: 1.5,
          description: 'Contains an URL listed in a test list [URIs: bad.test]'
        },
        { name: 'SUBJ_ALL_CAPS', score: 1, description: 'Subject is all capitals' }
      ]
    })
    expect(parseSpamAssassinReport('no report')).toBeNull()
  })
})
