import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, ROOT, test } from './fixtures'
import { startDovecot, type Dovecot } from '../test/support/dovecot'

/**
 * Sending health end to end: a real Maildir picked as a folder in the UI, then a real Dovecot mailbox (TLS from a
 * test CA) holding the same messages plus two more: the suppression list, the sending problems and the charts.
 */
const FIX = join(ROOT, 'src/main/core/bounce/fixtures')
const SAME = ['postfix-userunknown.eml', 'arf-abuse.eml', 'o365-authfailure.eml', 'exim-blocked.eml']
const MORE = ['qmail-userunknown.eml', 'gmail-mailboxfull.eml']

let dv: Dovecot | undefined
test.afterEach(async () => {
  await (dv as unknown as { [Symbol.asyncDispose]?(): Promise<void> })?.[Symbol.asyncDispose]?.()
  dv = undefined
})

test('the Sending health view reads a Maildir and a Dovecot mailbox without duplicates', async ({ app }) => {
  // Starting Dovecot, generating a test CA and a refused login (Dovecot delays failures) take a while.
  test.setTimeout(180_000)
  const page = app.page
  // A real Maildir on disk: cur/, new/, tmp/, Dovecot-style file names, and a file that is not mail.
  const md = join(mkdtempSync(join(tmpdir(), 'dd-e2e-md-')), 'Bounces')
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(md, d), { recursive: true })
  SAME.forEach((f, i) => copyFileSync(join(FIX, f), join(md, 'cur', `17000000${i}.M1P1.host:2,S`)))
  copyFileSync(join(ROOT, 'resources/locales/en/hygiene.json'), join(md, 'new', 'notes.json'))

  await page.getByTestId('nav-hygiene').click()
  await expect(page.getByTestId('hygiene-view')).toBeVisible()
  await page.getByTestId('hy-folder-input').setInputFiles(md)
  const summary = page.getByTestId('hy-summary')
  await expect(summary).toContainText('4 messages: 3 bounces, 1 complaints')
  await expect(page.getByTestId('hy-ingest-errors')).toContainText('notes.json: not an email message.')

  // The hard bounce and the complaint are suppressed; the blocked recipients are not (sending problems).
  const table = page.getByTestId('hy-suppressions')
  await expect(table.getByTestId('hy-row')).toHaveCount(2)
  await expect(table).toContainText('Hard')
  await expect(table).toContainText('Complaint')
  await expect(page.getByTestId('hy-cluster').first()).toContainText('refused')
  await expect(page.getByTestId('hy-chart-days')).toBeVisible()

  // The same messages and two more in a real IMAP mailbox.
  dv = await startDovecot()
  ;[...SAME, ...MORE].forEach((f, i) =>
    dv!.addMessage(`${1000 + i}.M2P2.test:2,`, readFileSync(join(FIX, f)))
  )
  const imap = page.getByTestId('hy-imap')
  await imap.getByLabel('Server').fill('127.0.0.1')
  await imap.getByLabel('Port').fill(String(dv.imapsPort))
  await imap.getByLabel('User').fill(dv.user)
  await imap.getByLabel('Password or token').fill('not the password')
  await page.getByTestId('hy-ca').fill(dv.caPem)
  await imap.getByRole('button', { name: 'Read the mailbox' }).click()
  await expect(page.getByTestId('hy-error')).toContainText(`the server refused the login for ${dv.user}`)

  await imap.getByLabel('Password or token').fill(dv.password)
  await imap.getByRole('button', { name: 'Read the mailbox' }).click()
  await expect(summary).toContainText('2 messages: 2 bounces')
  await expect(summary).toContainText('4 duplicates skipped')
  await expect(table.getByTestId('hy-row')).toHaveCount(3)
  await expect(page.getByTestId('hy-source-list')).toContainText(`imap://`)
  await expect(page.getByTestId('hy-source-list')).toContainText('up to UID 6')

  // Search and release with a note.
  await page.getByTestId('hy-search').fill('complaint-free-text-that-matches-nothing')
  await expect(table).toContainText('No address is suppressed.')
  await page.getByTestId('hy-search').fill('')
  await expect(table.getByTestId('hy-row')).toHaveCount(3)

  // Open a case from a cluster: the case gets the bounces as evidence.
  await page.getByTestId('hy-cluster').first().getByRole('button', { name: 'Open a case' }).click()
  await expect(page.getByTestId('case-workspace')).toBeVisible()
  await expect(page.getByTestId('evidence-item').first()).toBeVisible()
  await page.screenshot({ path: join(ROOT, 'test-results', 'hygiene-case.png') })
})
