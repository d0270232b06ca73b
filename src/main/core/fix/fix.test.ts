import { createSign, createVerify, sign, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { DkimKeyResult, DmarcPlan, FixSnippet, SpfBuildResult } from '../../../shared/schemas/fix'
import type { Text } from '../../../shared/text'
import frFixgen from '../../../../resources/locales/fr/fixgen.json'
import { lookup, renderText } from '../text/render'
import {
  buildSpf,
  enhancedFilteringFix,
  exchangeAnonymousRelay,
  exchangeOnlineConnector,
  generateDkimKey,
  importDkimPublicKey,
  keepMechanisms,
  lintContent,
  microsoftDkimCnames,
  parseDmarc,
  parseSpf,
  planDmarc,
  postfixRelayFix,
  ptrOwnerName,
  reverseDnsRequest,
  spfServices,
  splitTxt,
  unquoteTxt
} from './index'

/**
 * Every sentence a generator writes is a Text beside its English (the copyable text itself is not translated), and
 * renders in French to something else than the English for the sentences that are not data.
 */
function expectAllSaidInFrench(r: {
  snippets: FixSnippet[]
  warnings: string[]
  warningTexts?: Text[]
  stages?: { name: string; nameText?: Text; explanation: string; explanationText?: Text }[]
}) {
  const said: { en: string; t: Text | undefined }[] = [
    ...r.snippets.flatMap((s) => [
      { en: s.title, t: s.titleText },
      // (a line with nothing to explain, such as a letter's blank line, says nothing)
      ...s.lines.filter((l) => l.explanation).map((l) => ({ en: l.explanation, t: l.explanationText })),
      ...s.warnings.map((w, i) => ({ en: w, t: s.warningTexts?.[i] }))
    ]),
    ...r.warnings.map((w, i) => ({ en: w, t: r.warningTexts?.[i] })),
    ...(r.stages ?? []).flatMap((s) => [
      { en: s.name, t: s.nameText },
      { en: s.explanation, t: s.explanationText }
    ])
  ]
  expect(said.length).toBeGreaterThan(0)
  for (const { en, t } of said) {
    expect(t, en).toBeDefined()
    // In the French catalogue itself (renderText would fall back to English for a missing key).
    const [ns, key] = t!.code.split(':')
    expect(ns).toBe('fixgen')
    expect(lookup(frFixgen, key), t!.code).toBeTypeOf('string')
  }
  // Most of it reads differently in French (some lines are names or codes only).
  const french = said.filter(({ en, t }) => renderText('fr', t!) !== en)
  expect(french.length).toBeGreaterThan(said.length / 2)
}

describe('SPF catalogue', () => {
  it('has the required services with parseable mechanisms', () => {
    const ids = spfServices.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    const expected: Record<string, string> = {
      microsoft365: 'include:spf.protection.outlook.com',
      google: 'include:_spf.google.com',
      amazonses: 'include:amazonses.com',
      sendgrid: 'include:sendgrid.net',
      mailchimp: 'include:servers.mcsv.net',
      mailgun: 'include:mailgun.org',
      brevo: 'include:spf.brevo.com',
      postmark: 'include:spf.mtasv.net',
      zendesk: 'include:mail.zendesk.com',
      salesforce: 'include:_spf.salesforce.com'
    }
    for (const [id, mech] of Object.entries(expected))
      expect(spfServices.find((s) => s.id === id)?.mechanisms).toContain(mech)
    for (const s of spfServices.filter((x) => !x.accountSpecific)) {
      const p = parseSpf(`v=spf1 ${s.mechanisms.join(' ')} -all`)
      expect(p.valid, `${s.id}: ${p.errors.join(' ')}`).toBe(true)
    }
    expect(spfServices.length).toBeGreaterThanOrEqual(20)
  })
})

describe('buildSpf', () => {
  it('builds a record from services, IPs and kept mechanisms without duplicates', async () => {
    const kept = keepMechanisms('v=spf1 a mx include:spf.protection.outlook.com ip4:192.0.2.10 ptr ~all', [
      'include:spf.protection.outlook.com'
    ])
    expect(kept).toEqual(['a', 'mx', 'ip4:192.0.2.10', 'ptr'])
    const r = await buildSpf({
      domain: 'example.com',
      services: ['microsoft365', 'google'],
      ips: ['198.51.100.7', '2001:db8::/48', 'not-an-ip', '192.0.2.10'],
      keepMechanisms: kept,
      all: '-all'
    })
    SpfBuildResult.parse(r)
    expect(r.record).toBe(
      'v=spf1 ip4:198.51.100.7 ip6:2001:db8::/48 ip4:192.0.2.10 a mx ptr include:spf.protection.outlook.com include:_spf.google.com -all'
    )
    const parsed = parseSpf(r.record)
    expect(parsed.valid).toBe(true)
    expect(r.lookups.direct).toBe(5)
    expect(r.lookups.estimated).toBe(3 + 2 + 4)
    expect(r.warnings.join('\n')).toMatch(/not-an-ip/)
    expect(r.warnings.join('\n')).toMatch(/ptr mechanism SHOULD NOT/)
    expectAllSaidInFrench({ snippets: [r.snippet], warnings: r.warnings, warningTexts: r.warningTexts })
    expect(r.snippet.lines.map((l) => l.text)).toEqual(['v=spf1', ...r.record.split(' ').slice(1)])
    expect(unquoteTxt(r.snippet.text).join('')).toBe(r.record)
    expect(r.flattened).toBeUndefined()
  })

  it('uses the live counter and flattens when over 10 lookups', async () => {
    const calls: string[] = []
    const r = await buildSpf({
      domain: 'example.org',
      services: ['microsoft365', 'google', 'sendgrid', 'mailgun', 'zendesk'],
      all: '~all',
      lookupCounter: async (record) => {
        calls.push(record)
        return 13
      },
      includeResolver: async (d) => {
        if (d === 'mail.zendesk.com') throw new Error('SERVFAIL')
        return [`ip4:192.0.2.${d.length}`, 'ip6:2001:db8::1']
      }
    })
    expect(calls).toEqual([r.record])
    expect(r.lookups.live).toBe(13)
    expect(r.warnings.some((w) => /13 DNS lookups/.test(w))).toBe(true)
    expect(r.flattened).toBeDefined()
    const flat = parseSpf(r.flattened!.record!)
    expect(flat.valid).toBe(true)
    expect(flat.terms.filter((t) => t.name === 'include').map((t) => t.value)).toEqual(['mail.zendesk.com'])
    expect(flat.terms.filter((t) => t.name === 'ip6')).toHaveLength(1)
    expect(r.flattened!.warnings.join(' ')).toMatch(/stale/)
    expectAllSaidInFrench({
      snippets: [r.snippet, r.flattened!],
      warnings: r.warnings,
      warningTexts: r.warningTexts
    })
  })

  it('reports a failing live counter and falls back on the estimate', async () => {
    const r = await buildSpf({
      services: ['microsoft365'],
      all: '-all',
      lookupCounter: async () => {
        throw new Error('timeout')
      }
    })
    expect(r.lookups.live).toBeUndefined()
    expect(r.lookups.liveError).toBe('timeout')
    expect(r.lookups.estimated).toBe(2)
  })

  it('needs an override for account-specific services and splits long records', async () => {
    const noOverride = await buildSpf({ services: ['hubspot'], all: '-all' })
    expect(noOverride.record).toBe('v=spf1 -all')
    expect(noOverride.warnings.join(' ')).toMatch(/account-specific/)
    const ips = Array.from({ length: 30 }, (_, i) => `203.0.113.${i + 1}`)
    const r = await buildSpf({
      domain: 'example.net',
      services: ['hubspot'],
      serviceOverrides: { hubspot: ['include:1234.spf01.hubspotemail.net'] },
      ips,
      all: '-all'
    })
    expect(r.record).toContain('include:1234.spf01.hubspotemail.net')
    const strings = unquoteTxt(r.snippet.text)
    expect(strings.length).toBeGreaterThan(1)
    for (const s of strings) expect(s.length).toBeLessThanOrEqual(255)
    expect(strings.join('')).toBe(r.record)
  })
})

describe('planDmarc', () => {
  it('plans dated stages whose records parse', () => {
    const plan = planDmarc({
      domain: 'Example.com',
      ruaAddress: 'dmarc@example.com',
      startDate: '2026-01-05',
      alignment: { adkim: 'r', aspf: 'r' }
    })
    DmarcPlan.parse(plan)
    expect(plan.stages.map((s) => [s.policy, s.startDate])).toEqual([
      ['none', '2026-01-05'],
      ['quarantine', '2026-02-02'],
      ['reject', '2026-02-16']
    ])
    for (const s of plan.stages) {
      const p = parseDmarc(s.record)
      expect(p.valid, p.errors.join(' ')).toBe(true)
      expect(p.tags.p).toBe(s.policy)
      expect(p.tags.rua).toBe('mailto:dmarc@example.com')
    }
    expect(plan.snippets.every((s) => s.name === '_dmarc.example.com')).toBe(true)
    expect(plan.snippets.some((s) => s.id === 'dmarc-external-report-auth')).toBe(false)
  })

  it('adds pct steps, strict alignment and the external report authorisation', () => {
    const plan = planDmarc({
      domain: 'shop.example.co.uk',
      ruaAddress: 'mailto:rua@reports.dmarc-vendor.net',
      startDate: '2026-03-01',
      alignment: { adkim: 's', aspf: 'r' },
      stagedPct: true,
      currentRecord: 'v=DMARC1; p=none; ruf=mailto:x@example.co.uk'
    })
    expect(plan.stages.map((s) => s.pct)).toEqual([undefined, 25, 50, undefined, undefined])
    expect(parseDmarc(plan.stages[1].record).tags).toMatchObject({ p: 'quarantine', pct: '25', adkim: 's' })
    const auth = plan.snippets.find((s) => s.id === 'dmarc-external-report-auth')!
    expect(auth.name).toBe('shop.example.co.uk._report._dmarc.reports.dmarc-vendor.net')
    expect(auth.record).toBe('v=DMARC1')
    expect(plan.warnings.join(' ')).toMatch(/ruf=/)
    expect(plan.warnings.join(' ')).toMatch(/Strict alignment/)
    expectAllSaidInFrench(plan)
    expect(renderText('fr', plan.stages[0].nameText!)).toBe('Surveillance')
    expect(plan.snippets[0].lines[0]).toMatchObject({
      text: 'v=DMARC1',
      explanation: 'DMARC version; must be first (RFC 7489 §6.3).'
    })
    expect(plan.stages[0].name).toBe('Monitor')
  })

  it('rejects bad input and parses broken records as invalid', () => {
    expect(() =>
      planDmarc({
        domain: 'example.com',
        ruaAddress: 'nope',
        startDate: '2026-01-01',
        alignment: { adkim: 'r', aspf: 'r' }
      })
    ).toThrow()
    expect(() =>
      planDmarc({
        domain: 'example.com',
        ruaAddress: 'a@example.com',
        startDate: 'soon',
        alignment: { adkim: 'r', aspf: 'r' }
      })
    ).toThrow()
    expect(parseDmarc('p=reject; v=DMARC1').valid).toBe(false)
    expect(parseDmarc('v=DMARC1; p=block').valid).toBe(false)
  })
})

describe('DKIM keys', () => {
  it('RSA 2048: TXT reassembles to a key that verifies signatures from the returned private key', () => {
    const r = generateDkimKey({ domain: 'example.com', selector: 's2026', algorithm: 'rsa2048' })
    DkimKeyResult.parse(r)
    expect(r.dnsName).toBe('s2026._domainkey.example.com')
    for (const s of r.txtStrings) expect(s.length).toBeLessThanOrEqual(255)
    expect(r.txtStrings.length).toBeGreaterThan(1)
    const txt = r.snippets.find((s) => s.id === 'dkim-txt')!
    const joined = unquoteTxt(txt.text).join('')
    expect(joined).toBe(r.txtValue)
    const p = /p=([A-Za-z0-9+/=]+)/.exec(joined)![1]
    const pub = importDkimPublicKey(p, 'rsa2048')
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048)
    const signer = createSign('sha256')
    signer.update('hello')
    const sig = signer.sign(r.privateKeyPem)
    const verifier = createVerify('sha256')
    verifier.update('hello')
    expect(verifier.verify(pub, sig)).toBe(true)
  })

  it('Ed25519: p= is the raw 32-byte key (RFC 8463)', () => {
    const r = generateDkimKey({ domain: 'example.com', selector: 'ed1', algorithm: 'ed25519' })
    expect(r.txtValue).toMatch(/^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/)
    const p = r.txtValue.split('p=')[1]
    expect(Buffer.from(p, 'base64')).toHaveLength(32)
    const pub = importDkimPublicKey(p, 'ed25519')
    const sig = sign(null, Buffer.from('msg'), r.privateKeyPem)
    expect(verify(null, Buffer.from('msg'), pub, sig)).toBe(true)
    expect(r.warnings.join(' ')).toMatch(/RSA key as well/)
  })

  it('produces OpenDKIM and Postfix milter lines and rejects bad selectors', () => {
    const r = generateDkimKey({ domain: 'example.com', selector: 'mail', algorithm: 'ed25519' })
    expectAllSaidInFrench(r)
    const all = r.snippets.map((s) => s.text).join('\n')
    expect(all).toContain(
      'mail._domainkey.example.com example.com:mail:/etc/opendkim/keys/example.com/mail.private'
    )
    expect(all).toContain('*@example.com mail._domainkey.example.com')
    expect(all).toContain('smtpd_milters = inet:localhost:8891')
    expect(all).toContain('non_smtpd_milters = $smtpd_milters')
    expect(all).toContain('milter_default_action = accept')
    expect(() =>
      generateDkimKey({ domain: 'example.com', selector: 'bad selector', algorithm: 'rsa2048' })
    ).toThrow()
  })

  it('Microsoft 365 CNAMEs in legacy and current format', () => {
    const legacy = microsoftDkimCnames({ domain: 'marketing.contoso.com', tenant: 'contoso.onmicrosoft.com' })
    expectAllSaidInFrench({ snippets: [legacy], warnings: [] })
    FixSnippet.parse(legacy)
    expect(legacy.lines[0].text).toBe(
      'selector1._domainkey.marketing.contoso.com. 3600 IN CNAME selector1-marketing-contoso-com._domainkey.contoso.onmicrosoft.com.'
    )
    const current = microsoftDkimCnames({ domain: 'contoso.com', tenant: 'contoso', partition: 'r' })
    expect(current.lines[1].text).toBe(
      'selector2._domainkey.contoso.com. 3600 IN CNAME selector2-contoso-com._domainkey.contoso.r-v2.dkim.mail.microsoft.'
    )
  })

  it('splitTxt keeps every string within 255 octets', () => {
    expect(splitTxt('a'.repeat(600)).map((s) => s.length)).toEqual([255, 255, 90])
  })
})

