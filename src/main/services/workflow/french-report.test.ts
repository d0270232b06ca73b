import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../../test/support/dns-server'
import { brokenZones } from '../../core/findings/__fixtures__/wf-zones'
import { RELAY_LISTING, relayZones } from '../../core/findings/__fixtures__/relay-zones'
import type { Zones } from '../../core/dns/zone'
import { tempBackend } from '../../host/test-backend'

const DATA = join(__dirname, '../../../../e2e/data')

/**
 * French reports say everything in French except what they quote (issue 10): no English sentence outside quoted
 * evidence. Quoted data is removed first — the evidence table (file names, subjects, senders), code, « quotes »,
 * URLs and addresses — then common English function words must be absent.
 */
const ENGLISH = /\b(the|is|was|were|not|could|with|your|has|have|been|which|should|this|from|found|then|to)\b/

function outsideQuotes(md: string): string {
  return md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .split('\n')
    .filter((l) => !l.startsWith('|')) // the evidence table: file names, subjects and senders as received
    .join('\n')
    .replace(/« [^»]* »/g, ' ') // the receiver's own words (header comments), quoted as received
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ')
}

describe('French reports', () => {
  let dns: DnsTestServer | undefined
  let close: () => void = () => undefined
  afterEach(async () => {
    close()
    await dns?.close()
    dns = undefined
  })

  async function exported(zones: Zones, file: string, after?: (dns: DnsTestServer) => void) {
    const server = await startDnsServer({ zones })
    dns = server
    const b = tempBackend('web')
    close = () => b.close()
    const api = async (m: string, i: unknown): Promise<any> => {
      const r = await b.dispatch(m as never, i as never)
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`)
      return r.data
    }
    await api('settings.set', { resolver: server.address, dnsTimeoutMs: 300 })
    const c = await api('cases.create', { title: 'Dossier' })
    const bytes = readFileSync(join(DATA, file))
    await api('evidence.add', {
      caseId: c.id,
      files: [{ name: file, size: bytes.length, base64: bytes.toString('base64') }]
    })
    await api('workflow.verify', { caseId: c.id })
    await api('fix.generate', {
      caseId: c.id,
      kind: 'content-lint',
      input: {}
    })
    if (after) {
      after(server)
      await api('workflow.verify', { caseId: c.id })
      await api('workflow.verify', { caseId: c.id })
    }
    const out: Record<string, string> = {}
    for (const variant of ['full', 'operator'])
      out[variant] = Buffer.from(
        (await api('report.export', { caseId: c.id, format: 'md', variant, language: 'fr' })).base64,
        'base64'
      ).toString('utf8')
    return out
  }

  const englishLines = (md: string) =>
    outsideQuotes(md)
      .split('\n')
      .filter((l) => ENGLISH.test(l))

  it('a blocklisted relay, before and after the delisting: full report and operator letter', async () => {
    const before = await exported(relayZones(), 'relay-listed.eml')
    expect(before.full).toContain('## Couverture')
    expect(englishLines(before.full)).toEqual([])
    expect(englishLines(before.operator)).toEqual([])
  })

  it('the same once the listing is gone for two checks', async () => {
    const after = await exported(relayZones(), 'relay-listed.eml', (d) => d.deleteName(RELAY_LISTING))
    expect(englishLines(after.full)).toEqual([])
    expect(englishLines(after.operator)).toEqual([])
  })

  it('a Microsoft S3150 rejection with failing SPF, DKIM and DMARC', async () => {
    const r = await exported(brokenZones(), 'wf-s3150-dmarc.eml')
    expect(englishLines(r.full)).toEqual([])
    expect(englishLines(r.operator)).toEqual([])
  })

  it('a case named after its first verdict is named in the language the admin reads', async () => {
    const b = tempBackend('web')
    close = () => b.close()
    await b.dispatch('settings.set', { language: 'fr' })
    const c = (await b.dispatch('cases.create', { title: 'Nouveau dossier', autoTitle: true })) as any
    const bytes = readFileSync(join(DATA, 'relay-listed.eml'))
    await b.dispatch('evidence.add', {
      caseId: c.data.id,
      files: [{ name: 'b.eml', size: bytes.length, base64: bytes.toString('base64') }]
    })
    const d = (await b.dispatch('cases.get', { id: c.data.id })) as any
    expect(d.data.case.title).toBe(
      "L'IP d'envoi est sur une liste de blocage Spamhaus (ZEN : SBL, CSS, XBL, PBL) — acme-widgets.example"
    )
  })

  it('can fail: an English report is caught', async () => {
    const r = await exported(relayZones(), 'relay-listed.eml')
    expect(englishLines(r.full.replace('## Couverture', 'The lists could not be checked'))).not.toEqual([])
  })
})
