import type Database from 'better-sqlite3'
import type { HygieneEvent, HygieneKind } from '../../core/hygiene/classify'
import { decide, type AddressEvent, type SuppressionRules } from '../../core/hygiene/rules'
import type { BlockGroup } from '../../core/hygiene/clusters'
import type { DayDomainCounts, Volume } from '../../core/hygiene/rates'

export type SourceKind = 'folder' | 'imap' | 'upload'

export interface SourceRow {
  id: number
  kind: SourceKind
  label: string
  config: Record<string, unknown>
  hasSecret: boolean
  uidvalidity: number | null
  lastUid: number
  lastRun: string | null
  lastSummary: unknown
}

export interface SuppressionRow {
  email: string
  category: 'hard' | 'soft' | 'complaint'
  reason: string
  status: string
  first_seen: string
  last_seen: string
  count: number
  source: string
  state: 'suppressed' | 'released'
  releasedAt: string | null
  releaseNote: string | null
  explanation: { code: string; params: Record<string, string | number> }
}

export interface StoredReport {
  id: number
  kind: 'dmarc-report' | 'tls-report'
  name: string
  at: string
  raw: Buffer
}

interface SourceDb {
  id: number
  kind: SourceKind
  label: string
  config: string
  secret: Buffer | null
  uidvalidity: number | null
  last_uid: number
  last_run: string | null
  last_summary: string | null
}

const toSource = (r: SourceDb): SourceRow => ({
  id: r.id,
  kind: r.kind,
  label: r.label,
  config: JSON.parse(r.config) as Record<string, unknown>,
  hasSecret: r.secret !== null,
  uidvalidity: r.uidvalidity,
  lastUid: r.last_uid,
  lastRun: r.last_run,
  lastSummary: r.last_summary ? JSON.parse(r.last_summary) : null
})

interface SuppressionDb extends Omit<SuppressionRow, 'releasedAt' | 'releaseNote' | 'explanation'> {
  released_at: string | null
  release_note: string | null
  explanation: string
}
const toSuppression = (r: SuppressionDb): SuppressionRow => ({
  email: r.email,
  category: r.category,
  reason: r.reason,
  status: r.status,
  first_seen: r.first_seen,
  last_seen: r.last_seen,
  count: r.count,
  source: r.source,
  state: r.state,
  releasedAt: r.released_at,
  releaseNote: r.release_note,
  explanation: JSON.parse(r.explanation) as SuppressionRow['explanation']
})

export interface NewMessage {
  sourceId: number | null
  messageId: string
  sha256: string
  kind: HygieneKind
  at: string
  name: string
  originalMessageId?: string
  listId?: string
  raw?: Uint8Array
}

/**
 * Is this message (Message-ID + sha256, the ingest's dedup key) stored? On the ingest's connection, and on the
 * read-only connections its workers open (services/hygiene/classify-worker.ts).
 */
export function messageLookup(db: Database.Database): (messageId: string, sha256: string) => boolean {
  const st = db.prepare('SELECT 1 FROM hygiene_messages WHERE message_id = ? AND sha256 = ?')
  return (messageId, sha256) => st.get(messageId, sha256) !== undefined
}

