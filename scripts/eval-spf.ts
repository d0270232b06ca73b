/**
 * eval:spf — run the RFC 7208 / RFC 4408 / pyspf SPF test suites through the app's SPF path (evaluateSpf →
 * mailauth over createDnsClient) with each scenario's zone served by the loopback DNS server. Every scenario
 * counts except those needing features mailauth does not support (UNSUPPORTED below, each with its reason).
 *
 * Usage: npx tsx scripts/eval-spf.ts ../shared/corpus/auth/spf [--verbose]
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startDnsServer } from '../test/support/dns-server'
import { createCachingClient } from '../src/main/core/dns/caching'
import { createDnsClient } from '../src/main/adapters/dns/resolver'
import { evaluateSpf } from '../src/main/core/domain/spf-evaluate'
import type { ZoneEntry, Zones } from '../src/main/core/dns/zone'

interface SuiteTest {
  description?: string
  helo: string
  host: string
  mailfrom: string
  result: string | string[]
  explanation?: string
}
interface Scenario {
  description: string
  tests: Record<string, SuiteTest>
  zonedata?: Record<string, (string | Record<string, unknown>)[]>
}

/**
 * Features mailauth 4.13 documents (or demonstrably has) as unsupported; these tests are reported but not
 * counted against the target. Keyed "<file>:<test>" → reason.
 */
const MACROS = 'mailauth README "Testing": "Some macro tests are skipped"'
const AFTER_MATCH =
  'mailauth README "Testing": "Some tests are skipped where the invalid component is after a matching part" (it stops parsing at the deciding term)'
const UNSUPPORTED_BY_TEST: Record<string, string> = {
  'exp-only-macro-char': MACROS + ' (c/r/t outside exp= are not rejected)',
  'p-macro-multiple': MACROS + ' (%{p} validated-domain macro is not implemented)',
  'invalid-hello-macro': MACROS + ' (an invalid %{h} expansion is a permerror instead of a no-match)',
  'hello-domain-literal': MACROS + ' (a domain-literal %{h} is a permerror instead of a no-match)',
  'require-valid-helo': MACROS + ' (an invalid %{h} expansion is a permerror instead of a no-match)',
  'bare-ip6': AFTER_MATCH,
  'exp-syntax-error': AFTER_MATCH + '; exp= is not validated',
  'exp-twice': AFTER_MATCH + '; exp= is not validated',
  'default-modifier': "pyspf's non-RFC lax-mode `default=` modifier",
  'default-modifier-harsh': "pyspf's non-RFC lax-mode `default=` modifier and its non-RFC 'ambiguous' result"
}
const UNSUPPORTED: Record<string, string> = {}
for (const file of ['rfc7208-tests', 'rfc4408-tests', 'pyspf-test'])
  for (const [t, why] of Object.entries(UNSUPPORTED_BY_TEST)) UNSUPPORTED[`${file}:${t}`] = why

/**
 * Known causes of failures that are ours, not mailauth's (none are excluded). Names outside c-ares' host-name
 * character set (a-colon-domain, mx-colon-domain, macro-mania-in-domain, invalid-domain-long-via-macro) used to
 * fail here with EBADNAME → temperror; createDnsClient now sends them itself (src/main/core/dns/wire-query.ts).
 */
function causeOf(detail: string): string {
  if (/EBADNAME/.test(detail))
    return 'cause: the resolver could not send this query name (EBADNAME); see src/main/core/dns/wire-query.ts'
  if (/ETIMEOUT/.test(detail)) return 'cause: a lookup timed out (the scenario has no TIMEOUT there?)'
  return 'cause: see detail'
}

