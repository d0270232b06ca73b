import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type DnsTestServer } from '../../../test/support/dns-server'
import { SENDING_IP, signedNewsletter } from '../../../test/support/precheck-fixtures'
import { startBackend, type Backend } from '../host/backend'
import { createBlocklistHandlers } from './blocklist'
import { createRepos } from './context'
import { createHygieneHandlers } from './hygiene-service'
import { createPrecheckHandlers } from './precheck-service'
import type { SpamAssassinRunner } from './spamassassin'

/**
 * The pre-send check's use-case with a SpamAssassin that only finishes when stopped, so cancelling is tested
 * without timing: real SQLite, real loopback DNS, the real blocklist and hygiene services.
 */
describe('precheck service', () => {
  let dns: DnsTestServer
  let backend: Backend
  let dir: string
  let eml: string
  beforeAll(async () => {
    const f = await signedNewsletter()
    eml = f.eml
    dns = await startDnsServer({ zones: f.zones })
    dir = mkdtempSync(join(tmpdir(), 'dd-pre-svc-'))
    backend = startBackend({ dataDir: dir, host: 'web', recheck: false })
  })
  afterAll(async () => {
    backend.close()
    await dns.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('cancel stops SpamAssassin and the run ends as CANCELLED', async () => {
    const ctx = backend.ctx
    const repos = createRepos(ctx.db, ctx.now)
    let started!: () => void
    const running = new Promise<void>((r) => (started = r))
    const hanging: SpamAssassinRunner = {
      run: (_bytes, signal) =>
        new Promise((resolve) => {
          started()
          signal?.addEventListener('abort', () =>
            resolve({ status: 'error', reason: { code: 'precheck:sa.cancelled' }, rules: [] })
          )
        })
    }
    const h = createPrecheckHandlers(ctx, repos, {
      blocklist: createBlocklistHandlers(ctx, repos),
      hygiene: createHygieneHandlers(ctx, repos, { open: async () => ({ caseId: 0, evidence: 0 }) }),
      spamassassin: hanging
    })
    const file = { name: 'n.eml', base64: Buffer.from(eml).toString('base64') }
    const run = h['precheck.run']({ file, ip: SENDING_IP, resolver: dns.address, taskId: 't1' })
    await running
    expect(await h['precheck.cancel']({ taskId: 't1' })).toEqual({ cancelled: true })
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(await h['precheck.cancel']({ taskId: 't1' })).toEqual({ cancelled: false })
  })
})
