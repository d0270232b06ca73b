import { describe, expect, it } from 'vitest'
import { AntispamReport } from '../../../shared/schemas/antispam'
import { decodeAntispam, parseSpamReport, parseSpamStatus, saRules } from './index'

const h = (name: string, value: string) => ({ name, value })
const vendor = (report: ReturnType<typeof decodeAntispam>, id: string) =>
  report.vendors.find((v) => v.vendor === id)

describe('SpamAssassin', () => {
  const headers = [
    h('X-Spam-Flag', 'YES'),
    h('X-Spam-Level', '*******'),
    h(
      'X-Spam-Status',
      'Yes, score=7.3 required=5.0 tests=BAYES_99,BAYES_999,HTML_MESSAGE,RDNS_NONE, SPF_SOFTFAIL,URIBL_BLACK autolearn=no autolearn_force=no version=4.0.0'
    ),
    h(
      'X-Spam-Report',
      '*  3.5 BAYES_99 BODY: Bayes spam probability is 99 to 100% *      [score: 1.0000] *  0.2 BAYES_999 BODY: Bayes spam probability is 99.9 to 100% *      [score: 1.0000] *  0.0 HTML_MESSAGE BODY: HTML included in message *  1.3 RDNS_NONE Delivered to internal network by a host with no rDNS *  0.7 SPF_SOFTFAIL SPF: sender does not match SPF record (softfail) *  1.6 URIBL_BLACK Contains an URL listed in the URIBL blacklist *      [URIs: bad.example]'
    ),
    h('X-Spam-Checker-Version', 'SpamAssassin 4.0.0 (2022-12-13) on mx1.example.net')
  ]

  it('parses status, report and verdict', () => {
    const r = decodeAntispam(headers)
    AntispamReport.parse(r)
    const sa = vendor(r, 'spamassassin')!
    expect(sa.verdict).toBe('spam')
    expect(sa.score).toBe(7.3)
    expect(sa.threshold).toBe(5)
    expect(sa.rules.map((x) => x.name)).toEqual([
      'BAYES_99',
      'URIBL_BLACK',
      'RDNS_NONE',
      'SPF_SOFTFAIL',
      'BAYES_999',
      'HTML_MESSAGE'
    ])
    expect(sa.rules.find((x) => x.name === 'RDNS_NONE')?.remedy).toBe('rdns-request')
    const ids = r.findings.map((f) => f.id)
    expect(ids).toContain('antispam.sa-spam')
    expect(ids).toContain('antispam.sa-rdns')
    expect(ids).toContain('antispam.sa-spf')
    expect(ids).toContain('antispam.sa-blocklisted')
  })

  it('reads amavis-style bracketed tests with scores', () => {
    const s = parseSpamStatus(
      'No, score=-1.901 tagged_above=-10 required=6.6 tests=[BAYES_00=-1.9, RCVD_IN_DNSWL_NONE=-0.0001, SPF_PASS=-0.001] autolearn=ham'
    )
    expect(s.flag).toBe(false)
    expect(s.required).toBe(6.6)
    expect(s.tests).toEqual([
      { name: 'BAYES_00', score: -1.9 },
      { name: 'RCVD_IN_DNSWL_NONE', score: -0.0001 },
      { name: 'SPF_PASS', score: -0.001 }
    ])
  })

  it('parses a multi-line report body', () => {
    const rules = parseSpamReport(
      'Content analysis details:   (6.1 points, 5.0 required)\n\n pts rule name              description\n---- ---------------------- --------------------------------------------------\n 2.5 URIBL_DBL_SPAM         Contains a spam URL listed in the Spamhaus DBL\n                            blocklist\n-0.0 SPF_PASS               SPF: sender matches SPF record\n 3.6 RCVD_IN_SBL_CSS        RBL: Received via a relay in Spamhaus SBL-CSS'
    )
    expect(rules.map((r) => [r.name, r.score])).toEqual([
      ['URIBL_DBL_SPAM', 2.5],
      ['SPF_PASS', -0],
      ['RCVD_IN_SBL_CSS', 3.6]
    ])
    expect(rules[0].description).toBe('Contains a spam URL listed in the Spamhaus DBL blocklist')
  })

  it('flags a score near the threshold', () => {
    const r = decodeAntispam([
      h(
        'X-Spam-Status',
        'No, score=4.2 required=5.0 tests=HTML_IMAGE_ONLY_08,MIME_HTML_ONLY autolearn=no version=3.4.6'
      )
    ])
    expect(vendor(r, 'spamassassin')!.verdict).toBe('clean')
    expect(r.findings.map((f) => f.id)).toContain('antispam.sa-near-threshold')
  })

  it('has a rule table with at least 150 common rules', () => {
    expect(Object.keys(saRules).length).toBeGreaterThanOrEqual(150)
    for (const prefix of [
      'URIBL_',
      'RCVD_IN_',
      'SPF_',
      'DKIM_',
      'DMARC_',
      'HTML_',
      'BAYES_',
      'FREEMAIL_',
      'MISSING_'
    ]) {
      expect(
        Object.keys(saRules).some((k) => k.startsWith(prefix)),
        prefix
      ).toBe(true)
    }
    expect(saRules.RDNS_NONE).toBeDefined()
  })
})

