import { text } from '../../shared/text'
import { renderText } from '../core/text/render'
import { readerLanguage } from './reader-language'
import { createHash } from 'node:crypto'
import type { FileError, Handlers } from '../../shared/api'
import { AppError } from '../../shared/result'
import type { EvidenceSummary } from '../../shared/schemas/case'
import type { AnalyzedItem, Repos, ServiceContext } from './context'

type CaseHandlers = Pick<
  Handlers,
  | 'cases.list'
  | 'cases.create'
  | 'cases.get'
  | 'cases.update'
  | 'cases.delete'
  | 'evidence.add'
  | 'evidence.get'
  | 'evidence.reanalyze'
  | 'evidence.delete'
  | 'notes.add'
  | 'notes.update'
  | 'notes.delete'
>

const notFound = (what: string, id: number) =>
  new AppError('NOT_FOUND', `${what} ${id} does not exist (it may have been deleted).`)

/** Base64 decoder that refuses garbage instead of silently dropping characters (Buffer.from is lenient). */
/** Characters that base64 takes for `bytes` bytes: 4 per 3, padded (RFC 4648 §4). */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3)
}

/**
 * Decodes an upload. With `maxFileMb`, the length is checked before decoding: a file over the limit is refused
 * without being turned into memory a second time.
 */
