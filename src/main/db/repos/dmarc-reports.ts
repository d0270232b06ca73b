import type Database from 'better-sqlite3'
import type { AuthDkim, AuthSpf, ParsedReport } from '../../core/dmarc'

/** One aggregate <record> as the summaries read it back. */
export interface DmarcRecordRow {
  report: number
  orgName: string
  dateBegin: number
  day: string
  sourceIp: string
  count: number
  disposition: string
  dkim: string
  spf: string
  headerFrom: string
  envelopeFrom: string | null
  authDkim: AuthDkim[]
  authSpf: AuthSpf[]
}

export interface StoredReport {
  id: number
  kind: 'aggregate' | 'failure' | 'tls'
  orgName: string
  reportId: string
  domain: string
  dateBegin: number
  dateEnd: number
  fileName: string
  data: unknown
}

/** The domain a report is about: policy_published for aggregate, Reported-Domain for failure, policy-domain for TLS. */
export function reportDomain(r: ParsedReport): string {
  if (r.kind === 'aggregate') return r.policy.domain
  if (r.kind === 'failure') return r.reportedDomain
  return r.policies[0]?.policyDomain ?? ''
}

const dayOf = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 10)

/** DMARC/TLS report storage (migration 0005). Statements are prepared once; inserts run in the caller's transaction. */
export function createDmarcRepo(db: Database.Database, now: () => Date = () => new Date()) {
  const insertReport = db.prepare(
    `INSERT OR IGNORE INTO dmarc_reports (kind, org_name, report_id, domain, date_begin, date_end, policy, data, file_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertRecord = db.prepare(
    `INSERT INTO dmarc_records (report, domain, day, date_begin, source_ip, count, disposition, dkim, spf, header_from, envelope_from, auth)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const selectRecords = db.prepare(
    `SELECT r.report, p.org_name, r.date_begin, r.day, r.source_ip, r.count, r.disposition, r.dkim, r.spf,
            r.header_from, r.envelope_from, r.auth
       FROM dmarc_records r JOIN dmarc_reports p ON p.id = r.report
      WHERE r.domain = ? AND r.date_begin >= ? AND r.date_begin < ?`
  )
  const selectReports = db.prepare(
    `SELECT * FROM dmarc_reports WHERE domain = ? AND kind = ? AND date_begin >= ? AND date_begin < ? ORDER BY date_begin`
  )
  const selectDomains = db.prepare(
    `SELECT p.domain AS domain, COUNT(DISTINCT p.id) AS reports, COALESCE(SUM(r.count), 0) AS messages,
            MIN(p.date_begin) AS first, MAX(p.date_end) AS last
       FROM dmarc_reports p LEFT JOIN dmarc_records r ON r.report = p.id
      GROUP BY p.domain ORDER BY messages DESC, p.domain`
  )
  const selectMarks = db.prepare('SELECT source, legitimate FROM dmarc_source_marks WHERE domain = ?')
  const upsertMark = db.prepare(
    `INSERT INTO dmarc_source_marks (domain, source, legitimate, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (domain, source) DO UPDATE SET legitimate = excluded.legitimate, updated_at = excluded.updated_at`
  )
  const deleteMark = db.prepare('DELETE FROM dmarc_source_marks WHERE domain = ? AND source = ?')
  const getPtr = db.prepare('SELECT ptr, checked_at FROM dmarc_ptr_cache WHERE ip = ?')
  const putPtr = db.prepare(
    'INSERT INTO dmarc_ptr_cache (ip, ptr, checked_at) VALUES (?, ?, ?) ON CONFLICT (ip) DO UPDATE SET ptr = excluded.ptr, checked_at = excluded.checked_at'
  )

  return {
    /**
     * Stores one report; `duplicate` when the same kind + organisation + report id is already there (nothing is
     * written then). Call inside a transaction when storing many.
     */
    add(r: ParsedReport, fileName: string): { duplicate: boolean; records: number; messages: number } {
      const domain = reportDomain(r)
      const org =
        r.kind === 'failure' ? r.reporter : r.orgName || (r.kind === 'aggregate' ? (r.email ?? '') : '')
      const begin = r.kind === 'failure' ? r.date : r.begin
      const end = r.kind === 'failure' ? r.date : r.end
      const policy = r.kind === 'aggregate' ? JSON.stringify(r.policy) : null
      const data =
        r.kind === 'aggregate'
          ? JSON.stringify({
              email: r.email,
              errors: r.errors,
              generator: r.generator,
              xmlNamespace: r.xmlNamespace
            })
          : JSON.stringify(r)
      const res = insertReport.run(
        r.kind,
        org,
        r.reportId,
        domain,
        begin,
        end,
        policy,
        data,
        fileName,
        now().toISOString()
      )
      if (res.changes === 0) return { duplicate: true, records: 0, messages: 0 }
      const id = Number(res.lastInsertRowid)
      let messages = 0
      if (r.kind === 'aggregate') {
        const day = dayOf(r.begin)
        for (const rec of r.records) {
          messages += rec.count
          insertRecord.run(
            id,
            domain,
            day,
            r.begin,
            rec.sourceIp,
            rec.count,
            rec.disposition,
            rec.dkim,
            rec.spf,
            rec.headerFrom,
            rec.envelopeFrom ?? null,
            JSON.stringify({ dkim: rec.authDkim, spf: rec.authSpf, reasons: rec.reasons })
          )
        }
      }
      return { duplicate: false, records: r.kind === 'aggregate' ? r.records.length : 0, messages }
    },
    /** Aggregate records of a domain whose report period starts in [since, until) (epoch seconds). */
    records(domain: string, since = 0, until = Number.MAX_SAFE_INTEGER): DmarcRecordRow[] {
      return (selectRecords.all(domain, since, until) as Record<string, any>[]).map((r) => {
        const auth = JSON.parse(r.auth as string) as { dkim: AuthDkim[]; spf: AuthSpf[] }
        return {
          report: r.report,
          orgName: r.org_name,
          dateBegin: r.date_begin,
          day: r.day,
          sourceIp: r.source_ip,
          count: r.count,
          disposition: r.disposition,
          dkim: r.dkim,
          spf: r.spf,
          headerFrom: r.header_from,
          envelopeFrom: r.envelope_from,
          authDkim: auth.dkim ?? [],
          authSpf: auth.spf ?? []
        }
      })
    },
    reports(
      domain: string,
      kind: StoredReport['kind'],
      since = 0,
      until = Number.MAX_SAFE_INTEGER
    ): StoredReport[] {
      return (selectReports.all(domain, kind, since, until) as Record<string, any>[]).map((r) => ({
        id: r.id,
        kind: r.kind,
        orgName: r.org_name,
        reportId: r.report_id,
        domain: r.domain,
        dateBegin: r.date_begin,
        dateEnd: r.date_end,
        fileName: r.file_name,
        data: r.data ? JSON.parse(r.data) : null
      }))
    },
    domains(): { domain: string; reports: number; messages: number; first: number; last: number }[] {
      return selectDomains.all() as never
    },
    marks(domain: string): Map<string, boolean> {
      const rows = selectMarks.all(domain) as { source: string; legitimate: number }[]
      return new Map(rows.map((r) => [r.source, r.legitimate === 1]))
    },
    setMark(domain: string, source: string, legitimate: boolean | null): void {
      if (legitimate === null) deleteMark.run(domain, source)
      else upsertMark.run(domain, source, legitimate ? 1 : 0, now().toISOString())
    },
    cachedPtr(ip: string): { ptr: string | null; checkedAt: string } | undefined {
      const r = getPtr.get(ip) as { ptr: string | null; checked_at: string } | undefined
      return r ? { ptr: r.ptr, checkedAt: r.checked_at } : undefined
    },
    cachePtr(ip: string, ptr: string | null): void {
      putPtr.run(ip, ptr, now().toISOString())
    }
  }
}
export type DmarcRepo = ReturnType<typeof createDmarcRepo>