describe('Microsoft 365', () => {
  it('decodes a spam verdict with bulk and no PTR', () => {
    const r = decodeAntispam([
      h(
        'X-Forefront-Antispam-Report',
        'CIP:203.0.113.7;CTRY:NL;LANG:en;SCL:6;SRV:BULK;IPV:NLI;SFV:SPM;H:mail.example.org;PTR:;CAT:BULK;SFS:(13230040)(4636009)(376014)(1800799024);DIR:INB;'
      ),
      h('X-Microsoft-Antispam', 'BCL:8;ARA:13230040|376014|1800799024;'),
      h('X-MS-Exchange-Organization-SCL', '6'),
      h('X-MS-Exchange-Organization-AuthAs', 'Anonymous'),
      h('X-MS-Exchange-CrossTenant-FromEntityHeader', 'Internet'),
      h(
        'Authentication-Results',
        'spf=softfail (sender IP is 203.0.113.7) smtp.mailfrom=example.org; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=example.org;compauth=fail reason=001'
      )
    ])
    const ms = vendor(r, 'microsoft')!
    expect(ms.verdict).toBe('spam')
    expect(ms.score).toBe(6)
    expect(ms.fields.find((f) => f.key === 'SFS')?.opaque).toBe(true)
    expect(ms.fields.find((f) => f.key === 'SFV')?.meaning).toMatch(/marked the message as spam/)
    expect(ms.fields.find((f) => f.key === 'CIP')?.value).toBe('203.0.113.7')
    expect(ms.fields.find((f) => f.key === 'reason')?.meaning).toMatch(/implicit/)
    const ids = r.findings.map((f) => f.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'antispam.m365-scl-high',
        'antispam.m365-bulk',
        'antispam.m365-no-ptr',
        'antispam.m365-compauth-fail'
      ])
    )
  })

  it('keeps IPv6 connecting IPs whole and recognises phishing categories', () => {
    const r = decodeAntispam([
      h(
        'X-Forefront-Antispam-Report',
        'CIP:2001:db8::25;CTRY:US;SCL:9;SRV:;IPV:NLI;SFV:SPM;PTR:mx.example.com;CAT:HPHISH;SFTY:9.19;DIR:INB;'
      )
    ])
    const ms = vendor(r, 'microsoft')!
    expect(ms.fields.find((f) => f.key === 'CIP')?.value).toBe('2001:db8::25')
    expect(ms.verdict).toBe('phish')
    expect(r.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['antispam.m365-phish', 'antispam.m365-impersonation'])
    )
    expect(r.findings.map((f) => f.id)).not.toContain('antispam.m365-no-ptr')
  })

  it('treats allow-listed mail as clean and says filtering was bypassed', () => {
    const r = decodeAntispam([
      h(
        'X-Forefront-Antispam-Report',
        'CIP:198.51.100.4;CTRY:;LANG:en;SCL:-1;SRV:;IPV:CAL;SFV:SKN;H:relay.example;PTR:relay.example;CAT:NONE;DIR:INB;'
      )
    ])
    const ms = vendor(r, 'microsoft')!
    expect(ms.verdict).toBe('clean')
    expect(r.findings.map((f) => f.id)).toContain('antispam.m365-bypass')
  })
})