/** Scenario zonedata → our declarative zones. */
function toZones(zonedata: Scenario['zonedata']): Zones {
  const zones: Zones = {}
  for (const [rawName, rrs] of Object.entries(zonedata ?? {})) {
    const name = rawName.toLowerCase().replace(/\.$/, '')
    const e: ZoneEntry = (zones[name] ??= {})
    for (const rr of rrs) {
      if (rr === 'TIMEOUT') {
        e.behaviour = 'timeout'
        continue
      }
      const [type, value] = Object.entries(rr as Record<string, unknown>)[0]
      const txt = (v: unknown): string | string[] => (Array.isArray(v) ? v.map(String) : String(v))
      switch (type) {
        case 'A':
          ;(e.A ??= []).push(...(Array.isArray(value) ? value.map(String) : [String(value)]))
          break
        case 'AAAA':
          ;(e.AAAA ??= []).push(...(Array.isArray(value) ? value.map(String) : [String(value)]))
          break
        case 'MX': {
          const [prio, exchange] = value as [string | number, string]
          ;(e.MX ??= []).push({ priority: Number(prio), exchange: String(exchange) })
          break
        }
        case 'PTR':
          ;(e.PTR ??= []).push(String(value))
          break
        case 'CNAME':
          e.CNAME = String(value)
          break
        case 'TXT':
          // "NONE" is the suites' placeholder for "no TXT record here" (it still blocks the SPF→TXT copy below).
          e.TXT ??= []
          if (value !== 'NONE') e.TXT.push(txt(value))
          break
        case 'SPF':
          ;(e.SPF ??= []).push(txt(value))
          break
        default:
          throw new Error(`unsupported zonedata type ${type} at ${rawName}`)
      }
    }
  }
  // The suites label most policies "SPF" but mean "the policy record" (rfc7208-tests.CHANGES, 2014.04): serve
  // them as TXT too unless the name has explicit TXT data, as pyspf's own harness does.
  for (const e of Object.values(zones))
    if (e.SPF && !e.TXT) e.TXT = e.SPF.filter((t) => (Array.isArray(t) ? t.length : true))
    else if (e.TXT && !e.TXT.length) delete e.TXT
  return zones
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '../shared/corpus/auth/spf'
  const verbose = process.argv.includes('--verbose')
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  const server = await startDnsServer()
  const base = createDnsClient({ servers: [server.address], timeoutMs: 250, tries: 1 })
  let total = 0
  let passed = 0
  const failures: string[] = []
  const excluded: string[] = []
  const started = Date.now()
  try {
    for (const file of files) {
      const suite = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario[]
      let fileTotal = 0
      let filePassed = 0
      for (const scenario of suite) {
        server.setZones(toZones(scenario.zonedata))
        for (const [name, t] of Object.entries(scenario.tests)) {
          const key = `${file.replace(/\.json$/, '')}:${name}`
          const expected = Array.isArray(t.result) ? t.result : [t.result]
          // RFC 7208 §2.3/§2.4: empty MAIL FROM → check the HELO identity as postmaster@helo.
          const sender = t.mailfrom ? t.mailfrom : `postmaster@${t.helo}`
          const at = sender.lastIndexOf('@')
          const domain = at >= 0 ? sender.slice(at + 1) : sender
          const client = createCachingClient(base)
          let got: string
          let detail = ''
          try {
            const ev = await evaluateSpf({ domain, ip: t.host, client, sender, helo: t.helo })
            got = ev.result
            detail = ev.comment
          } catch (err) {
            got = 'exception'
            detail = String(err)
          }
          const ok = expected.includes(got)
          if (UNSUPPORTED[key] && !ok) {
            excluded.push(`${key}: expected ${expected.join('|')}, got ${got} — ${UNSUPPORTED[key]}`)
            continue
          }
          total++
          fileTotal++
          if (ok) {
            passed++
            filePassed++
            if (verbose) console.log(`ok   ${key}`)
          } else {
            failures.push(
              `FAIL ${key} (${scenario.description}): expected ${expected.join('|')}, got ${got}\n     ${t.description ?? ''} ${detail}\n     ${causeOf(detail)}`
            )
          }
        }
      }
      console.log(`${file}: ${filePassed}/${fileTotal}`)
    }
  } finally {
    await server.close()
  }
  for (const f of failures) console.log(f)
  if (excluded.length) {
    console.log(`\nExcluded (mailauth does not support the feature):`)
    for (const e of excluded) console.log(`  ${e}`)
  }
  console.log(
    `\nSPF suite: ${passed}/${total} passed, ${excluded.length} excluded, ${((Date.now() - started) / 1000).toFixed(1)}s`
  )
  process.exitCode = failures.length ? 1 : 0
}

void main()
