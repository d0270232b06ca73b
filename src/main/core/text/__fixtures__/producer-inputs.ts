import type { TargetReport } from '../../../../shared/schemas/blocklist'
import type { Finding } from '../../../../shared/schemas/common'
import { decodeAntispam } from '../../antispam'
import { analyzeRecordedAuth, compareAuth, verifyAuth } from '../../auth'
import { sweepFindings } from '../../blocklist/findings'
import { zoneClient } from '../../../../../test/support/zone-client'
import type { Zones } from '../../dns/zone'
import { checkDomain } from '../../domain/check-domain'
import type { FetchPolicy } from '../../domain/fetch-policy'
import { lintContent } from '../../fix/content-lint'
import { analyzeReceived, parseHeaderBlock } from '../../headers'

/**
 * A varied set of inputs for every finding producer in core, shared by the French coverage test and the
 * missing-key test: they collect the codes the producers really emit. Small and synthetic on purpose (no corpus).
 */

// A fixed, syntactically valid RSA-2048 / 1024 SPKI would need a key generator; the checks only look at the
// decoded length, so random base64 of the right size stands in for real keys.
const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64')

export const domainZones: Zones = {
  'good.test': {
    TXT: ['v=spf1 ip4:192.0.2.10 include:_spf.good.test -all'],
    MX: [{ exchange: 'mx.good.test', priority: 10 }]
  },
  '_spf.good.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
  'mx.good.test': { A: ['192.0.2.10'] },
  '_dmarc.good.test': { TXT: ['v=DMARC1; p=reject; rua=mailto:dmarc@good.test, mailto:agg@vendor.test'] },
  '10.2.0.192.in-addr.arpa': { PTR: ['mx.good.test'] },
  '30.2.0.192.in-addr.arpa': { PTR: ['other.good.test'] },
  'wrong.good.test': { A: ['192.0.2.99'] },
  '_mta-sts.good.test': { TXT: ['v=STSv1; id=20240101'] },
  '_smtp._tls.good.test': { TXT: ['v=TLSRPTv1; rua=mailto:tls@good.test'] },
  'default._bimi.good.test': { TXT: ['v=BIMI1; l=https://good.test/logo.svg'] },
  'lookups.test': {
    TXT: ['v=spf1 ' + Array.from({ length: 11 }, (_, i) => `include:i${i}.lookups.test`).join(' ') + ' -all']
  },
  ...Object.fromEntries(
    Array.from({ length: 11 }, (_, i) => [`i${i}.lookups.test`, { TXT: ['v=spf1 ip4:203.0.113.1 -all'] }])
  ),
  'voids.test': { TXT: ['v=spf1 a:nx1.voids.test a:nx2.voids.test exists:nx3.voids.test -all'] },
  'ptrall.test': { TXT: ['v=spf1 ptr +all redirect=good.test'] },
  'neutral.test': { TXT: ['v=spf1 ip4:192.0.2.1 ?all'] },
  'noall.test': { TXT: ['v=spf1 ip4:192.0.2.1'] },
  'multi.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all', 'v=spf1 include:x.test ~all'] },
  'syntax.test': { TXT: ['v=spf1 ip4:999.1.1.1 foo:bar ip6:2001:db8::/129 exp= -all'] },
  'split.test': { TXT: [['v=spf1 ip4:192.0.2.1', 'include:good.test -all']] },
  'long.test': { TXT: [['v=spf1 ' + 'ip4:198.18.0.0/24 '.repeat(16) + '-all']] },
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
  'dkim.test': { TXT: ['v=spf1 -all'] },
  'k1._domainkey.dkim.test': { TXT: [`v=DKIM1; k=rsa; p=${b64(162)}`] },
  'k2._domainkey.dkim.test': { TXT: [`v=DKIM1; k=rsa; p=${b64(126)}`] },
  's1._domainkey.dkim.test': { TXT: [`v=DKIM1; t=y; h=sha1; p=${b64(294)}`] },
  'gone._domainkey.dkim.test': { TXT: ['v=DKIM1; p='] },
  's2._domainkey.dkim.test': { TXT: ['v=DKIM1; k=rsa; p=!!notbase64!!'] },
  'dangling._domainkey.dkim.test': { CNAME: 'nothing.provider.test' },
  'default._domainkey.dkim.test': { TXT: ['v=DKIM1; k=ed25519; p=short'] },
  'dmarcnone.test': { TXT: ['v=spf1 -all'] },
  '_dmarc.dmarcnone.test': { TXT: ['v=DMARC1; p=none; pct=50; rua=mailto:r@reports.test; ruf=dmarc@x'] },
  'default._bimi.dmarcnone.test': { TXT: ['v=BIMI1; l=http://dmarcnone.test/logo.png'] },
  '_dmarc.dmarcq.test': { TXT: ['v=DMARC1; p=reject; sp=none; rua=mailto:d@dmarcq.test'] },
  '_dmarc.dmarcbad.test': { TXT: ['v=DMARC1; p=block; adkim=x; foo=1'] },
  '_dmarc.dmarcmulti.test': { TXT: ['v=DMARC1; p=none', 'v=DMARC1; p=reject'] },
  '_dmarc.dmarcnov.test': { TXT: ['p=reject; v=DMARC1'] },
  'mxbad.test': {
    MX: [
      { exchange: 'alias.mxbad.test', priority: 10 },
      { exchange: '192.0.2.50', priority: 20 },
      { exchange: 'noaddr.mxbad.test', priority: 30 },
      { exchange: 'lo.mxbad.test', priority: 40 }
    ]
  },
  'alias.mxbad.test': { CNAME: 'real.mxbad.test' },
  'real.mxbad.test': { A: ['192.0.2.51'] },
  'noaddr.mxbad.test': { TXT: ['nothing here'] },
  'lo.mxbad.test': { A: ['127.0.0.1'] },
  'nullmx.test': { MX: [{ exchange: '', priority: 0 }], TXT: ['v=spf1 -all'] },
  'stsbad.test': { MX: [{ exchange: 'mx.stsbad.test', priority: 10 }] },
  'mx.stsbad.test': { A: ['192.0.2.60'] },
  '_mta-sts.stsbad.test': { TXT: ['v=STSv1; id=abc'] },
  '_smtp._tls.stsbad.test': { TXT: ['v=TLSRPTv1; rua=ftp://reports.test'] },
  '_mta-sts.stsfetch.test': { TXT: ['v=STSv1; id=1'] },
  '_mta-sts.stssyntax.test': { TXT: ['v=STSv1; id=has-dash', 'v=STSv1; id=2'] },
  'slow.test': { behaviour: 'servfail' },
  '*.slow.test': { behaviour: 'servfail' },
  'refused.test': { behaviour: 'refused' },
  '*.refused.test': { behaviour: 'refused' }
}

