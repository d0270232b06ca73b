import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { startHttpsServer, type HttpsTestServer } from '../../../../test/support/https-server'
import { createDnsClient } from '../../adapters/dns/resolver'
import type { DnsClient } from '../dns/types'
import type { Zones } from '../dns/zone'
import { DomainReport } from '../../../shared/schemas/domain'
import { checkDomain } from './check-domain'
import { createHttpsFetch } from '../../adapters/https-fetch'

function dkimKey(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
}
const ed = generateKeyPairSync('ed25519')
  .publicKey.export({ type: 'spki', format: 'der' })
  .subarray(-32)
  .toString('base64')
const k2048 = dkimKey(2048)

const STS_OK = 'version: STSv1\nmode: enforce\nmx: mx.good.test\nmx: *.backup.good.test\nmax_age: 604800\n'

const zones: Zones = {
  // A healthy domain.
  'good.test': {
    TXT: ['v=spf1 ip4:192.0.2.10 include:_spf.good.test -all', 'unrelated=1'],
    MX: [
      { exchange: 'mx.good.test', priority: 10 },
      { exchange: 'a.backup.good.test', priority: 20 }
    ]
  },
  '_spf.good.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
  'mx.good.test': { A: ['192.0.2.10'] },
  'a.backup.good.test': { A: ['192.0.2.11'] },
  '_dmarc.good.test': { TXT: ['v=DMARC1; p=reject; rua=mailto:dmarc@good.test, mailto:agg@vendor.test'] },
  'good.test._report._dmarc.vendor.test': { TXT: ['v=DMARC1'] },
  'selector1._domainkey.good.test': { TXT: [`v=DKIM1; k=rsa; p=${k2048}`] },
  '10.2.0.192.in-addr.arpa': { PTR: ['mx.good.test'] },
  '30.2.0.192.in-addr.arpa': { PTR: ['other.good.test'] },
  'wrong.good.test': { A: ['192.0.2.99'] },
  '_mta-sts.good.test': { TXT: ['v=STSv1; id=20240101'] },
  '_smtp._tls.good.test': { TXT: ['v=TLSRPTv1; rua=mailto:tls@good.test'] },
  'default._bimi.good.test': { TXT: ['v=BIMI1; l=https://good.test/logo.svg; a=https://good.test/vmc.pem'] },

  // SPF problems, one domain each.
  'lookups.test': {
    TXT: ['v=spf1 ' + Array.from({ length: 11 }, (_, i) => `include:i${i}.lookups.test`).join(' ') + ' -all']
  },
  ...Object.fromEntries(
    Array.from({ length: 11 }, (_, i) => [`i${i}.lookups.test`, { TXT: ['v=spf1 ip4:203.0.113.1 -all'] }])
  ),
  'voids.test': {
    TXT: ['v=spf1 a:nx1.voids.test a:nx2.voids.test exists:nx3.voids.test a:v6only.voids.test -all']
  },
  'v6only.voids.test': { AAAA: ['2001:db8::25'] },
  'ptrall.test': { TXT: ['v=spf1 ptr +all'] },
  'neutral.test': { TXT: ['v=spf1 ip4:192.0.2.1 ?all'] },
  'noall.test': { TXT: ['v=spf1 ip4:192.0.2.1'] },
  'multi.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all', 'v=spf1 include:x.test ~all'] },
  'syntax.test': { TXT: ['v=spf1 ip4:999.1.1.1 foo:bar ip6:2001:db8::/129 -all'] },
  'split.test': { TXT: [['v=spf1 ip4:192.0.2.1', 'include:good.test -all']] },
  'big.test': {
    TXT: ['v=spf1 ' + Array.from({ length: 30 }, (_, i) => `ip4:198.18.${i}.0/24`).join(' ') + ' -all']
  },
  'incmissing.test': { TXT: ['v=spf1 include:nothere.test redirect=alsonot.test'] },
  'loop.test': { TXT: ['v=spf1 include:loop2.test -all'] },
  'loop2.test': { TXT: ['v=spf1 include:loop.test -all'] },
  'mxmany.test': {
    TXT: ['v=spf1 mx -all'],
    MX: Array.from({ length: 11 }, (_, i) => ({ exchange: `m${i}.mxmany.test`, priority: i }))
  },

  // DKIM.
  'dkim.test': { TXT: ['v=spf1 -all'] },
  'k1._domainkey.dkim.test': { TXT: [`v=DKIM1; k=rsa; p=${dkimKey(1024)}`] },
  'k2._domainkey.dkim.test': { TXT: [`v=DKIM1; k=rsa; p=${dkimKey(768)}`] },
  's1._domainkey.dkim.test': { TXT: [`v=DKIM1; t=y; p=${k2048}`] },
  'gone._domainkey.dkim.test': { TXT: ['v=DKIM1; p='] },
  's2._domainkey.dkim.test': { TXT: ['v=DKIM1; k=rsa; p=!!notbase64!!'] },
  'delegated._domainkey.dkim.test': { CNAME: 'delegated.dkim.provider.test' },
  'delegated.dkim.provider.test': { TXT: [`v=DKIM1; k=rsa; p=${k2048}`] },
  'default._domainkey.dkim.test': { TXT: [`v=DKIM1; k=ed25519; p=${ed}`] },
  'dangling._domainkey.dkim.test': { CNAME: 'nothing.provider.test' },

  // DMARC.
  'dmarcnone.test': { TXT: ['v=spf1 -all'] },
  '_dmarc.dmarcnone.test': { TXT: ['v=DMARC1; p=none; pct=50; rua=mailto:r@reports.test; ruf=dmarc@x'] },
  'default._bimi.dmarcnone.test': { TXT: ['v=BIMI1; l=https://dmarcnone.test/logo.svg'] },
  '_dmarc.dmarcq.test': { TXT: ['v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@dmarcq.test'] },
  'sub.dmarcq.test': { A: ['192.0.2.77'] },
  '_dmarc.dmarcbad.test': { TXT: ['v=DMARC1; p=block; adkim=x; foo=1'] },
  '_dmarc.dmarcmulti.test': { TXT: ['v=DMARC1; p=none', 'v=DMARC1; p=reject'] },

  // MX.
  'mxbad.test': {
    MX: [
      { exchange: 'alias.mxbad.test', priority: 10 },
      { exchange: '192.0.2.50', priority: 20 },
      { exchange: 'noaddr.mxbad.test', priority: 30 }
    ]
  },
  'alias.mxbad.test': { CNAME: 'real.mxbad.test' },
  'real.mxbad.test': { A: ['192.0.2.51'] },
  'noaddr.mxbad.test': { TXT: ['nothing here'] },
  'nullmx.test': { MX: [{ exchange: '', priority: 0 }], TXT: ['v=spf1 -all'] },

  // MTA-STS / TLS-RPT.
  'stsbad.test': { MX: [{ exchange: 'mx.stsbad.test', priority: 10 }] },
  'mx.stsbad.test': { A: ['192.0.2.60'] },
  '_mta-sts.stsbad.test': { TXT: ['v=STSv1; id=abc'] },
  '_smtp._tls.stsbad.test': { TXT: ['v=TLSRPTv1; rua=ftp://reports.test'] },
  '_mta-sts.stsfetch.test': { TXT: ['v=STSv1; id=1'] },
  '_mta-sts.stssyntax.test': { TXT: ['v=STSv1; id=has-dash'] },

  // DNS failures: a zone that never answers and one that SERVFAILs.
  'slow.test': { behaviour: 'timeout' },
  '*.slow.test': { behaviour: 'timeout' },
  'broken.test': { behaviour: 'servfail' },
  '*.broken.test': { behaviour: 'servfail' }
}