describe('Rspamd', () => {
  it('parses X-Spamd-Result symbols and the action', () => {
    const r = decodeAntispam([
      h('X-Rspamd-Action', 'add header'),
      h('X-Rspamd-Score', '8.92'),
      h('X-Rspamd-Server', 'rspamd1'),
      h(
        'X-Spamd-Result',
        'default: False [8.92 / 15.00]; R_SPF_SOFTFAIL(4.60)[~all:c]; HFILTER_HOSTNAME_UNKNOWN(2.50)[]; DMARC_NA(0.00)[example.org]; MIME_GOOD(-0.10)[text/plain]; BAYES_SPAM(1.92)[87.12%]; R_DKIM_NA(0.00)[]; ARC_NA(0.00)[]'
      ),
      h('X-Spam', 'Yes')
    ])
    const rs = vendor(r, 'rspamd')!
    expect(rs.verdict).toBe('spam')
    expect(rs.score).toBe(8.92)
    expect(rs.threshold).toBe(15)
    expect(rs.rules[0]).toMatchObject({
      name: 'R_SPF_SOFTFAIL',
      score: 4.6,
      known: true,
      remedy: 'spf-builder'
    })
    expect(r.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['antispam.rspamd-spam', 'antispam.rspamd-spf', 'antispam.rspamd-rdns'])
    )
    // Rspamd's X-Spam header must not create a SpamAssassin verdict.
    expect(vendor(r, 'spamassassin')).toBeUndefined()
  })
})

describe('Barracuda', () => {
  it('uses the per-user levels and the SpamAssassin-style report', () => {
    const r = decodeAntispam([
      h('X-Barracuda-Connect', 'mail.example.org[203.0.113.9]'),
      h('X-Barracuda-Start-Time', '1718000000'),
      h('X-Barracuda-URL', 'https://10.0.0.5:443/cgi-mod/mark.cgi'),
      h('X-Virus-Scanned', 'by bsmtpd at example.com'),
      h('X-Barracuda-Spam-Score', '5.52'),
      h(
        'X-Barracuda-Spam-Status',
        'Yes, SCORE=5.52 using per-user scores of TAG_LEVEL=3.5 QUARANTINE_LEVEL=1000.0 KILL_LEVEL=5.0 tests=BSF_SC0_MISMATCH_TO, HTML_MESSAGE, RDNS_NONE'
      ),
      h(
        'X-Barracuda-Spam-Report',
        "Code version 3.2, rules version 3.2.3.101234 Rule breakdown below pts rule name description ---- ---------------------- -------------------------------------------------- 0.00 BSF_SC0_MISMATCH_TO Envelope rcpt doesn't match header 0.00 HTML_MESSAGE BODY: HTML included in message 0.10 RDNS_NONE Delivered to trusted network by a host with no rDNS 5.42 BSF_SC5_MJ1963 Custom Rule MJ1963"
      )
    ])
    const b = vendor(r, 'barracuda')!
    expect(b.verdict).toBe('spam')
    expect(b.score).toBe(5.52)
    expect(b.threshold).toBe(3.5)
    expect(b.summary).toMatch(/blocked level/)
    expect(b.rules.map((x) => x.name)).toEqual([
      'BSF_SC5_MJ1963',
      'RDNS_NONE',
      'BSF_SC0_MISMATCH_TO',
      'HTML_MESSAGE'
    ])
    expect(b.fields.find((f) => f.key === 'QUARANTINE_LEVEL')?.meaning).toMatch(/disabled/)
    expect(r.findings.map((f) => f.id)).toContain('antispam.barracuda-spam')
  })
})