/** MTA-STS policies served by a fake fetch: one good, one in testing mode not covering the MX, one 404. */
const policies: Record<string, { status: number; body: string; contentType?: string }> = {
  'mta-sts.good.test': {
    status: 200,
    body: 'version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 604800\n',
    contentType: 'text/plain'
  },
  'mta-sts.stsbad.test': {
    status: 200,
    body: 'version: STSv1\nmode: testing\nmx: other.test\nmax_age: 60\n',
    contentType: 'text/html'
  },
  'mta-sts.stssyntax.test': { status: 200, body: 'mode: bogus\n', contentType: 'text/plain' }
}
export const fakeFetch: FetchPolicy = async (url) => {
  const host = new URL(url).hostname
  const p = policies[host]
  if (!p) throw new Error(`getaddrinfo ENOTFOUND ${host}`)
  return p
}

export const domainCases: { domain: string; ips?: string[]; helo?: string; selectors?: string[] }[] = [
  {
    domain: 'good.test',
    ips: ['192.0.2.10', '198.51.100.7', '192.0.2.30', '203.0.113.99'],
    helo: 'wrong.good.test'
  },
  { domain: 'good.test', ips: ['192.0.2.10'], helo: '192.0.2.10' },
  { domain: 'good.test', ips: ['192.0.2.10'], helo: 'nohelo.good.test' },
  { domain: 'lookups.test' },
  { domain: 'voids.test' },
  { domain: 'ptrall.test' },
  { domain: 'neutral.test' },
  { domain: 'noall.test' },
  { domain: 'multi.test' },
  { domain: 'syntax.test' },
  { domain: 'split.test' },
  { domain: 'long.test' },
  { domain: 'big.test' },
  { domain: 'incmissing.test' },
  { domain: 'loop.test' },
  { domain: 'mxmany.test' },
  { domain: 'dkim.test', selectors: ['gone', 'absent', 'dangling', 's2', 'k1', 'k2', 's1'] },
  { domain: 'dmarcnone.test' },
  { domain: 'dmarcq.test' },
  { domain: 'dmarcbad.test' },
  { domain: 'dmarcmulti.test' },
  { domain: 'dmarcnov.test' },
  { domain: 'mxbad.test' },
  { domain: 'nullmx.test' },
  { domain: 'stsbad.test' },
  { domain: 'stsfetch.test' },
  { domain: 'stssyntax.test' },
  { domain: 'nothing.test', ips: ['198.51.100.200'] },
  { domain: 'slow.test', ips: ['192.0.2.10'], selectors: ['s1'] },
  { domain: 'refused.test' }
]