export function decodeBase64(b64: string, name: string, maxFileMb?: number): Uint8Array {
  const clean = b64.replace(/\s+/g, '')
  if (maxFileMb !== undefined && clean.length > base64Length(maxFileMb * 1048576)) {
    throw new AppError(
      'TOO_LARGE',
      `${name} is about ${((clean.length * 3) / 4 / 1048576).toFixed(1)} MB; the limit is ${maxFileMb} MB (Settings → Maximum file size).`
    )
  }
  if (clean.length % 4 === 1 || /[^A-Za-z0-9+/=_-]/.test(clean)) {
    throw new AppError('INVALID_INPUT', `${name}: the upload is not valid base64.`)
  }
  // A view, not `new Uint8Array(buffer)`, which would copy the whole file once more.
  const buf = Buffer.from(clean, 'base64')
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

export function createCaseHandlers(ctx: ServiceContext, repos: Repos): CaseHandlers {
  const mustCase = (id: number) => {
    const c = repos.cases.get(id)
    if (!c) throw notFound('Case', id)
    return c
  }

  /** Sending domain and IPs are derived from the evidence so the domain and blocklist checks know what to test. */
  function refreshSendingIdentity(caseId: number, items: AnalyzedItem[]) {
    const c = mustCase(caseId)
    const ips = new Set(c.sendingIps)
    let domain = c.sendingDomain
    for (const { analysis } of items) {
      if (analysis.sendingIp) ips.add(analysis.sendingIp)
      if (!domain && analysis.sendingDomain) domain = analysis.sendingDomain
    }
    const patch: Parameters<typeof repos.cases.update>[1] = {
      sendingIps: [...ips].slice(0, 50),
      sendingDomain: domain
    }
    // A placeholder title becomes the first verdict's title, so the case list reads like a list of problems.
    const verdict = c.autoTitle ? items.map((i) => i.analysis.verdict).find((v) => v?.title) : undefined
    if (verdict?.title) {
      const suffix = domain ? ` — ${domain}` : ''
      // The title is stored text the admin may edit: it is written in the language they read (Settings, else
      // the system's), from the verdict's Text.
      const lang = readerLanguage(repos.settings.get().language)
      const title = verdict.titleText ? renderText(lang, verdict.titleText) : verdict.title
      patch.title = `${title}${suffix}`.slice(0, 300)
      patch.autoTitle = false
    }
    repos.cases.update(caseId, patch)
  }

  return {
    'cases.list': async (i) => repos.cases.list(i),
    'cases.create': async (i) => {
      const c = repos.cases.create(i.title, i.autoTitle ?? false)
      repos.notes.event(c.id, text('timeline:case.opened', { title: i.title }))
      return c
    },
    'cases.get': async ({ id }) => ({
      case: mustCase(id),
      evidence: repos.evidence.listForCase(id),
      notes: repos.notes.listForCase(id)
    }),
    'cases.update': async ({ id, ...patch }) => {
      const before = mustCase(id)
      // Renaming by hand keeps the admin's title for good.
      const c = repos.cases.update(id, patch.title !== undefined ? { ...patch, autoTitle: false } : patch)!
      if (patch.status && patch.status !== before.status) {
        repos.notes.event(
          id,
          text('timeline:case.status', {
            from: text(`common:caseStatus.${before.status}`),
            to: text(`common:caseStatus.${patch.status}`)
          })
        )
      }
      return c
    },
    'cases.delete': async ({ id }) => ({ deleted: repos.cases.delete(id) }),

    'evidence.add': async ({ caseId, files, text: pasted }) => {
      mustCase(caseId)
      const settings = repos.settings.get()
      const limit = settings.maxFileMb * 1024 * 1024
      const added: EvidenceSummary[] = []
      const errors: FileError[] = []
      const inputs: { name: string; bytes?: Uint8Array; size?: number; b64?: string }[] = files.map((f) => ({
        name: f.name,
        size: f.size,
        b64: f.base64
      }))
      if (pasted !== undefined && pasted.trim() !== '') {
        inputs.push({ name: 'pasted text', bytes: new TextEncoder().encode(pasted) })
      }
      for (const input of inputs) {
        try {
          // Refuse before decoding: a 200 MB file must not be turned into memory twice just to be rejected.
          const declared =
            input.size ??
            (input.b64 !== undefined ? Math.floor((input.b64.length * 3) / 4) : input.bytes!.byteLength)
          if (declared > limit) {
            throw new AppError(
              'TOO_LARGE',
              `${input.name} is ${(declared / 1048576).toFixed(1)} MB; the limit is ${settings.maxFileMb} MB (Settings → Maximum file size).`
            )
          }
          const bytes = input.bytes ?? decodeBase64(input.b64 ?? '', input.name, settings.maxFileMb)
          if (bytes.byteLength > limit) {
            throw new AppError(
              'TOO_LARGE',
              `${input.name} is larger than the ${settings.maxFileMb} MB limit.`
            )
          }
          const items = await ctx.analyze(bytes, input.name, { settings })
          const failed = items.find((it) => it.analysis.kind === 'error')
          if (failed && items.length === 1) {
            const err = failed.analysis.error ?? { code: 'PARSE_ERROR', message: 'Could not read this file.' }
            errors.push({ file: input.name, code: err.code, message: err.message })
            continue
          }
          // One drop = one transaction: an mbox is saved whole or not at all.
          const saved = ctx.db.transaction(() => {
            const out: EvidenceSummary[] = []
            for (const it of items) {
              if (it.analysis.kind === 'error') continue
              out.push(
                repos.evidence.add({
                  caseId,
                  name: it.name,
                  kind: it.analysis.kind,
                  sha256: createHash('sha256').update(it.content).digest('hex'),
                  content: it.content,
                  subject: it.analysis.summary.subject,
                  analysis: it.analysis
                })
              )
            }
            refreshSendingIdentity(caseId, items)
            repos.notes.event(
              caseId,
              out.length === 1
                ? text('timeline:evidence.added', {
                    name: out[0].name,
                    kind: text(`common:evidenceKind.${out[0].kind}`)
                  })
                : text('timeline:evidence.addedMany', { name: input.name, count: out.length })
            )
            return out
          })()
          added.push(...saved)
          for (const it of items) {
            if (it.analysis.kind === 'error' && it.analysis.error) {
              errors.push({ file: it.name, code: it.analysis.error.code, message: it.analysis.error.message })
            }
          }
        } catch (e) {
          if (e instanceof AppError) errors.push({ file: input.name, code: e.code, message: e.message })
          else
            errors.push({
              file: input.name,
              code: 'INTERNAL',
              message: `${input.name}: ${(e as Error).message}`
            })
        }
      }
      if (added.length) ctx.emit('case:changed', { caseId })
      return { added, errors }
    },
    'evidence.reanalyze': async ({ caseId }) => {
      mustCase(caseId)
      const settings = repos.settings.get()
      const list = repos.evidence.listForCase(caseId)
      const failed: FileError[] = []
      let updated = 0
      const taskId = `reanalyze:${caseId}`
      for (const [i, e] of list.entries()) {
        ctx.emit('progress', { taskId, label: e.name, done: i, total: list.length })
        const bytes = repos.evidence.content(e.id)
        const items = bytes ? await ctx.analyze(new Uint8Array(bytes), e.name, { settings }) : []
        const fresh = items.length === 1 ? items[0].analysis : undefined
        if (!fresh || fresh.kind === 'error') {
          failed.push({
            file: e.name,
            code: fresh?.error?.code ?? 'PARSE_ERROR',
            message: fresh?.error?.message ?? `${e.name} could not be analysed again.`
          })
          continue
        }
        // The stored analysis is replaced; today's DNS re-verification is re-run separately (evidence.reverify).
        repos.evidence.setAnalysis(e.id, { ...fresh, file: e.name })
        updated++
      }
      ctx.emit('progress', { taskId, label: '', done: list.length, total: list.length })
      repos.notes.event(caseId, text('timeline:evidence.reanalysed', { updated, total: list.length }))
      ctx.emit('case:changed', { caseId })
      return { updated, failed }
    },
    'evidence.get': async ({ id }) => {
      const e = repos.evidence.get(id)
      if (!e) throw notFound('Evidence', id)
      return e as never
    },
    'evidence.delete': async ({ id }) => {
      const e = repos.evidence.get(id)
      if (!e) return { deleted: false }
      const deleted = ctx.db.transaction(() => {
        const ok = repos.evidence.delete(id)
        if (ok) repos.notes.event(e.caseId, text('timeline:evidence.removed', { name: e.name }))
        return ok
      })()
      return { deleted }
    },

    'notes.add': async ({ caseId, body }) => {
      mustCase(caseId)
      const n = repos.notes.add(caseId, body)
      repos.cases.touch(caseId)
      return n
    },
    'notes.update': async ({ id, body }) => {
      const existing = repos.notes.get(id)
      if (!existing) throw notFound('Note', id)
      if (existing.kind !== 'note')
        throw new AppError('CONFLICT', 'Timeline events recorded by the app cannot be edited.')
      return repos.notes.update(id, body)!
    },
    'notes.delete': async ({ id }) => {
      const existing = repos.notes.get(id)
      if (!existing) return { deleted: false }
      if (existing.kind !== 'note')
        throw new AppError('CONFLICT', 'Timeline events recorded by the app cannot be deleted.')
      return { deleted: repos.notes.delete(id) }
    }
  }
}
