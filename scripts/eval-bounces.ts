/**
 * Evaluate the bounce engine against every labelled bounce corpus, through the same pipeline the CLI's
 * `analyze --json` runs (`analyzeFile`: sniff, split, parse, classify), so the figures are what a user gets.
 *
 *   npx tsx scripts/eval-bounces.ts [CORPUS_ROOT=../shared/corpus] [--verbose] [--module Postfix] [--set NAME]
 *
 * Sets (see the corpus README):
 * - `sisimai/expected.tsv`: one row per bounced recipient; reason, real status (status_is_pseudo=0 rows), reply
 *   code, the number of recipients and permanence (the class of sisimai's status: 5 = permanent, 4 = temporary).
 * - `crisp-bounce/expected.tsv`, `bounce-email/expected.tsv`: one row per file; bounce or not, the recipient set,
 *   permanence, and for bounce-email the asserted status code (`code=` in the category column).
 *
 * Every figure is printed with its numerator and denominator. DISPUTED lists rows where we believe the label is
 * wrong, with the argument; they are still counted as mismatches, so the figures stay honest.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Analysis } from '../src/shared/schemas/analysis'
import type { BounceRecipient } from '../src/shared/schemas/bounce'
import { analyzeFile } from '../src/main/core/diagnose'

const DISPUTED: Record<string, string> = {
  'sisimai:maildir/bsd/rfc3464-01.eml#1':
    'Status: 5.1.1 (RFC 3463 "bad destination mailbox address") and "550 5.1.1 <rcpt>... User Unknown"; nothing in ' +
    'the message mentions a full mailbox or quota, so userunknown is the only reading the evidence supports.'
}

const args = process.argv.slice(2)
const flag = (n: string): string | undefined => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined)
const verbose = args.includes('--verbose')
const modFilter = flag('--module') ?? ''
const setFilter = flag('--set') ?? ''
const root = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/corpus'

interface Score {
  ok: number
  n: number
}
const score = (): Score => ({ ok: 0, n: 0 })
const tally = (s: Score, ok: boolean): void => {
  s.n++
  if (ok) s.ok++
}
const pct = (s: Score): string => (s.n === 0 ? '—' : `${((100 * s.ok) / s.n).toFixed(1)}% (${s.ok}/${s.n})`)

function readTsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter(Boolean)
  const cols = head.split('\t')
  return lines.map((l) => {
    const c = l.split('\t')
    return Object.fromEntries(cols.map((k, i) => [k, c[i] ?? '']))
  })
}

async function analyse(path: string): Promise<Analysis> {
  const items = await analyzeFile(new Uint8Array(readFileSync(path)), path)
  return items[0].analysis
}

/** The recipients the engine says failed (delivered/relayed/expanded rows of a DSN are not failures). */
function failed(a: Analysis): BounceRecipient[] {
  return (a.bounce?.recipients ?? []).filter(
    (r) => !['delivered', 'relayed', 'expanded'].includes(r.action ?? '') && r.recipient
  )
}

const isBounceKind = (a: Analysis): boolean => a.kind === 'bounce' || a.kind === 'smtp-text'
const sameSet = (a: string[], b: string[]): boolean => {
  const x = new Set(a.map((s) => s.toLowerCase()))
  const y = new Set(b.map((s) => s.toLowerCase()))
  return x.size === y.size && [...x].every((v) => y.has(v))
}

interface SetResult {
  name: string
  files: number
  reason: Score
  status: Score
  reply: Score
  recipients: Score
  permanence: Score
  permanenceStated: Score
  isBounce: Score
  mismatches: string[]
  extra?: () => void
}

