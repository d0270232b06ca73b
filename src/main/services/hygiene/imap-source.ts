import { isIP } from 'node:net'
import type { ImapFlow as ImapFlowClass } from 'imapflow'
import type { ImapSourceInput } from '../../../shared/contract/hygiene'
import { AppError } from '../../../shared/result'
import type { HygieneRepo, SourceRow } from '../../db/repos/hygiene'
import type { Ingestor } from './ingestor'

/**
 * An IMAP mailbox through ImapFlow, read incrementally: RFC 3501 §2.3.1.1 says a UID is only meaningful together
 * with the mailbox's UIDVALIDITY, so the cursor is the pair (UIDVALIDITY, last UID committed). A changed
 * UIDVALIDITY means the server renumbered the mailbox: everything is read again and the Message-ID + sha256
 * dedup keeps what was already stored from being added twice.
 *
 * Read-only by default: the mailbox is opened with EXAMINE (RFC 3501 §6.3.2), so nothing is flagged, moved or
 * marked \Seen. `markSeen` is the opt-in.
 */
export function imapLabel(s: Pick<ImapSourceInput, 'user' | 'host' | 'port' | 'mailbox' | 'tls'>): string {
  const port = s.port ?? (s.tls === 'tls' ? 993 : 143)
  return `imap://${encodeURIComponent(s.user)}@${s.host}:${port}/${encodeURIComponent(s.mailbox)}`
}

