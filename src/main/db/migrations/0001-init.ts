import type { Migration } from './types'

/**
 * Cases, evidence, timeline notes, settings, and one FTS5 index over case titles, notes and evidence subjects.
 * Evidence keeps the original bytes: re-verification and report export must work from what the admin dropped,
 * not from our parse of it.
 */
export default {
  id: 1,
  name: 'init',
  up: `
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'archived')),
  sending_domain TEXT,
  sending_ips TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  content BLOB NOT NULL,
  subject TEXT,
  analysis TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX evidence_case ON evidence(case_id);

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'event')),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX notes_case ON notes(case_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE VIRTUAL TABLE search_index USING fts5(
  case_id UNINDEXED, source UNINDEXED, ref_id UNINDEXED, text,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER cases_ai AFTER INSERT ON cases BEGIN
  INSERT INTO search_index (case_id, source, ref_id, text) VALUES (new.id, 'case', new.id, new.title);
END;
CREATE TRIGGER cases_au AFTER UPDATE OF title ON cases BEGIN
  UPDATE search_index SET text = new.title WHERE source = 'case' AND ref_id = new.id;
END;
CREATE TRIGGER cases_ad AFTER DELETE ON cases BEGIN
  DELETE FROM search_index WHERE case_id = old.id;
END;
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  INSERT INTO search_index (case_id, source, ref_id, text) VALUES (new.case_id, 'note', new.id, new.body);
END;
CREATE TRIGGER notes_au AFTER UPDATE OF body ON notes BEGIN
  UPDATE search_index SET text = new.body WHERE source = 'note' AND ref_id = new.id;
END;
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
  DELETE FROM search_index WHERE source = 'note' AND ref_id = old.id;
END;
CREATE TRIGGER evidence_ai AFTER INSERT ON evidence WHEN new.subject IS NOT NULL BEGIN
  INSERT INTO search_index (case_id, source, ref_id, text) VALUES (new.case_id, 'evidence', new.id, new.subject);
END;
CREATE TRIGGER evidence_ad AFTER DELETE ON evidence BEGIN
  DELETE FROM search_index WHERE source = 'evidence' AND ref_id = old.id;
END;
`
} satisfies Migration