export async function domainFindings(): Promise<Finding[]> {
  const client = zoneClient(domainZones)
  const out: Finding[] = []
  for (const c of domainCases) {
    const r = await checkDomain({
      ...c,
      client,
      fetchPolicy: fakeFetch,
      now: new Date('2024-06-01T12:00:00Z')
    })
    out.push(...r.findings)
  }
  return out
}

const EDGE = '203.0.113.10'
const received = (by: string) =>
  `Received: from out.shop.example (out.shop.example [${EDGE}]) by ${by} (Postfix) with ESMTPS id A1 for <u@receiver.example>; Sat, 1 Jun 2024 11:59:58 +0000`
const authHeaderBlocks = [
  [
    'Authentication-Results: mx.receiver.example; spf=fail smtp.mailfrom=shop.example; dkim=fail (signature did not verify) header.d=shop.example; dmarc=fail (p=REJECT) header.from=shop.example; arc=fail',
    received('mx.receiver.example'),
    'From: Shop <news@shop.example>',
    'Subject: hi'
  ],
  [
    'Authentication-Results: spf=softfail (sender IP is 203.0.113.10) smtp.mailfrom=shop.example; dkim=pass header.d=esp.example; dmarc=fail action=quarantine header.from=shop.example; compauth=fail reason=001',
    received('mx.outlook.com'),
    'From: Shop <news@shop.example>'
  ],
  [
    'Authentication-Results: mx.receiver.example; spf=permerror smtp.mailfrom=shop.example; dkim=temperror header.d=shop.example; dmarc=none header.from=shop.example',
    'Authentication-Results: evil.example; spf=pass smtp.mailfrom=shop.example',
    received('mx.receiver.example'),
    'Authentication-Results: mx.receiver.example; dkim=pass header.d=shop.example',
    'From: Shop <news@shop.example>'
  ],
  [
    'Received-SPF: fail (mx.receiver.example: domain of shop.example does not designate 203.0.113.10 as permitted sender) client-ip=203.0.113.10;',
    received('mx.receiver.example'),
    'From: news@shop.example'
  ],
  ['From: news@shop.example', 'Subject: no auth at all']
]

/** Recorded verdicts, today's re-verification of an unsigned message, and their comparison. */
export async function authFindings(): Promise<Finding[]> {
  const out: Finding[] = []
  const zone = {
    'shop.example': { TXT: ['v=spf1 ip4:198.51.100.1 -all'] },
    '_dmarc.shop.example': { TXT: ['v=DMARC1; p=reject'] }
  }
  for (const block of authHeaderBlocks) {
    const headers = parseHeaderBlock(block.join('\r\n'))
    const chain = analyzeReceived(headers)
    const recorded = analyzeRecordedAuth(headers, { chain })
    out.push(...recorded.findings)
    const raw = `${block.join('\r\n')}\r\nTo: u@receiver.example\r\nDate: Sat, 1 Jun 2024 11:59:50 +0000\r\nMessage-ID: <a@shop.example>\r\n\r\nHello\r\n`
    for (const ip of [EDGE, undefined]) {
      const now = await verifyAuth({
        message: Buffer.from(raw),
        ip,
        mailFrom: 'bounce@shop.example',
        helo: 'out.shop.example',
        client: zoneClient(zone),
        now: new Date('2024-06-01T12:00:00Z')
      })
      out.push(...now.findings)
      out.push(...compareAuth(recorded, now).findings)
    }
  }
  return out
}

export function antispamFindings(): Finding[] {
  const h = (name: string, value: string) => ({ name, value })
  const sets = [
    [
      h(
        'X-Spam-Status',
        'Yes, score=7.3 required=5.0 tests=BAYES_99,HTML_MESSAGE,RDNS_NONE,SPF_SOFTFAIL,URIBL_BLACK,DKIM_INVALID,DMARC_NONE,HTML_IMAGE_ONLY_08 autolearn=no version=4.0.0'
      )
    ],
    [h('X-Spam-Status', 'No, score=4.2 required=5.0 tests=HTML_IMAGE_ONLY_08,MIME_HTML_ONLY version=3.4.6')],
    [
      h(
        'X-Forefront-Antispam-Report',
        'CIP:203.0.113.7;CTRY:NL;LANG:en;SCL:6;SRV:BULK;IPV:NLI;SFV:SPM;H:mail.example.org;PTR:;CAT:BULK;SFS:(13230040);DIR:INB;'
      ),
      h('X-Microsoft-Antispam', 'BCL:8;'),
      h('Authentication-Results', 'spf=fail smtp.mailfrom=a.example; compauth=fail reason=601')
    ],
    [h('X-Forefront-Antispam-Report', 'CIP:203.0.113.7;SCL:5;SFV:SPM;CAT:PHSH;IPV:CAL;DIR:INB;')],
    [
      h('X-Rspamd-Action', 'reject'),
      h('X-Rspamd-Score', '18.92'),
      h(
        'X-Spamd-Result',
        'default: True [18.92 / 15.00]; R_SPF_FAIL(1.00)[-all]; RBL_SPAMHAUS_SBL(4.00)[1.2.3.4]'
      )
    ],
    [
      h('X-Barracuda-Spam-Score', '5.52'),
      h('X-Barracuda-Spam-Status', 'Yes, SCORE=5.52 using global scores')
    ],
    [h('X-Proofpoint-Spam-Details', 'rule=spam policy=default score=90 spamscore=90 bulkscore=0')],
    [h('X-Mimecast-Spam-Score', '20')],
    [h('X-IronPort-Anti-Spam-Filtered', 'true'), h('X-SBRS', '-4.2')],
    [h('X-Gmail-Labels', 'Spam,Opened'), h('X-Gm-Spam', '1')],
    [h('X-TM-AS-Result', 'Yes-12.480-7.0-31-10')]
  ]
  return sets.flatMap((hs) => decodeAntispam(hs).findings)
}