async function evalSisimai(dir: string): Promise<SetResult> {
  const rows = readTsv(join(dir, 'expected.tsv'))
  const byPath = new Map<string, Record<string, string>[]>()
  for (const r of rows) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r])
  const res: SetResult = {
    name: 'sisimai',
    files: byPath.size,
    reason: score(),
    status: score(),
    reply: score(),
    recipients: score(),
    permanence: score(),
    permanenceStated: score(),
    isBounce: score(),
    mismatches: []
  }
  const confusion = new Map<string, number>()
  const perModule = new Map<string, { n: number; reason: number }>()
  const disputed: string[] = []
  for (const [path, list] of byPath) {
    const a = await analyse(join(dir, 'emails', path))
    const got = a.bounce?.recipients ?? []
    const feedbackOrVacation = list.every((r) => r.reason === 'feedback' || r.reason === 'vacation')
    tally(res.isBounce, feedbackOrVacation || isBounceKind(a))
    // the labels carry no address, only one row per bounced recipient: count the recipients found
    tally(res.recipients, got.length === list.length)
    for (const row of list) {
      const g = got[Number(row.recipient_index) - 1]
      const m = perModule.get(row.module) ?? { n: 0, reason: 0 }
      m.n++
      const rOk = (g?.reason ?? '(none)') === row.reason
      tally(res.reason, rOk)
      if (rOk) m.reason++
      else {
        const k = `${row.reason} -> ${g?.reason ?? '(none)'}`
        confusion.set(k, (confusion.get(k) ?? 0) + 1)
        const id = `sisimai:${path}#${row.recipient_index}`
        if (DISPUTED[id]) disputed.push(`${id}: label=${row.reason} ours=${g?.reason} — ${DISPUTED[id]}`)
      }
      let sOk = true
      if (row.status_is_pseudo === '0' && row.status) {
        sOk = g?.status === row.status
        tally(res.status, sOk)
      }
      const pOk = (g?.replyCode ?? '') === row.replycode
      tally(res.reply, pOk)
      // a real status class says permanent (5) or temporary (4); sisimai's pseudo codes (x.0.9xx) default to class 5
      // whatever the bounce said, so they are no label for permanence; feedback/vacation rows carry none
      if (/^[45]/.test(row.status) && row.status_is_pseudo === '0') {
        const want = row.status.startsWith('5') ? 'permanent' : 'temporary'
        tally(res.permanenceStated, !!g?.permanence)
        tally(res.permanence, g?.permanence === want)
        if (g?.permanence && g.permanence !== want && (!modFilter || modFilter === row.module))
          res.mismatches.push(
            `${path}#${row.recipient_index} [${row.module}] permanence ${want}/${g.permanence} (${row.status} ${g.status ?? ''} ${g.action ?? ''} ${g.replyCode ?? ''})`
          )
      }
      perModule.set(row.module, m)
      if ((!rOk || !sOk || !pOk) && (!modFilter || modFilter === row.module))
        res.mismatches.push(
          `${path}#${row.recipient_index} [${row.module}] reason ${row.reason}/${g?.reason} status ${row.status}${row.status_is_pseudo === '1' ? '(pseudo)' : ''}/${g?.status ?? ''} reply ${row.replycode}/${g?.replyCode ?? ''}` +
            (verbose
              ? `\n    rcpt=${g?.recipient ?? ''} diag=${(g?.diagnosticCode ?? '').slice(0, 300)}`
              : '')
        )
    }
  }
  res.extra = () => {
    console.log('\nsisimai reason confusion (label -> ours):')
    for (const [k, v] of [...confusion].sort((x, y) => y[1] - x[1]))
      console.log(`  ${String(v).padStart(3)}  ${k}`)
    if (verbose) {
      console.log('\nsisimai per module:  module  rows  reason')
      for (const [k, v] of [...perModule].sort((x, y) => y[1].n - x[1].n))
        console.log(`  ${k.padEnd(16)} ${String(v.n).padStart(3)}  ${pct({ ok: v.reason, n: v.n })}`)
    }
    if (disputed.length) {
      console.log('\nDisputed labels (counted as mismatches):')
      for (const d of disputed) console.log('  ' + d)
    }
  }
  return res
}

