import { join } from 'node:path'
import { statSync } from 'node:fs'
import type { Handlers } from '../../shared/api'
import { backupDatabase } from '../db/open'
import { restoreDatabase, RestoreError } from '../db/restore'
import { decodeBase64 } from './cases-service'
import { createCaseHandlers } from './cases-service'
import { createRepos, type ServiceContext } from './context'
import { AppError } from '../../shared/result'
import { createDomainHandlers } from './domain-service'
import { createBlocklistHandlers } from './blocklist'
import { createWorkflowService } from './workflow'
import { createDiagnoseHandlers } from './diagnose-service'
import { createHygieneHandlers } from './hygiene-service'
import { createDmarcService } from './dmarc-service'
import { createPrecheckHandlers } from './precheck-service'
import { createSpamAssassin } from './spamassassin'
import { createWatchService } from './watch-service'

export type { ServiceContext } from './context'

/** All use-cases, checked against the contract with `satisfies` so a missing method is a compile error. */
export function createServices(ctx: ServiceContext): Handlers {
  const repos = createRepos(ctx.db, ctx.now)
  // Built once; its ingestBytes is what other report sources (a mailbox, issue 12) are given.
  const dmarc = createDmarcService(ctx, repos)
  /**
   * File paths are taken from the person at the terminal only. Over IPC or HTTP a path would let whatever holds
   * the channel read or write any file this user can; the UI uploads bytes and downloads results instead.
   */
  const cliOnlyPath = (path: string | undefined) => {
    if (path !== undefined && ctx.host !== 'cli') {
      throw new AppError('INVALID_INPUT', 'File paths are accepted from the command line only.')
    }
  }
  const caseHandlers = createCaseHandlers(ctx, repos)
  const hygiene = createHygieneHandlers(ctx, repos, {
    // "Open a case" from a cluster of sending problems goes through the same case use-cases as a drop.
    async open(title, files) {
      const c = await caseHandlers['cases.create']({ title, autoTitle: false })
      const added = files.length
        ? await caseHandlers['evidence.add']({
            caseId: c.id,
            files: files.map((f) => ({
              name: /\.(eml|msg)$/i.test(f.name) ? f.name : `${f.name}.eml`,
              size: f.bytes.byteLength,
              base64: Buffer.from(f.bytes).toString('base64')
            }))
          })
        : { added: [] }
      return { caseId: c.id, evidence: added.added.length }
    }
  })
  // Each area is built once: the workflow calls the same instances as the UI, so a scan Verify starts is the one
  // blocklist.cancel reaches, and its progress events are the ones the UI listens to.
  const diagnose = createDiagnoseHandlers(ctx, repos)
  const domain = createDomainHandlers(ctx, repos)
  const blocklist = createBlocklistHandlers(ctx, repos)
  const workflow = createWorkflowService(ctx, repos, {
    'domain.checkCase': domain['domain.checkCase'],
    'blocklist.scan': blocklist['blocklist.scan'],
    'blocklist.caseTargets': blocklist['blocklist.caseTargets'],
    'blocklist.catalogue': blocklist['blocklist.catalogue'],
    'delist.list': blocklist['delist.list'],
    'evidence.reverify': diagnose['evidence.reverify']
  })
  // The watchlist goes through these same instances (one self-test cache, one set of keys).
  const watch = createWatchService(ctx, repos, {
    ...blocklist,
    ...domain,
    ...dmarc.handlers,
    'cases.create': caseHandlers['cases.create']
  })
  return {
    'app.info': async () => ({
      version: ctx.version,
      host: ctx.host,
      dataDir: ctx.dataDir,
      dbFile: ctx.dbFile,
      platform: process.platform
    }),
    ...caseHandlers,
    ...hygiene,
    ...diagnose,
    ...domain,
    ...blocklist,
    ...workflow.handlers,
    ...dmarc.handlers,
    ...createPrecheckHandlers(ctx, repos, { blocklist, hygiene, spamassassin: createSpamAssassin() }),
    ...watch.handlers,
    'message.analyze': async ({ file }) => {
      const settings = repos.settings.get()
      const bytes = decodeBase64(file.base64, file.name, settings.maxFileMb)
      const items = await ctx.analyze(bytes, file.name, { settings })
      return { analyses: items.map((i) => i.analysis) }
    },
    'settings.get': async () => repos.settings.get(),
    'settings.set': async (patch) => repos.settings.set(patch),
    'db.backup': async ({ path }) => {
      cliOnlyPath(path)
      const stamp = ctx.now().toISOString().replace(/[:.]/g, '-')
      const dest = path ?? join(ctx.dataDir, 'backups', `delivery-desk-${stamp}.sqlite`)
      await backupDatabase(ctx.db, dest)
      return { path: dest, bytes: statSync(dest).size }
    },
    'db.restore': async ({ file, path }) => {
      cliOnlyPath(path)
      const stamp = ctx.now().toISOString().replace(/[:.]/g, '-')
      const safetyBackup = join(ctx.dataDir, 'backups', `before-restore-${stamp}.sqlite`)
      try {
        const bytes = file ? decodeBase64(file.base64, file.name) : undefined
        const { cases } = await restoreDatabase(ctx.db, ctx.dbFile, { bytes, path }, safetyBackup)
        ctx.emit('toast', { level: 'success', title: 'Backup restored', message: `${cases} cases restored.` })
        return { safetyBackup, cases }
      } catch (e) {
        if (e instanceof RestoreError) throw new AppError('INVALID_INPUT', e.message)
        throw e
      }
    }
  } satisfies Handlers
}