export function blocklistFindings(): Finding[] {
  const base = { kind: 'block' as const, ms: 3, codes: [] as string[], meanings: [] as string[] }
  const summary = {
    listed: 0,
    allowListed: 0,
    clean: 0,
    refused: 0,
    unreliable: 0,
    error: 0,
    skipped: [],
    listedOn: [],
    notes: []
  }
  const reports = [
    {
      target: '192.0.2.1',
      type: 'ip4',
      summary,
      results: [
        {
          ...base,
          list: 'spamhaus-zen',
          zone: 'zen.spamhaus.org',
          query: '1.2.0.192.zen.spamhaus.org',
          status: 'listed',
          polarity: 'block',
          codes: ['127.0.0.2', '127.0.0.4'],
          meanings: ['SBL', 'XBL'],
          txt: 'https://check.spamhaus.org/query/ip/192.0.2.1'
        },
        {
          ...base,
          list: 'spamcop',
          zone: 'bl.spamcop.net',
          query: 'q',
          status: 'listed',
          polarity: 'block',
          codes: ['127.0.0.2']
        },
        {
          ...base,
          list: 'barracuda',
          zone: 'b.barracudacentral.org',
          query: 'q',
          status: 'listed',
          polarity: 'block',
          codes: ['127.0.0.2']
        },
        {
          ...base,
          list: 'dnswl',
          zone: 'list.dnswl.org',
          query: 'q',
          status: 'listed',
          polarity: 'allow',
          codes: ['127.0.15.0']
        },
        {
          ...base,
          list: 'spamhaus-dbl',
          zone: 'dbl.spamhaus.org',
          query: 'q',
          status: 'refused',
          reason: 'error code 127.255.255.254'
        },
        { ...base, list: 'surbl', zone: 'multi.surbl.org', query: 'q', status: 'refused' },
        { ...base, list: 'uceprotect-1', zone: 'dnsbl-1.uceprotect.net', query: 'q', status: 'unreliable' },
        { ...base, list: 'psbl', zone: 'psbl.surriel.com', query: 'q', status: 'error', failure: 'timeout' }
      ]
    }
  ] as TargetReport[]
  return sweepFindings(reports)
}

export function lintFindings(): Finding[] {
  const h = (name: string, value: string) => ({ name, value })
  const bulk = [h('List-Id', '<news.shop.example>'), h('Precedence', 'bulk')]
  return [
    ...lintContent({
      headers: bulk,
      html: '<html><body><img src="https://cdn.example/a.png"><a href="https://bit.ly/x">click here</a><a href="https://bit.ly/y">act now</a><a href="https://tinyurl.com/z">go</a></body></html>',
      fromDomain: 'shop.example',
      returnPathDomain: 'esp.example',
      dkimDomains: ['esp.example']
    }),
    ...lintContent({
      headers: [...bulk, h('List-Unsubscribe', '<https://shop.example/u>')],
      text: 'Winner! Claim your prize, 100% free, act now, click here. '.repeat(3),
      html: '<p>' + '<a href="https://shop.example/p">x</a>'.repeat(30) + '</p>',
      fromDomain: 'shop.example',
      returnPathDomain: 'shop.example'
    }),
    ...lintContent({
      headers: [],
      text: 'Plain text, fine.',
      fromDomain: 'shop.example',
      returnPathDomain: 'shop.example'
    })
  ]
}

export const PRODUCERS = ['domain', 'auth', 'antispam', 'blocklist', 'lint'] as const

export async function allFindings(): Promise<Record<(typeof PRODUCERS)[number], Finding[]>> {
  return {
    domain: await domainFindings(),
    auth: await authFindings(),
    antispam: antispamFindings(),
    blocklist: blocklistFindings(),
    lint: lintFindings()
  }
}