/** crisp-bounce / bounce-email: one row per file with is_bounce, recipients, permanence (corpus README). */
async function evalFileSet(name: string, dir: string): Promise<SetResult> {
  const rows = readTsv(join(dir, 'expected.tsv'))
  const res: SetResult = {
    name,
    files: rows.length,
    reason: score(),
    status: score(),
    reply: score(),
    recipients: score(),
    permanence: score(),
    permanenceStated: score(),
    isBounce: score(),
    mismatches: []
  }
  for (const row of rows) {
    const a = await analyse(join(dir, row.file))
    const f = failed(a)
    const problems: string[] = []
    if (row.is_bounce !== '') {
      const ok = (row.is_bounce === '1') === isBounceKind(a)
      tally(res.isBounce, ok)
      if (!ok) problems.push(`bounce ${row.is_bounce}/${a.kind}`)
    }
    const want = row.recipients.split(' ').filter(Boolean)
    if (want.length) {
      const ok = sameSet(
        f.map((r) => r.recipient),
        want
      )
      tally(res.recipients, ok)
      if (!ok) problems.push(`rcpt [${want.join(' ')}]/[${f.map((r) => r.recipient).join(' ')}]`)
    }
    if (row.permanence) {
      const got = f.map((r) => r.permanence)
      tally(res.permanenceStated, got.length > 0 && got.every(Boolean))
      const ok = got.length > 0 && got.every((p) => p === row.permanence)
      tally(res.permanence, ok)
      if (!ok) problems.push(`perm ${row.permanence}/${got.join(',') || '(none)'}`)
    }
    const code = /(?:^|;)code=([245]\.\d{1,3}\.\d{1,3})/.exec(row.category)?.[1]
    if (code) {
      const ok = f.some((r) => r.status === code)
      tally(res.status, ok)
      if (!ok) problems.push(`status ${code}/${f.map((r) => r.status ?? '').join(',')}`)
    }
    if (problems.length)
      res.mismatches.push(
        `${row.file}: ${problems.join('; ')}` +
          (verbose ? `\n    ${(f[0]?.diagnosticCode ?? '').slice(0, 240)}` : '')
      )
  }
  return res
}

async function main(): Promise<void> {
  const results: SetResult[] = []
  const sets: [string, () => Promise<SetResult>][] = [
    ['sisimai', () => evalSisimai(join(root, 'sisimai'))],
    ['crisp-bounce', () => evalFileSet('crisp-bounce', join(root, 'crisp-bounce'))],
    ['bounce-email', () => evalFileSet('bounce-email', join(root, 'bounce-email'))]
  ]
  for (const [name, run] of sets) {
    if (setFilter && setFilter !== name) continue
    if (!existsSync(join(root, name, 'expected.tsv'))) {
      console.log(`${name}: not found under ${root}, skipped`)
      continue
    }
    results.push(await run())
  }
  const cols: [string, (r: SetResult) => string][] = [
    ['set', (r) => `${r.name} (${r.files} files)`],
    ['reason', (r) => pct(r.reason)],
    ['status', (r) => pct(r.status)],
    ['reply code', (r) => pct(r.reply)],
    ['recipients (exact set)', (r) => pct(r.recipients)],
    ['permanence stated', (r) => pct(r.permanenceStated)],
    ['permanence right', (r) => pct(r.permanence)],
    ['bounce or not', (r) => pct(r.isBounce)]
  ]
  console.log(`| ${cols.map((c) => c[0]).join(' | ')} |`)
  console.log(`|${cols.map(() => '---').join('|')}|`)
  for (const r of results) console.log(`| ${cols.map((c) => c[1](r)).join(' | ')} |`)
  for (const r of results) r.extra?.()
  if (verbose || modFilter)
    for (const r of results) {
      console.log(`\n${r.name} mismatches (${r.mismatches.length}):`)
      for (const m of r.mismatches) console.log('  ' + m)
    }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