/** Parses `imap://USER@HOST[:PORT]/MAILBOX` (the CLI's form); USER may itself contain an @ (last one splits). */
export function parseImapUrl(
  url: string
): Pick<ImapSourceInput, 'user' | 'host' | 'port' | 'mailbox'> | undefined {
  const m = /^imaps?:\/\/(.+)@([^@/:]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?(?:\/(.*))?$/i.exec(url.trim())
  if (!m) return undefined
  return {
    user: decodeURIComponent(m[1]),
    host: m[2].replace(/^\[|\]$/g, ''),
    ...(m[3] ? { port: Number(m[3]) } : {}),
    mailbox: m[4] ? decodeURIComponent(m[4]) : 'INBOX'
  }
}

const RANGE_MESSAGES = 200
const RANGE_BYTES = 8 * 1048576

interface ImapRun {
  source: ImapSourceInput
  row: SourceRow
  secret: string
  full: boolean
  repo: HygieneRepo
  ing: Ingestor
  onTotal?: (total: number) => void
}

/** Reads the new messages of one mailbox into the ingestor. Connection and login failures throw AppError. */
export async function ingestImap(run: ImapRun): Promise<void> {
  const { source, row, repo, ing } = run
  const label = row.label
  const port = source.port ?? (source.tls === 'tls' ? 993 : 143)
  // Loaded on first use: the IMAP client is not needed to start the CLI or to read folders.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ImapFlow } = require('imapflow') as { ImapFlow: typeof ImapFlowClass }
  const client = new ImapFlow({
    host: source.host,
    port,
    secure: source.tls === 'tls',
    // STARTTLS is required, never optional: a stripped STARTTLS must not send the password in clear (RFC 8314 §4).
    ...(source.tls === 'starttls' ? { doSTARTTLS: true } : {}),
    auth:
      source.auth === 'oauth2'
        ? { user: source.user, accessToken: run.secret }
        : { user: source.user, pass: run.secret },
    // SNI takes a host name only (RFC 6066 §3): none for an IP literal.
    tls: {
      ...(source.caPem ? { ca: [source.caPem] } : {}),
      ...(isIP(source.host) ? {} : { servername: source.host })
    },
    logger: false,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    disableAutoIdle: true
  })
  // ImapFlow emits 'error' on socket failures; without a listener Node would crash the process.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (e) {
    const err = e as {
      authenticationFailed?: boolean
      code?: string
      message?: string
      responseText?: string
    }
    if (err.authenticationFailed) {
      throw new AppError(
        'AUTH_FAILED',
        `${label}: the server refused the login for ${source.user} (wrong password or token, or login disabled)`,
        undefined,
        { source: label, user: source.user, server: err.responseText ?? '' }
      )
    }
    throw new AppError(
      'CONNECTION_FAILED',
      `${label}: could not connect (${err.code ?? err.message ?? 'unknown error'})`,
      undefined,
      { source: label, reason: err.code ?? err.message ?? '' }
    )
  }
  let lastCommitted = row.lastUid
  let uidvalidity: number | null = row.uidvalidity
  try {
    const lock = await client.getMailboxLock(source.mailbox, { readOnly: !source.markSeen })
    try {
      const mb = client.mailbox
      const uv = mb && typeof mb === 'object' ? Number(mb.uidValidity) : NaN
      let from = run.full ? 1 : row.lastUid + 1
      if (row.uidvalidity !== null && uv !== row.uidvalidity) {
        ing.summary.notices.push({
          code: 'notice.uidvalidity',
          params: { source: label, before: row.uidvalidity, after: uv }
        })
        from = 1
      }
      uidvalidity = uv
      if (from === 1) lastCommitted = 0
      if (!mb || mb.exists === 0) return
      // Sizes first (cheap): an oversized message is reported without being downloaded.
      const list: { uid: number; size: number }[] = []
      for await (const m of client.fetch(`${from}:*`, { uid: true, size: true }, { uid: true })) {
        // "N:*" includes the highest UID even when it is below N (RFC 3501 §6.4.8): filter.
        if (m.uid >= from) list.push({ uid: m.uid, size: m.size ?? 0 })
      }
      list.sort((a, b) => a.uid - b.uid)
      run.onTotal?.(list.length)
      const wanted = list.filter((m) => m.size <= ing.maxBytes)
      for (const m of list) if (m.size > ing.maxBytes) ing.tooLarge(`${label};UID=${m.uid}`, m.size)
      const big = new Set(list.filter((m) => m.size > ing.maxBytes).map((m) => m.uid))
      if (!wanted.length) {
        lastCommitted = list.length ? list[list.length - 1].uid : lastCommitted
        return
      }
      // Fetch in ranges (≤ RANGE_MESSAGES and ≤ RANGE_BYTES): ImapFlow reads a FETCH response as fast as the
      // socket delivers it, so a range bounds memory; after each range the batch is committed and the cursor moved.
      const ranges: (typeof wanted)[] = []
      let cur: typeof wanted = []
      let bytes = 0
      for (const m of wanted) {
        if (cur.length && (cur.length >= RANGE_MESSAGES || bytes + m.size > RANGE_BYTES)) {
          ranges.push(cur)
          cur = []
          bytes = 0
        }
        cur.push(m)
        bytes += m.size
      }
      if (cur.length) ranges.push(cur)
      for (const slice of ranges) {
        if (ing.cancelled) break
        const range = slice.map((m) => m.uid).join(',')
        let seen = lastCommitted
        let received = 0
        for await (const m of client.fetch(range, { uid: true, source: true }, { uid: true })) {
          if (ing.cancelled) break
          if (m.source) await ing.add(`${label};UID=${m.uid}`, m.source)
          seen = Math.max(seen, m.uid)
          received++
        }
        // ImapFlow ends the iteration quietly when the connection drops: fewer messages and an unusable client.
        if (!ing.cancelled && received < slice.length && !client.usable) {
          await ing.flush()
          repo.setCursor(row.id, uidvalidity, seen)
          lastCommitted = seen
          throw Object.assign(new Error('connection closed during FETCH'), { code: 'NoConnection' })
        }
        await ing.flush()
        // Oversized UIDs below the cursor are done too (reported above).
        lastCommitted = seen
        for (const u of big) if (u < seen) lastCommitted = Math.max(lastCommitted, u)
        repo.setCursor(row.id, uidvalidity, lastCommitted)
        if (source.markSeen && !ing.cancelled) {
          await client.messageFlagsAdd(range, ['\\Seen'], { uid: true })
        }
      }
      if (!ing.cancelled) {
        const maxUid = list[list.length - 1].uid
        lastCommitted = Math.max(lastCommitted, maxUid)
      }
    } finally {
      lock.release()
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    const err = e as { code?: string; message?: string; responseText?: string }
    if (err.responseText && /nonexistent|doesn't exist|not exist|unknown mailbox/i.test(err.responseText)) {
      throw new AppError('NOT_FOUND', `${label}: no mailbox ${source.mailbox} on the server`, undefined, {
        source: label,
        mailbox: source.mailbox
      })
    }
    // The connection dropped mid-fetch: commit what was read, keep the cursor there, report, and return normally.
    await ing.flush()
    ing.error(label, 'IMAP_CONNECTION', { reason: err.code ?? err.message ?? 'connection closed' })
  } finally {
    repo.setCursor(row.id, uidvalidity, lastCommitted)
    try {
      await client.logout()
    } catch {
      client.close()
    }
  }
}
