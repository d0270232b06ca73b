import type Database from 'better-sqlite3'
import type { CaseStatus, CaseSummary } from '../../../shared/schemas/case'

interface CaseRow {
  id: number
  title: string
  status: CaseStatus
  sending_domain: string | null
  sending_ips: string
  created_at: string
  updated_at: string
  auto_title: number
  evidence_count: number
  match?: string
}

function toCase(r: CaseRow): CaseSummary {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    sendingDomain: r.sending_domain,
    sendingIps: JSON.parse(r.sending_ips) as string[],
    evidenceCount: r.evidence_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    autoTitle: r.auto_title === 1,
    ...(r.match ? { match: r.match } : {})
  }
}

const SELECT = `SELECT c.*, (SELECT count(*) FROM evidence e WHERE e.case_id = c.id) AS evidence_count FROM cases c`

/** FTS5 query from free text: every word must match as a prefix; quotes neutralise FTS syntax in user input. */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => w.length > 0)
  if (words.length === 0) return null
  return words.map((w) => `"${w}"*`).join(' AND ')
}

export function createCaseRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const byId = db.prepare<[number], CaseRow>(`${SELECT} WHERE c.id = ?`)
  const insert = db.prepare(
    'INSERT INTO cases (title, auto_title, created_at, updated_at) VALUES (?, ?, ?, ?)'
  )
  const touchStmt = db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?')
  return {
    list(opts: { query?: string; status?: CaseStatus } = {}): CaseSummary[] {
      const q = opts.query ? ftsQuery(opts.query) : null
      const where: string[] = []
      const params: unknown[] = []
      if (opts.status) {
        where.push('c.status = ?')
        params.push(opts.status)
      }
      if (q) {
        // snippet() cannot run inside an aggregate or a flattened subquery, so the best hit per case is picked here.
        const hits = db
          .prepare(
            `SELECT case_id, rank AS r, snippet(search_index, 3, '[', ']', '…', 8) AS snip
             FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 2000`
          )
          .all(q) as { case_id: number; r: number; snip: string }[]
        const best = new Map<number, string>()
        for (const h of hits) if (!best.has(h.case_id)) best.set(h.case_id, h.snip)
        const out: CaseSummary[] = []
        for (const [id, snip] of best) {
          const r = byId.get(id)
          if (r && (!opts.status || r.status === opts.status)) out.push(toCase({ ...r, match: snip }))
        }
        return out.slice(0, 500)
      }
      const rows = db
        .prepare(
          `${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY c.updated_at DESC LIMIT 500`
        )
        .all(...params) as CaseRow[]
      return rows.map(toCase)
    },
    get(id: number): CaseSummary | undefined {
      const r = byId.get(id)
      return r ? toCase(r) : undefined
    },
    create(title: string, autoTitle = false): CaseSummary {
      const t = now().toISOString()
      const id = Number(insert.run(title, autoTitle ? 1 : 0, t, t).lastInsertRowid)
      return toCase(byId.get(id)!)
    },
    update(
      id: number,
      patch: {
        title?: string
        autoTitle?: boolean
        status?: CaseStatus
        sendingDomain?: string | null
        sendingIps?: string[]
      }
    ) {
      const sets: string[] = []
      const params: unknown[] = []
      const columns: [string, unknown][] = [
        ['title', patch.title],
        ['auto_title', patch.autoTitle === undefined ? undefined : patch.autoTitle ? 1 : 0],
        ['status', patch.status],
        ['sending_domain', patch.sendingDomain],
        ['sending_ips', patch.sendingIps === undefined ? undefined : JSON.stringify(patch.sendingIps)]
      ]
      for (const [col, value] of columns) {
        if (value === undefined) continue
        sets.push(`${col} = ?`)
        params.push(value)
      }
      sets.push('updated_at = ?')
      params.push(now().toISOString())
      const res = db.prepare(`UPDATE cases SET ${sets.join(', ')} WHERE id = ?`).run(...params, id)
      return res.changes ? this.get(id) : undefined
    },
    touch(id: number) {
      touchStmt.run(now().toISOString(), id)
    },
    delete(id: number): boolean {
      return db.prepare('DELETE FROM cases WHERE id = ?').run(id).changes > 0
    }
  }
}
export type CaseRepo = ReturnType<typeof createCaseRepo>