let dns: DnsTestServer
let web: HttpsTestServer
let client: DnsClient
let fetchPolicy: ReturnType<typeof createHttpsFetch>

beforeAll(async () => {
  dns = await startDnsServer({ zones })
  web = await startHttpsServer({
    hostnames: [
      'mta-sts.good.test',
      'mta-sts.stsbad.test',
      'mta-sts.stsfetch.test',
      'mta-sts.stssyntax.test'
    ],
    routes: {
      'mta-sts.good.test/.well-known/mta-sts.txt': { status: 200, body: STS_OK },
      'mta-sts.stsbad.test/.well-known/mta-sts.txt': {
        status: 200,
        body: 'version: STSv1\r\nmode: enforce\r\nmx: mail.elsewhere.test\r\nmax_age: 3600\r\n'
      },
      'mta-sts.stssyntax.test/.well-known/mta-sts.txt': {
        status: 200,
        body: 'version: STSv2\nmode: strict\nmax_age: x\n'
      }
    }
  })
  client = createDnsClient({ servers: [dns.address], timeoutMs: 300, tries: 1 })
  fetchPolicy = createHttpsFetch({
    ca: web.ca,
    connectTo: () => ({ host: '127.0.0.1', port: web.port }),
    timeoutMs: 3000
  })
}, 30000)

