import type Database from 'better-sqlite3'
import { DelistRequest, type DelistStatus, type RemovalMethod } from '../../../shared/schemas/blocklist'

/**
 * Delisting requests (table delist_requests, migration 0002). The row keeps the indexed columns (case, list,
 * target, status) and the whole DelistRequest as JSON in `data`, so the state machine's shape can grow without a
 * migration. `data.id` is the row id as a string.
 */

export interface StoredDelistRequest extends DelistRequest {
  caseId: number
  method?: RemovalMethod
  notes?: string
}

interface Row {
  id: number
  case_id: number
  list_id: string
  target: string
  status: DelistStatus
  data: string
  created_at: string
  updated_at: string
}

/** Statuses a re-check can still change (delisted/expired/rejected are settled until something new happens). */
export const OPEN_STATUSES: readonly DelistStatus[] = ['listed', 'requested', 'pending']

function toRequest(r: Row): StoredDelistRequest {
  const raw = JSON.parse(r.data) as Record<string, unknown>
  // Validate what comes out of the database: a damaged row fails loudly here, not as a wrong badge in the UI.
  const base = DelistRequest.parse({ ...raw, id: String(r.id), status: r.status })
  return {
    ...base,
    caseId: r.case_id,
    ...(typeof raw.method === 'string' ? { method: raw.method as RemovalMethod } : {}),
    ...(typeof raw.notes === 'string' ? { notes: raw.notes } : {})
  }
}

export function createDelistRequestRepo(db: Database.Database) {
  const insert = db.prepare(
    'INSERT INTO delist_requests (case_id, list_id, target, status, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
  )
  const setData = db.prepare('UPDATE delist_requests SET status = ?, data = ?, updated_at = ? WHERE id = ?')
  const byId = db.prepare<[number], Row>('SELECT * FROM delist_requests WHERE id = ?')

  const serialise = (req: Omit<StoredDelistRequest, 'caseId'>): string => JSON.stringify(req)

  return {
    /** Stores a new request; the id in `req` is replaced by the row id. */
    create(
      caseId: number,
      req: Omit<StoredDelistRequest, 'id' | 'caseId'> & { id?: string }
    ): StoredDelistRequest {
      return db.transaction(() => {
        const id = Number(
          insert.run(caseId, req.list, req.target, req.status, '{}', req.createdAt, req.updatedAt)
            .lastInsertRowid
        )
        setData.run(req.status, serialise({ ...req, id: String(id) }), req.updatedAt, id)
        return toRequest(byId.get(id)!)
      })()
    },
    get(id: number | string): StoredDelistRequest | undefined {
      const r = byId.get(Number(id))
      return r ? toRequest(r) : undefined
    },
    /** Replaces the stored state (the caller ran the state machine). */
    save(req: StoredDelistRequest): StoredDelistRequest {
      const { caseId: _caseId, ...data } = req
      const res = setData.run(req.status, serialise(data), req.updatedAt, Number(req.id))
      if (res.changes === 0) throw new Error(`delisting request ${req.id} does not exist`)
      return toRequest(byId.get(Number(req.id))!)
    },
    list(filter: { caseId?: number; status?: DelistStatus } = {}): StoredDelistRequest[] {
      const where: string[] = []
      const params: unknown[] = []
      if (filter.caseId !== undefined) {
        where.push('case_id = ?')
        params.push(filter.caseId)
      }
      if (filter.status) {
        where.push('status = ?')
        params.push(filter.status)
      }
      const rows = db
        .prepare(
          `SELECT * FROM delist_requests ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`
        )
        .all(...params) as Row[]
      return rows.map(toRequest)
    },
    /** Requests a DNS re-check can still move: open status and not a provider (manual) block. */
    open(): StoredDelistRequest[] {
      const rows = db
        .prepare(
          `SELECT * FROM delist_requests WHERE status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) ORDER BY id`
        )
        .all(...OPEN_STATUSES) as Row[]
      return rows.map(toRequest).filter((r) => !r.manual)
    },
    /** The open request for this case, list and target, if any (one at a time per listing). */
    findOpen(caseId: number, list: string, target: string): StoredDelistRequest | undefined {
      const r = db
        .prepare(
          `SELECT * FROM delist_requests WHERE case_id = ? AND list_id = ? AND target = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`
        )
        .get(caseId, list, target, ...OPEN_STATUSES) as Row | undefined
      return r ? toRequest(r) : undefined
    }
  }
}
export type DelistRequestRepo = ReturnType<typeof createDelistRequestRepo>
