import { join } from 'node:path'
import { expect, ROOT, test } from './fixtures'
import { AppPage } from './pages/app-page'
import { DiagnosePage } from './pages/diagnose-page'
import { WorkflowPage } from './pages/workflow-page'

const DATA = join(ROOT, 'e2e/data')
// The receiver's side of this bounce: Google's mailer-daemon, its MX and the MX's address.
const RECEIVER = ['googlemail.com', 'google.com', 'gmail-smtp-in.l.google.com', '2001:db8::1b']
const SENDER_IP = '192.0.2.77'

test("who is who: the verdict card shows both parties, and fixes, sweep targets and letters use only the sender's", async ({
  app
}) => {
  const page = app.page
  await app.useDns({ 'shop.example': { TXT: ['v=spf1 -all'] } })
  const ui = new AppPage(page)
  const d = new DiagnosePage(page)
  await ui.newCase()
  await ui.dropFiles([join(DATA, 'parties-receiver-daemon.eml')])

  await expect(d.verdict).toBeVisible()
  const parties = page.getByTestId('verdict-parties')
  await expect(parties.getByTestId('parties-sender')).toContainText(SENDER_IP)
  await expect(parties.getByTestId('parties-receiver')).toContainText('gmail-smtp-in.l.google.com')
  await expect(parties.getByTestId('parties-receiver')).toContainText('2001:db8::1b')
  for (const r of RECEIVER) await expect(parties.getByTestId('parties-sender')).not.toContainText(r)

  const caseId = Number(/cases\/(\d+)/.exec(page.url())?.[1])
  // Sweep targets: ours only.
  const targets = await app.api<{ targets: { value: string }[] }>('blocklist.caseTargets', { caseId })
  const values = targets.targets.map((t) => t.value)
  expect(values).toContain(SENDER_IP)
  for (const r of RECEIVER) expect(values).not.toContain(r)
  // The fix generators' prefill (SPF builder, relay fix, rDNS letter): ours only.
  const prefill = await app.api<{ ips: string[]; domain: string | null; helo: string | null }>(
    'fix.prefill',
    {
      caseId
    }
  )
  expect(prefill.ips).toEqual([SENDER_IP])
  expect(prefill.domain).toBe('shop.example')
  expect(prefill.helo).toBe('mail.shop.example')

  // The SPF builder a user opens authorises the sender's IP, never the receiver's MX.
  const wf = new WorkflowPage(page)
  await wf.openStep('fix')
  await page.getByTestId('gen-spf').click()
  await page.getByTestId('gen-spf-run').click()
  const spf = await wf.snippetRecord('spf-record')
  expect(spf).toContain(`ip4:${SENDER_IP}`)
  for (const r of RECEIVER) expect(spf).not.toContain(r)

  // The reverse-DNS request letter names the sender's IP.
  await page.getByTestId('gen-rdns').click()
  await page.getByTestId('gen-rdns-run').click()
  const letter = page.getByTestId('fix-result')
  await expect(letter).toContainText(SENDER_IP)
  for (const r of RECEIVER) await expect(letter).not.toContainText(r)
})