describe('relay and connector fixes', () => {
  it('Postfix relay restrictions and submission service', () => {
    const [main, master] = postfixRelayFix({
      mynetworks: ['192.0.2.0/28', '2001:db8::/64', '0.0.0.0/0'],
      submission: true
    })
    expect(main.text).toContain(
      'smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination'
    )
    expect(main.text).toContain('mynetworks = 127.0.0.0/8 [::1]/128 192.0.2.0/28 [2001:db8::]/64 0.0.0.0/0')
    expect(main.warnings.join(' ')).toMatch(/open relay/)
    expect(master.text).toContain('  -o smtpd_sasl_auth_enable=yes')
    expect(master.lines.every((l) => l.explanation.length > 0)).toBe(true)
    expectAllSaidInFrench({ snippets: [main, master], warnings: [] })
  })

  it('Exchange Server anonymous relay connector', () => {
    const s = exchangeAnonymousRelay({
      server: 'EX01',
      remoteIpRanges: ['192.0.2.25', '192.0.2.26', 'printer']
    })
    expect(s.text).toContain('-RemoteIPRanges 192.0.2.25,192.0.2.26')
    expect(s.text).toContain(
      'Add-ADPermission -User "NT AUTHORITY\\ANONYMOUS LOGON" -ExtendedRights "Ms-Exch-SMTP-Accept-Any-Recipient"'
    )
    expect(s.warnings.join(' ')).toMatch(/printer/)
    expectAllSaidInFrench({ snippets: [s], warnings: [] })
  })

  it('Exchange Online connectors and enhanced filtering', () => {
    expect(
      exchangeOnlineConnector({
        direction: 'inbound-from-onprem',
        name: 'From on-prem',
        tlsCertificateName: 'mail.contoso.com'
      }).text
    ).toBe(
      'New-InboundConnector -Name "From on-prem" -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName mail.contoso.com'
    )
    expect(
      exchangeOnlineConnector({
        direction: 'outbound-to-partner',
        name: 'To Fabrikam',
        recipientDomains: ['fabrikam.com'],
        smartHosts: ['mx.fabrikam.com']
      }).text
    ).toContain('-RecipientDomains fabrikam.com -UseMXRecord $false -SmartHosts mx.fabrikam.com')
    expect(enhancedFilteringFix({ connector: 'From filter' }).text).toBe(
      'Set-InboundConnector -Identity "From filter" -EFSkipLastIP $true'
    )
    expect(enhancedFilteringFix({ connector: 'From filter', skipIps: ['198.51.100.0/24'] }).text).toContain(
      '-EFSkipIPs 198.51.100.0/24'
    )
    expectAllSaidInFrench({
      snippets: [
        exchangeOnlineConnector({ direction: 'inbound-from-onprem', name: 'On-prem', senderIps: [] }),
        exchangeOnlineConnector({ direction: 'outbound-to-partner', name: 'To Fabrikam' }),
        enhancedFilteringFix({ connector: 'From filter', skipLastIp: false })
      ],
      warnings: []
    })
  })
})

