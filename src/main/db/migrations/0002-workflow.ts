import type { Migration } from './types'

/**
 * The workflow tables: check runs (domain health, blocklist sweeps, verify), the case's deduplicated findings,
 * delisting requests tracked to the end, and the fixes generated for a case.
 * JSON columns hold the contract's own shapes (validated by zod at the boundary), so the schema stays small.
 */
export default {
  id: 2,
  name: 'workflow',
  up: `
CREATE TABLE check_runs (
  id INTEGER PRIMARY KEY,
  case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('domain', 'blocklist', 'verify')),
  target TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX check_runs_case ON check_runs(case_id, kind, created_at);

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  finding_id TEXT NOT NULL,
  source TEXT NOT NULL,
  severity TEXT NOT NULL,
  data TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'accepted')),
  note TEXT,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  resolved_at TEXT,
  UNIQUE (case_id, finding_id)
);

CREATE TABLE delist_requests (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  list_id TEXT NOT NULL,
  target TEXT NOT NULL,
  status TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX delist_requests_status ON delist_requests(status);
CREATE INDEX delist_requests_case ON delist_requests(case_id);

CREATE TABLE fixes (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX fixes_case ON fixes(case_id);
`
} satisfies Migration
