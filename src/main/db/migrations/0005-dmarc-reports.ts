import type { Migration } from './types'

/**
 * DMARC aggregate, failure and SMTP TLS reports (issue 13). One row per report, unique per kind, reporting
 * organisation and report id, so a report received twice (two mailboxes, a re-sent zip) counts once (RFC 7489
 * §7.2.1.1: the report id is unique per reporter). Aggregate rows are kept one per <record> with the counts and
 * aligned results the summaries add up; auth_results stay as JSON (they are only read back per source).
 * Failure and TLS reports keep their parsed body as JSON: they are few and read whole.
 * Number 0005: 0004 belongs to another branch (the migration ids are reserved across branches).
 */
export default {
  id: 5,
  name: 'dmarc_reports',
  up: `
CREATE TABLE dmarc_reports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('aggregate', 'failure', 'tls')),
  org_name TEXT NOT NULL,
  report_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  date_begin INTEGER NOT NULL,
  date_end INTEGER NOT NULL,
  policy TEXT,
  data TEXT,
  file_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (kind, org_name, report_id)
);
CREATE INDEX dmarc_reports_domain ON dmarc_reports(domain, kind, date_begin);

CREATE TABLE dmarc_records (
  id INTEGER PRIMARY KEY,
  report INTEGER NOT NULL REFERENCES dmarc_reports(id) ON DELETE CASCADE,
  domain TEXT NOT NULL,
  day TEXT NOT NULL,
  date_begin INTEGER NOT NULL,
  source_ip TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  disposition TEXT NOT NULL,
  dkim TEXT NOT NULL,
  spf TEXT NOT NULL,
  header_from TEXT NOT NULL,
  envelope_from TEXT,
  auth TEXT NOT NULL
);
CREATE INDEX dmarc_records_domain ON dmarc_records(domain, date_begin);
CREATE INDEX dmarc_records_report ON dmarc_records(report);

CREATE TABLE dmarc_source_marks (
  domain TEXT NOT NULL,
  source TEXT NOT NULL,
  legitimate INTEGER NOT NULL CHECK (legitimate IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (domain, source)
);

CREATE TABLE dmarc_ptr_cache (
  ip TEXT PRIMARY KEY,
  ptr TEXT,
  checked_at TEXT NOT NULL
);
`
} satisfies Migration