describe('Proofpoint, Mimecast, IronPort, Google, Trend Micro', () => {
  it('reads the Proofpoint rule and scores', () => {
    const r = decodeAntispam([
      h('X-Proofpoint-GUID', 'aBcDeFgH123'),
      h(
        'X-Proofpoint-Virus-Version',
        'vendor=baseguard engine=ICAP:2.0.293,Aquarius:18.0.1039,Hydra:6.0.680,FMLib:17.12.28.16 definitions=2024-06-10_05,2024-06-10_01,2024-06-10_01 signatures=0'
      ),
      h(
        'X-Proofpoint-Spam-Details',
        'rule=outbound_notspam policy=outbound score=0 phishscore=0 spamscore=97 mlxlogscore=999 bulkscore=0 suspectscore=0 adultscore=0 malwarescore=0 lowpriorityscore=0 impostorscore=0 clxscore=1015 mlxscore=0 classifier=spam adjust=0 reason=mlx scancount=1 engine=8.19.0-2405220000 definitions=main-2406100097'
      )
    ])
    const p = vendor(r, 'proofpoint')!
    expect(p.verdict).toBe('spam')
    expect(p.score).toBe(97)
    expect(p.fields.find((f) => f.key === 'mlxlogscore')?.opaque).toBe(true)
    const clean = decodeAntispam([
      h(
        'X-Proofpoint-Spam-Details',
        'rule=notspam policy=default score=0 spamscore=0 bulkscore=0 phishscore=0'
      )
    ])
    expect(vendor(clean, 'proofpoint')!.verdict).toBe('clean')
  })

  it('reads Mimecast impersonation checks', () => {
    const r = decodeAntispam([
      h('X-Mimecast-Spam-Score', '2'),
      h('X-MC-Unique', 'abcdEFGH-1234'),
      h(
        'X-Mimecast-Impersonation-Protect',
        'Policy=CLT - Impersonation Protection Definition;Similar Internal Domain=false;Similar Monitored External Domain=false;Custom External Domain=false;Mimecast External Domain=false;Newly Observed Domain=true;Internal User Name=true;Custom Display Name List=false;Reply-to Address Mismatch=true;Targeted Threat Dictionary=false;Mimecast Threat Dictionary=false;Custom Threat Dictionary=false'
      )
    ])
    const m = vendor(r, 'mimecast')!
    expect(m.verdict).toBe('phish')
    expect(m.score).toBe(2)
    expect(r.findings.find((f) => f.id === 'antispam.mimecast-impersonation')?.detail).toMatch(
      /Newly Observed Domain/
    )
  })

  it('reads Cisco SBRS and keeps the encoded result opaque', () => {
    const r = decodeAntispam([
      h('X-IronPort-Anti-Spam-Filtered', 'true'),
      h('X-IronPort-Anti-Spam-Result', 'A0BEBwBPu99i/4cSgl5aHQEBAQEJARIBBQUBQIFPgVJSc'),
      h('X-IronPort-AV', 'E=Sophos;i="6.08,227,1712620800"; d="scan\'208";a="123456789"'),
      h('X-SBRS', '-4.2')
    ])
    const c = vendor(r, 'ironport')!
    expect(c.score).toBe(-4.2)
    expect(c.fields.find((f) => f.header === 'X-IronPort-Anti-Spam-Result')?.opaque).toBe(true)
    expect(c.fields.find((f) => f.key === 'E')?.value).toBe('Sophos')
    expect(r.findings.find((f) => f.id === 'antispam.ironport-sbrs-low')?.severity).toBe('error')
  })

  it('treats Google routing headers as informational and reads Gmail labels', () => {
    const info = decodeAntispam([
      h('X-Gm-Message-State', 'AOJu0YzXYZ'),
      h('X-Google-Smtp-Source', 'AGHT+IabcXYZ'),
      h('X-Received', 'by 2002:a05:6a00:1:b0:6f4 with SMTP id x; Mon, 10 Jun 2024 01:02:03 -0700 (PDT)')
    ])
    expect(vendor(info, 'google')!.verdict).toBe('unknown')
    expect(info.findings).toHaveLength(0)
    const spam = decodeAntispam([h('X-Gmail-Labels', 'Spam,Opened'), h('X-Gm-Spam', '1')])
    expect(vendor(spam, 'google')!.verdict).toBe('spam')
  })

  it('reads the Trend Micro result', () => {
    const r = decodeAntispam([
      h('X-TM-AS-Result', 'Yes-12.480-7.0-31-10'),
      h('X-TMASE-Version', 'SMEX-14.0.0.3092-9.0.1002-28440.000')
    ])
    expect(vendor(r, 'trendmicro')).toMatchObject({ verdict: 'spam', score: 12.48 })
  })

  it('returns nothing for a message without anti-spam headers', () => {
    expect(decodeAntispam([h('From', 'a@example.com'), h('Subject', 'hi')])).toEqual({
      vendors: [],
      findings: []
    })
  })
})