describe('reverse DNS request', () => {
  it('computes PTR owner names', () => {
    expect(ptrOwnerName('192.0.2.45')).toBe('45.2.0.192.in-addr.arpa')
    expect(ptrOwnerName('2001:db8::567:89ab')).toBe(
      'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'
    )
  })

  it('writes the records and the letter, and warns about generic names', () => {
    const [ptr, fwd, letter] = reverseDnsRequest({
      ip: '198.51.100.45',
      hostname: 'mail.example.com',
      provider: 'Example Hosting',
      requester: 'Ada'
    })
    expect(ptr.text).toBe('45.100.51.198.in-addr.arpa. 3600 IN PTR mail.example.com.')
    expect(fwd.text).toBe('mail.example.com. 3600 IN A 198.51.100.45')
    expect(letter.text).toContain('    45.100.51.198.in-addr.arpa. IN PTR mail.example.com.')
    expect(letter.warnings.join(' ')).not.toMatch(/IP digits|dynamic|fully qualified/)
    expect(letter.warnings.join(' ')).toMatch(/reserved/) // 198.51.100.0/24 is documentation space
    const generic = reverseDnsRequest({ ip: '198.51.100.45', hostname: 'host-100-45.dynamic.isp.example' })
    expect(generic[2].warnings.join(' ')).toMatch(/IP digits|dynamic/)
    expect(reverseDnsRequest({ ip: '10.0.0.1', hostname: 'mail.example.com' })[2].warnings.join(' ')).toMatch(
      /private/
    )
    expectAllSaidInFrench({ snippets: generic, warnings: [] })
    // A typed address that is no IP is refused in words the form can say in the reader's language.
    expect(() => reverseDnsRequest({ ip: 'mail.example.com', hostname: 'mail.example.com' })).toThrow(
      expect.objectContaining({ text: { code: 'fixgen:rdns.badIp', params: { ip: 'mail.example.com' } } })
    )
  })

  it("writes the letter in the reader's language, with the records in it verbatim", () => {
    const input = { ip: '198.51.100.45', hostname: 'mail.example.com', provider: 'OVHcloud' }
    const en = reverseDnsRequest(input)[2]
    const fr = reverseDnsRequest({ ...input, language: 'fr' })[2]
    expect(en.text).toMatch(/^Subject: Reverse DNS \(PTR\) request for 198\.51\.100\.45$/m)
    expect(fr.text).toMatch(/^Objet : demande de DNS inverse \(PTR\) pour 198\.51\.100\.45$/m)
    expect(fr.text).toContain('Bonjour OVHcloud,')
    for (const letter of [en, fr])
      expect(letter.text).toContain('    45.100.51.198.in-addr.arpa. IN PTR mail.example.com.')
    // What each line is for: in the reader's language from the same Texts whatever the letter's language.
    expect(fr.lines.map((l) => l.explanationText)).toEqual(en.lines.map((l) => l.explanationText))
  })
})