afterAll(async () => {
  await dns?.close()
  await web?.close()
})

const ids = (r: DomainReport): string[] => r.findings.map((f) => f.id)
const check = (
  domain: string,
  extra: Partial<Parameters<typeof checkDomain>[0]> = {}
): Promise<DomainReport> => checkDomain({ domain, client, fetchPolicy, ...extra })

describe('checkDomain over the loopback DNS server', () => {
  it('reports a healthy domain with no errors and a schema-valid report', async () => {
    const r = await check('Good.Test', {
      ips: ['192.0.2.10', '198.51.100.7', '192.0.2.30'],
      helo: 'wrong.good.test',
      selectors: ['selector1']
    })
    expect(() => DomainReport.parse(r)).not.toThrow()
    expect(r.domain).toBe('good.test')
    expect(r.spf.state).toBe('pass')
    expect(r.spf.lookupCount).toBe(1)
    expect(r.spf.tree?.children[0].domain).toBe('_spf.good.test')
    expect(ids(r)).toContain('spf.ok')
    expect(ids(r)).toContain('dmarc.ok')
    expect(r.dmarc.rua.find((u) => u.address === 'agg@vendor.test')).toMatchObject({
      external: true,
      authorised: true
    })
    const sel = r.dkim.find((d) => d.selector === 'selector1')
    expect(sel).toMatchObject({ state: 'pass', keyType: 'rsa', keyBits: 2048, source: 'input' })
    expect(r.mx.map((m) => m.exchange)).toEqual(['mx.good.test', 'a.backup.good.test'])
    expect(r.mtaSts).toMatchObject({ state: 'pass', id: '20240101', uncoveredMx: [] })
    expect(r.mtaSts.policy?.mode).toBe('enforce')
    expect(r.tlsRpt.state).toBe('pass')
    expect(r.bimi).toMatchObject({ state: 'pass', dmarcEnforced: true })
    // SPF evaluation through mailauth, with the deciding path.
    const [direct, viaInclude, other] = r.spf.evaluations
    expect(direct).toMatchObject({ result: 'pass', ip: '192.0.2.10' })
    expect(direct.path[0]).toMatch(/ip4:192\.0\.2\.10/)
    expect(viaInclude.result).toBe('pass')
    expect(viaInclude.path).toHaveLength(2)
    expect(viaInclude.path[1]).toMatch(/_spf\.good\.test.*ip4:198\.51\.100\.0\/24/)
    expect(other.result).toBe('fail')
    expect(ids(r)).toContain('spf.ip-not-permitted:192.0.2.30')
    expect(r.findings.find((f) => f.id === 'spf.ip-not-permitted:192.0.2.30')?.fixRecord).toBe(
      'v=spf1 ip4:192.0.2.10 include:_spf.good.test ip4:192.0.2.30 -all'
    )
    // PTR / FCrDNS / HELO.
    expect(r.ptr[0]).toMatchObject({ ip: '192.0.2.10', confirmedName: 'mx.good.test', heloResolves: false })
    expect(ids(r)).toContain('ptr.missing:198.51.100.7')
    expect(ids(r)).toContain('ptr.not-confirmed:192.0.2.30')
    expect(ids(r)).toContain('helo.mismatch:192.0.2.10')
    expect(r.findings.filter((f) => f.severity === 'critical')).toEqual([])
  })

  it('counts lookups across includes and names the terms past the limit', async () => {
    const r = await check('lookups.test')
    expect(r.spf.lookupCount).toBe(11)
    const f = r.findings.find((x) => x.id === 'spf.lookups-exceeded')
    expect(f?.detail).toContain('include:i10.lookups.test')
    expect(r.spf.state).toBe('fail')
  })

  it('counts void lookups, but not single-stack hosts', async () => {
    const r = await check('voids.test')
    expect(r.spf.voidLookupCount).toBe(3)
    expect(ids(r)).toContain('spf.void-lookups-exceeded')
  })

  it('flags ptr, +all, ?all and a missing all with corrected records', async () => {
    const p = await check('ptrall.test')
    expect(ids(p)).toEqual(expect.arrayContaining(['spf.ptr-deprecated', 'spf.all-pass']))
    expect(p.findings.find((f) => f.id === 'spf.all-pass')?.fixRecord).toBe('v=spf1 ptr ~all')
    expect(p.findings[0].severity).toBe('critical')
    expect(ids(await check('neutral.test'))).toContain('spf.all-neutral')
    const n = await check('noall.test')
    expect(n.findings.find((f) => f.id === 'spf.no-all')?.fixRecord).toBe('v=spf1 ip4:192.0.2.1 ~all')
  })

  it('flags multiple records, syntax errors, joined strings, size, missing includes, loops, and too many MX', async () => {
    const m = await check('multi.test')
    expect(m.findings.find((f) => f.id === 'spf.multiple')?.fixRecord).toBe(
      'v=spf1 ip4:192.0.2.1 include:x.test -all'
    )
    const s = await check('syntax.test')
    const syntax = s.findings.filter((f) => f.id.startsWith('spf.syntax:')).map((f) => f.detail)
    expect(syntax).toHaveLength(3)
    expect(ids(await check('split.test'))).toContain('spf.split-joined')
    const big = await check('big.test')
    expect(ids(big)).toContain('spf.record-too-large')
    expect(big.spf.record).toContain('ip4:198.18.29.0/24')
    const inc = await check('incmissing.test')
    expect(ids(inc)).toEqual(expect.arrayContaining(['spf.include-unresolved', 'spf.redirect-unresolved']))
    // The unresolved records' problems are Texts for the reader's language, with the English beside them.
    const unresolved = inc.spf.tree?.children ?? []
    expect(unresolved.length).toBeGreaterThan(0)
    for (const child of unresolved) {
      expect(child.errorText?.code).toMatch(/^checks:spfNode\.(nxdomain|none)$/)
      expect(child.error).toMatch(/^(domain does not exist|no SPF record)$/)
    }
    expect(ids(await check('loop.test'))).toContain('spf.loop')
    const mx = await check('mxmany.test')
    expect(ids(mx)).toContain('spf.mx-too-many')
    expect(mx.spf.tree?.terms.find((t) => t.name === 'mx')?.addressNames).toBe(11)
  })

  it('reports a domain with nothing as missing', async () => {
    const r = await check('nospf.test')
    expect(ids(r)).toEqual(
      expect.arrayContaining(['spf.missing', 'dmarc.missing', 'mx.domain-nxdomain', 'dkim.none-found'])
    )
  })

  it('checks DKIM keys: size, testing, revoked, syntax, delegation, ed25519', async () => {
    const r = await check('dkim.test', { selectors: ['gone', 'absent', 'dangling', 'delegated'] })
    const by = (s: string) => r.dkim.find((d) => d.selector === s)
    expect(by('k1')).toMatchObject({ keyBits: 1024, state: 'warn', source: 'common' })
    expect(by('k2')).toMatchObject({ keyBits: 768, state: 'fail' })
    expect(by('s1')).toMatchObject({ testing: true })
    expect(by('gone')).toMatchObject({ revoked: true, state: 'fail' })
    expect(by('s2')?.state).toBe('fail')
    expect(by('delegated')).toMatchObject({
      cname: 'delegated.dkim.provider.test',
      state: 'pass',
      keyBits: 2048
    })
    expect(by('default')).toMatchObject({ keyType: 'ed25519', state: 'pass' })
    expect(by('absent')?.state).toBe('fail')
    expect(by('dangling')).toMatchObject({ state: 'fail', cname: 'nothing.provider.test' })
    expect(by('google')).toBeUndefined()
    expect(ids(r)).toEqual(
      expect.arrayContaining([
        'dkim.key-weak:k1',
        'dkim.key-too-short:k2',
        'dkim.testing:s1',
        'dkim.revoked:gone',
        'dkim.syntax:s2',
        'dkim.selector-missing:absent',
        'dkim.selector-missing:dangling'
      ])
    )
  })

  it('checks DMARC policy, pct, reporting authorisation and BIMI enforcement', async () => {
    const r = await check('dmarcnone.test')
    expect(r.dmarc).toMatchObject({ effectivePolicy: 'none', pct: 50, inherited: false })
    expect(ids(r)).toEqual(
      expect.arrayContaining([
        'dmarc.policy-none',
        'dmarc.pct-deprecated',
        'dmarc.rua-unauthorised:reports.test',
        'dmarc.ruf-invalid',
        'bimi.dmarc-not-enforced'
      ])
    )
    expect(r.findings.find((f) => f.id === 'dmarc.rua-unauthorised:reports.test')?.fixRecord).toBe(
      'dmarcnone.test._report._dmarc.reports.test. TXT "v=DMARC1"'
    )
    expect(r.dmarc.nextStep?.record).toBe(
      '_dmarc.dmarcnone.test. TXT "v=DMARC1; p=quarantine; rua=mailto:r@reports.test; ruf=dmarc@x"'
    )
    expect(r.bimi.dmarcEnforced).toBe(false)

    const sub = await check('sub.dmarcq.test')
    expect(sub.dmarc).toMatchObject({
      inherited: true,
      name: '_dmarc.dmarcq.test',
      effectivePolicy: 'quarantine',
      orgDomain: 'dmarcq.test'
    })
    expect(ids(sub)).toContain('dmarc.inherited')
    expect(sub.dmarc.nextStep?.record).toContain('sp=reject')

    expect(ids(await check('dmarcbad.test'))).toContain('dmarc.syntax')
    expect(ids(await check('dmarcmulti.test'))).toContain('dmarc.multiple')
  })

  it('checks MX targets and null MX', async () => {
    const r = await check('mxbad.test')
    expect(ids(r)).toEqual(
      expect.arrayContaining([
        'mx.cname:alias.mxbad.test',
        'mx.ip-literal:192.0.2.50',
        'mx.no-address:noaddr.mxbad.test'
      ])
    )
    expect(r.mx.find((m) => m.exchange === 'alias.mxbad.test')).toMatchObject({
      isCname: true,
      addresses: ['192.0.2.51']
    })
    const n = await check('nullmx.test')
    expect(n.mx[0]).toMatchObject({ isNull: true })
    expect(ids(n)).toContain('mx.null')
  })

  it('validates MTA-STS policies over HTTPS and TLS-RPT', async () => {
    const bad = await check('stsbad.test')
    expect(bad.mtaSts.uncoveredMx).toEqual(['mx.stsbad.test'])
    expect(ids(bad)).toEqual(
      expect.arrayContaining(['mta-sts.mx-not-covered', 'mta-sts.max-age-short', 'tls-rpt.syntax'])
    )
    expect(bad.findings.find((f) => f.id === 'mta-sts.mx-not-covered')?.severity).toBe('error')
    const fetchFail = await check('stsfetch.test')
    expect(fetchFail.mtaSts).toMatchObject({ state: 'fail', fetchError: 'HTTP 404' })
    const syn = await check('stssyntax.test')
    expect(ids(syn)).toEqual(expect.arrayContaining(['mta-sts.record-syntax', 'mta-sts.policy-syntax']))
    // A CA the client does not trust is a fetch failure, not a policy.
    const untrusted = await checkDomain({
      domain: 'good.test',
      client,
      fetchPolicy: createHttpsFetch({
        connectTo: () => ({ host: '127.0.0.1', port: web.port }),
        timeoutMs: 3000
      })
    })
    expect(untrusted.mtaSts.state).toBe('fail')
    expect(untrusted.mtaSts.fetchError).toMatch(/certificate/i)
  })

  it('never reports "missing" when DNS times out or SERVFAILs', async () => {
    for (const domain of ['slow.test', 'broken.test']) {
      const r = await check(domain)
      const list = ids(r)
      expect(
        list.some((i) => i.endsWith('could-not-check')),
        domain
      ).toBe(true)
      for (const missing of [
        'spf.missing',
        'dmarc.missing',
        'mx.none',
        'mx.domain-nxdomain',
        'dkim.none-found',
        'mta-sts.missing'
      ])
        expect(list, `${domain} ${missing}`).not.toContain(missing)
      expect(r.spf.state).toBe('could_not_check')
      expect(r.dmarc.state).toBe('could_not_check')
      expect(r.mtaSts.state).toBe('could_not_check')
    }
  })
})