/** Sending-health storage (migration 0004). Statements are prepared once: ingest calls them per message. */
export function createHygieneRepo(db: Database.Database) {
  const st = {
    sourceByLabel: db.prepare('SELECT * FROM hygiene_sources WHERE label = ?'),
    sourceById: db.prepare('SELECT * FROM hygiene_sources WHERE id = ?'),
    insertSource: db.prepare('INSERT INTO hygiene_sources (kind, label, config) VALUES (?, ?, ?)'),
    updateConfig: db.prepare('UPDATE hygiene_sources SET config = ? WHERE id = ?'),
    insertMessage: db.prepare(
      `INSERT OR IGNORE INTO hygiene_messages (source_id, message_id, sha256, kind, at, name, original_message_id, list_id, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    insertEvent: db.prepare(
      `INSERT INTO hygiene_events (message_row, email, domain, type, reason, status, cause, code, diagnostic,
         feedback_type, source_ip, at, day, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    history: db.prepare(
      `SELECT type, at, reason, status, source FROM hygiene_events WHERE email = ? AND type IN ('hard','soft','complaint')`
    ),
    suppression: db.prepare('SELECT * FROM hygiene_suppressions WHERE email = ?'),
    upsertSuppression: db.prepare(
      `INSERT INTO hygiene_suppressions (email, category, reason, status, first_seen, last_seen, count, source, state,
         released_at, release_note, explanation)
       VALUES (@email, @category, @reason, @status, @first_seen, @last_seen, @count, @source, @state, @released_at,
         @release_note, @explanation)
       ON CONFLICT(email) DO UPDATE SET category = excluded.category, reason = excluded.reason,
         status = excluded.status, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
         count = excluded.count, source = excluded.source, state = excluded.state, released_at = excluded.released_at,
         release_note = excluded.release_note, explanation = excluded.explanation`
    ),
    deleteSuppression: db.prepare('DELETE FROM hygiene_suppressions WHERE email = ?')
  }

  const hasMessage = messageLookup(db)
  const repo = {
    /** The source row for a folder path / IMAP URL, created on first use. */
    source(kind: SourceKind, label: string, config: Record<string, unknown> = {}): SourceRow {
      const found = st.sourceByLabel.get(label) as SourceDb | undefined
      if (found) {
        if (Object.keys(config).length) st.updateConfig.run(JSON.stringify(config), found.id)
        return toSource((st.sourceById.get(found.id) as SourceDb) ?? found)
      }
      const id = Number(st.insertSource.run(kind, label, JSON.stringify(config)).lastInsertRowid)
      return toSource(st.sourceById.get(id) as SourceDb)
    },
    getSource(id: number): SourceRow | undefined {
      const r = st.sourceById.get(id) as SourceDb | undefined
      return r ? toSource(r) : undefined
    },
    listSources(): SourceRow[] {
      return (db.prepare('SELECT * FROM hygiene_sources ORDER BY id').all() as SourceDb[]).map(toSource)
    },
    deleteSource(id: number): boolean {
      return db.prepare('DELETE FROM hygiene_sources WHERE id = ?').run(id).changes > 0
    },
    /** Encrypted by the host's secret store (safeStorage) before it gets here; null forgets it. */
    setSecret(id: number, encrypted: Buffer | null) {
      db.prepare('UPDATE hygiene_sources SET secret = ? WHERE id = ?').run(encrypted, id)
    },
    getSecret(id: number): Buffer | null {
      const r = db.prepare('SELECT secret FROM hygiene_sources WHERE id = ?').get(id) as
        { secret: Buffer | null } | undefined
      return r?.secret ?? null
    },
    /** The IMAP cursor (RFC 3501 §2.3.1.1: UIDs are only meaningful with their UIDVALIDITY). */
    setCursor(id: number, uidvalidity: number | null, lastUid: number) {
      db.prepare('UPDATE hygiene_sources SET uidvalidity = ?, last_uid = ? WHERE id = ?').run(
        uidvalidity,
        lastUid,
        id
      )
    },
    setRun(id: number, at: string, summary: unknown) {
      db.prepare('UPDATE hygiene_sources SET last_run = ?, last_summary = ? WHERE id = ?').run(
        at,
        JSON.stringify(summary),
        id
      )
    },

    hasMessage,
    /** Returns the new row id, or null when the same message was already stored. */
    addMessage(m: NewMessage): number | null {
      const r = st.insertMessage.run(
        m.sourceId,
        m.messageId,
        m.sha256,
        m.kind,
        m.at,
        m.name,
        m.originalMessageId ?? null,
        m.listId ?? null,
        m.raw ? Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength) : null
      )
      return r.changes ? Number(r.lastInsertRowid) : null
    },
    addEvent(messageRow: number, e: HygieneEvent, at: string, source: string) {
      st.insertEvent.run(
        messageRow,
        e.email,
        e.domain,
        e.type,
        e.reason,
        e.status,
        e.cause,
        e.code,
        e.diagnostic,
        e.feedbackType ?? null,
        e.sourceIp ?? null,
        at,
        at.slice(0, 10),
        source
      )
    },

    /** Re-applies the rules to these addresses (after new events, a rule change or a release). */
    recompute(emails: Iterable<string>, rules: SuppressionRules) {
      for (const email of emails) {
        const events = st.history.all(email) as AddressEvent[]
        const prev = st.suppression.get(email) as SuppressionDb | undefined
        const releasedAt = prev?.state === 'released' ? (prev.released_at ?? undefined) : undefined
        const d = decide(events, rules, releasedAt)
        if (d.suppressed) {
          st.upsertSuppression.run({
            email,
            category: d.category,
            reason: d.reason ?? '',
            status: d.status ?? '',
            first_seen: d.firstSeen,
            last_seen: d.lastSeen,
            count: d.count,
            source: d.source ?? '',
            state: 'suppressed',
            released_at: null,
            release_note: prev?.release_note ?? null,
            explanation: JSON.stringify(d.explanation)
          })
        } else if (prev && prev.state === 'suppressed') {
          // A rule was loosened: the address is no longer suppressed by any rule.
          st.deleteSuppression.run(email)
        }
      }
    },
    recomputeAll(rules: SuppressionRules) {
      const emails = (
        db
          .prepare(
            `SELECT DISTINCT email FROM hygiene_events WHERE type IN ('hard','soft','complaint')
             UNION SELECT email FROM hygiene_suppressions`
          )
          .all() as { email: string }[]
      ).map((r) => r.email)
      db.transaction(() => repo.recompute(emails, rules))()
    },
    release(email: string, note: string, at: string): SuppressionRow | undefined {
      const r = db
        .prepare(
          `UPDATE hygiene_suppressions SET state = 'released', released_at = ?, release_note = ? WHERE email = ?`
        )
        .run(at, note, email)
      return r.changes ? repo.getSuppression(email) : undefined
    },
    getSuppression(email: string): SuppressionRow | undefined {
      const r = st.suppression.get(email) as SuppressionDb | undefined
      return r ? toSuppression(r) : undefined
    },
    listSuppressions(f: { query?: string; category?: string; state?: string; limit?: number } = {}): {
      rows: SuppressionRow[]
      total: number
    } {
      const where: string[] = []
      const args: unknown[] = []
      if (f.query) {
        where.push(`(email LIKE ? ESCAPE '\\' OR reason LIKE ? ESCAPE '\\' OR status LIKE ? ESCAPE '\\')`)
        const like = `%${f.query.replace(/[\\%_]/g, (c) => '\\' + c)}%`
        args.push(like, like, like)
      }
      if (f.category) {
        where.push('category = ?')
        args.push(f.category)
      }
      if (f.state) {
        where.push('state = ?')
        args.push(f.state)
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const total = (
        db.prepare(`SELECT count(*) AS n FROM hygiene_suppressions ${w}`).get(...args) as { n: number }
      ).n
      const rows = (
        db
          .prepare(`SELECT * FROM hygiene_suppressions ${w} ORDER BY last_seen DESC, email LIMIT ?`)
          .all(...args, f.limit ?? 1_000_000) as SuppressionDb[]
      ).map(toSuppression)
      return { rows, total }
    },
    /** Streams the rows (export of a large list without holding it twice). */
    *iterateSuppressions(state = 'suppressed'): Generator<SuppressionRow> {
      const it = db
        .prepare('SELECT * FROM hygiene_suppressions WHERE state = ? ORDER BY email')
        .iterate(state)
      for (const r of it) yield toSuppression(r as SuppressionDb)
    },

    kindCounts(): Record<string, number> {
      const rows = db.prepare('SELECT kind, count(*) AS n FROM hygiene_messages GROUP BY kind').all() as {
        kind: string
        n: number
      }[]
      return Object.fromEntries(rows.map((r) => [r.kind, r.n]))
    },
    suppressionCounts(): Record<string, number> {
      const rows = db
        .prepare(
          `SELECT category, count(*) AS n FROM hygiene_suppressions WHERE state = 'suppressed' GROUP BY category`
        )
        .all() as { category: string; n: number }[]
      return Object.fromEntries(rows.map((r) => [r.category, r.n]))
    },
    dayDomainCounts(): DayDomainCounts[] {
      return db
        .prepare(
          `SELECT day, domain,
             sum(type = 'hard') AS hard, sum(type = 'soft') AS soft, sum(type = 'complaint') AS complaints,
             sum(type = 'block') AS blocks, sum(type = 'delay') AS delays
           FROM hygiene_events GROUP BY day, domain`
        )
        .all() as DayDomainCounts[]
    },
    reasonCounts(): { reason: string; type: string; n: number }[] {
      return db
        .prepare(
          `SELECT reason, type, count(*) AS n FROM hygiene_events WHERE type != 'delay' GROUP BY reason, type ORDER BY n DESC`
        )
        .all() as { reason: string; type: string; n: number }[]
    },
    blockGroups(): BlockGroup[] {
      return db
        .prepare(
          `SELECT domain, cause, code, min(at) AS since, max(at) AS until, count(DISTINCT email) AS recipients,
             count(DISTINCT message_row) AS messages, max(diagnostic) AS example
           FROM hygiene_events WHERE type = 'block' GROUP BY domain, cause, code`
        )
        .all() as BlockGroup[]
    },
    /** The stored bounces of one cluster, newest first (the evidence "Open a case" attaches). */
    blockMessages(
      domain: string,
      cause: string,
      code: string,
      limit: number
    ): { name: string; raw: Buffer }[] {
      return db
        .prepare(
          `SELECT m.name, m.raw FROM hygiene_messages m WHERE m.raw IS NOT NULL AND m.id IN (
             SELECT message_row FROM hygiene_events WHERE type = 'block' AND domain = ? AND cause = ? AND code = ?)
           ORDER BY m.at DESC LIMIT ?`
        )
        .all(domain, cause, code, limit) as { name: string; raw: Buffer }[]
    },

    setVolumes(rows: Volume[], replace: boolean) {
      const up = db.prepare(
        `INSERT INTO hygiene_volumes (date, domain, sent) VALUES (?, ?, ?)
         ON CONFLICT(date, domain) DO UPDATE SET sent = excluded.sent`
      )
      db.transaction(() => {
        if (replace) db.prepare('DELETE FROM hygiene_volumes').run()
        for (const r of rows) up.run(r.date, r.domain, r.sent)
      })()
    },
    volumes(): Volume[] {
      return db
        .prepare('SELECT date, domain, sent FROM hygiene_volumes ORDER BY date, domain')
        .all() as Volume[]
    },

    /**
     * DMARC aggregate (RFC 7489) and SMTP TLS (RFC 8460) reports that arrived in a bounce mailbox, raw, oldest
     * first. This is the hand-over point for the DMARC reports feature: it parses them; ingest only stores them.
     */
    listStoredReports(kind?: StoredReport['kind'], afterId = 0, limit = 1000): StoredReport[] {
      return db
        .prepare(
          `SELECT id, kind, name, at, raw FROM hygiene_messages
           WHERE kind IN ('dmarc-report', 'tls-report') AND (? IS NULL OR kind = ?) AND id > ? ORDER BY id LIMIT ?`
        )
        .all(kind ?? null, kind ?? null, afterId, limit) as StoredReport[]
    }
  }
  return repo
}
export type HygieneRepo = ReturnType<typeof createHygieneRepo>