describe('lintContent', () => {
  const h = (name: string, value: string) => ({ name, value })

  it('flags shorteners, image-only HTML, phrases and a missing text part', () => {
    const ids = lintContent({
      headers: [h('Subject', 'ACT NOW: YOUR PRIZE')],
      html: '<html><body><a href="https://bit.ly/abc"><img src="cid:1"></a><p>Congratulations, click here!</p></body></html>',
      text: '',
      fromDomain: 'example.com',
      returnPathDomain: 'bounce.example.com',
      dkimDomains: ['example.com']
    }).map((f) => f.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'content.url-shortener',
        'content.image-only',
        'content.no-text-part',
        'content.spammy-phrases',
        'content.subject-caps'
      ])
    )
    expect(ids.some((i) => i.includes('aligned'))).toBe(false)
  })

  it('checks alignment by organisational domain', () => {
    const base = { headers: [], text: 'Hello, here is the report you asked for.' }
    expect(
      lintContent({
        ...base,
        fromDomain: 'news.example.co.uk',
        returnPathDomain: 'bounces.esp.example',
        dkimDomains: ['esp.example']
      }).map((f) => f.id)
    ).toContain('content.dmarc-unaligned')
    expect(
      lintContent({
        ...base,
        fromDomain: 'example.com',
        returnPathDomain: 'mail.example.com',
        dkimDomains: []
      }).map((f) => f.id)
    ).toContain('content.dkim-unaligned')
    expect(
      lintContent({
        ...base,
        fromDomain: 'example.com',
        returnPathDomain: 'sendgrid.net',
        dkimDomains: ['example.com']
      }).map((f) => f.id)
    ).toEqual(['content.spf-unaligned'])
  })

  it('requires one-click unsubscribe from bulk senders', () => {
    const text = 'Our monthly product news with several updates for you to read.'
    expect(
      lintContent({ headers: [h('Precedence', 'bulk')], text, bulk: undefined }).map((f) => f.id)
    ).toContain('content.list-unsubscribe-missing')
    const partial = lintContent({
      headers: [
        h('List-Unsubscribe', '<mailto:unsub@example.com>'),
        h('DKIM-Signature', 'v=1; a=rsa-sha256; d=example.com; s=s1; h=from:to:subject; bh=x; b=y')
      ],
      text
    }).map((f) => f.id)
    expect(partial).toEqual(
      expect.arrayContaining([
        'content.list-unsubscribe-no-https',
        'content.one-click-missing',
        'content.list-unsubscribe-unsigned'
      ])
    )
    const good = lintContent({
      headers: [
        h('List-Unsubscribe', '<https://example.com/u/123>, <mailto:unsub@example.com>'),
        h('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'),
        h(
          'DKIM-Signature',
          'v=1; a=rsa-sha256; d=example.com; s=s1; h=from:to:subject:list-unsubscribe:list-unsubscribe-post; bh=x; b=y'
        )
      ],
      text,
      fromDomain: 'example.com',
      returnPathDomain: 'example.com',
      dkimDomains: ['example.com']
    })
    expect(good).toEqual([])
  })
})
