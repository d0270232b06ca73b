/**
 * Evaluate bounce parsing against sisimai's labelled corpus.
 *   npx tsx scripts/eval-bounces.ts ../shared/corpus/sisimai [--verbose] [--module Postfix]
 * Reads expected.tsv (one row per bounced recipient; see the corpus README) and prints agreement on reason,
 * on real status codes (status_is_pseudo=0 rows) and on reply codes, a confusion table and a per-module table.
 * DISPUTED lists rows where we believe sisimai's label is wrong, with the argument; they are printed, still
 * counted as mismatches, so the figures stay honest.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseBounce } from '../src/main/core/bounce'
import { parseMessage } from '../src/main/core/mime'

interface Row {
  path: string
  idx: number
  reason: string
  status: string
  pseudo: boolean
  reply: string
  feedbackType: string
  module: string
}

const DISPUTED: Record<string, string> = {
  'maildir/bsd/rfc3464-01.eml#1':
    'Status: 5.1.1 (RFC 3463 "bad destination mailbox address") and "550 5.1.1 <rcpt>... User Unknown"; nothing in ' +
    'the message mentions a full mailbox or quota, so userunknown is the only reading the evidence supports.'
}

async function main(): Promise<void> {
  const root = process.argv[2] ?? '../shared/corpus/sisimai'
  const verbose = process.argv.includes('--verbose')
  const modFilter = process.argv.includes('--module')
    ? process.argv[process.argv.indexOf('--module') + 1]
    : ''
  const rows: Row[] = readFileSync(join(root, 'expected.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map((c) => ({
      path: c[0],
      idx: Number(c[1]),
      reason: c[2],
      status: c[3],
      pseudo: c[4] === '1',
      reply: c[5],
      feedbackType: c[7],
      module: c[8]
    }))
  const byPath = new Map<string, Row[]>()
  for (const r of rows) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r])

  let reasonOk = 0
  let statusOk = 0
  let statusN = 0
  let replyOk = 0
  let replyNonEmptyOk = 0
  let replyNonEmptyN = 0
  const confusion = new Map<string, number>()
  const perModule = new Map<
    string,
    { n: number; reason: number; status: number; statusN: number; reply: number }
  >()
  const mismatches: string[] = []
  const disputed: string[] = []

  for (const [path, list] of byPath) {
    const msg = await parseMessage(readFileSync(join(root, 'emails', path)))
    const res = parseBounce(msg)
    for (const row of list) {
      const got = res.recipients[row.idx - 1]
      const gotReason = got?.reason ?? '(none)'
      const gotStatus = got?.status ?? ''
      const gotReply = got?.replyCode ?? ''
      const m = perModule.get(row.module) ?? { n: 0, reason: 0, status: 0, statusN: 0, reply: 0 }
      m.n++
      const rOk = gotReason === row.reason
      if (rOk) {
        reasonOk++
        m.reason++
      } else {
        const k = `${row.reason} -> ${gotReason}`
        confusion.set(k, (confusion.get(k) ?? 0) + 1)
        const id = `${path}#${row.idx}`
        if (DISPUTED[id]) disputed.push(`${id}: sisimai=${row.reason} ours=${gotReason} — ${DISPUTED[id]}`)
      }
      let sOk = true
      if (!row.pseudo && row.status) {
        statusN++
        m.statusN++
        sOk = gotStatus === row.status
        if (sOk) {
          statusOk++
          m.status++
        }
      }
      const pOk = gotReply === row.reply
      if (pOk) {
        replyOk++
        m.reply++
      }
      if (row.reply) {
        replyNonEmptyN++
        if (pOk) replyNonEmptyOk++
      }
      perModule.set(row.module, m)
      if ((!rOk || !sOk || !pOk) && (!modFilter || modFilter === row.module)) {
        mismatches.push(
          `${path}#${row.idx} [${row.module}] reason ${row.reason}/${gotReason} status ${row.status}${row.pseudo ? '(pseudo)' : ''}/${gotStatus} reply ${row.reply}/${gotReply}` +
            (verbose
              ? `\n    rcpt=${got?.recipient ?? ''} cmd=${got?.command ?? ''} fmt=${res.format} diag=${(got?.diagnosticCode ?? '').slice(0, 300)}`
              : '')
        )
      }
    }
  }
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)}% (${a}/${b})`
  console.log(`rows: ${rows.length}, messages: ${byPath.size}`)
  console.log(`reason agreement:            ${pct(reasonOk, rows.length)}   target >= 95%`)
  console.log(`status agreement (real):     ${pct(statusOk, statusN)}   target >= 98%`)
  console.log(`reply code agreement (all):  ${pct(replyOk, rows.length)}   target >= 95%`)
  console.log(`reply code (non-empty only): ${pct(replyNonEmptyOk, replyNonEmptyN)}`)
  console.log('\nreason confusion (expected -> ours):')
  for (const [k, v] of [...confusion].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(v).padStart(3)}  ${k}`)
  console.log('\nper module:  module  rows  reason  status  reply')
  for (const [k, v] of [...perModule].sort((a, b) => b[1].n - a[1].n)) {
    console.log(
      `  ${k.padEnd(16)} ${String(v.n).padStart(3)}  ${pct(v.reason, v.n).padEnd(16)} ${pct(v.status, v.statusN).padEnd(16)} ${pct(v.reply, v.n)}`
    )
  }
  if (disputed.length) {
    console.log('\nDisputed sisimai labels (counted as mismatches):')
    for (const d of disputed) console.log('  ' + d)
  }
  if (verbose || modFilter) {
    console.log('\nmismatches:')
    for (const m of mismatches) console.log('  ' + m)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
