import type { Migration } from './types'

/**
 * The watchlist (issue 14): targets checked on a schedule, one row per run for the history chart, the alerts a
 * run raised, the cases a target's alerts go to, and the per-list backoff that keeps the sweep within each list's
 * query policy. A target's latest snapshot (what drift is measured against) is kept on the target row as JSON;
 * a run keeps its raw checks (the blocklist sweep and the domain report) so "Open a case" can attach them.
 * `notes.text` holds a timeline event as text-as-data ({code, params}) next to its English `body`.
 * Number 0006: 0007 is reserved for the pre-send check (the other half of issue 14).
 */
export default {
  id: 6,
  name: 'watch',
  up: `
CREATE TABLE watch_targets (
  id INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('ip4', 'ip6', 'range', 'domain')),
  options TEXT NOT NULL DEFAULT '{}',
  snapshot TEXT,
  created_at TEXT NOT NULL,
  last_run_at TEXT
);

CREATE TABLE watch_runs (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES watch_targets(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  counts TEXT NOT NULL,
  changes TEXT NOT NULL,
  result TEXT
);
CREATE INDEX watch_runs_target ON watch_runs(target_id, id);

CREATE TABLE watch_alerts (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES watch_targets(id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES watch_runs(id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  before TEXT,
  after TEXT,
  text TEXT NOT NULL,
  summary TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX watch_alerts_target ON watch_alerts(target_id, id);

CREATE TABLE watch_case_links (
  target_id INTEGER NOT NULL REFERENCES watch_targets(id) ON DELETE CASCADE,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  PRIMARY KEY (target_id, case_id)
);

CREATE TABLE watch_backoff (
  list_id TEXT PRIMARY KEY,
  level INTEGER NOT NULL CHECK (level >= 0),
  until TEXT NOT NULL,
  reason TEXT NOT NULL
);

ALTER TABLE notes ADD COLUMN text TEXT;
`
} satisfies Migration
