import type { Migration } from './types'

/**
 * Sending health (issue 12): the sources read (folders and IMAP mailboxes with their UIDVALIDITY/UID cursor), every
 * message read once (deduplicated on Message-ID + sha256 of its newline-normalised bytes), one event per address
 * and message, the suppression list, and the sent volumes the rates are computed against.
 *
 * Secrets: `hygiene_sources.secret` only ever holds what Electron's safeStorage encrypted (OS keychain / DPAPI /
 * libsecret); a host without safeStorage keeps the secret in memory or reads it from the environment, never here.
 * Raw bytes are kept only where something will read them again: DMARC/TLS reports (for the DMARC reports work) and
 * sender-side bounces (the evidence "Open a case" attaches).
 */
export default {
  id: 4,
  name: 'hygiene',
  up: `
CREATE TABLE hygiene_sources (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('folder', 'imap', 'upload')),
  label TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL DEFAULT '{}',
  secret BLOB,
  uidvalidity INTEGER,
  last_uid INTEGER NOT NULL DEFAULT 0,
  last_run TEXT,
  last_summary TEXT
);

CREATE TABLE hygiene_messages (
  id INTEGER PRIMARY KEY,
  source_id INTEGER REFERENCES hygiene_sources(id) ON DELETE SET NULL,
  message_id TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  name TEXT NOT NULL,
  original_message_id TEXT,
  list_id TEXT,
  raw BLOB,
  UNIQUE (message_id, sha256)
);
CREATE INDEX hygiene_messages_kind ON hygiene_messages(kind);

CREATE TABLE hygiene_events (
  id INTEGER PRIMARY KEY,
  message_row INTEGER NOT NULL REFERENCES hygiene_messages(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  domain TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('hard', 'soft', 'complaint', 'block', 'delay')),
  reason TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  cause TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL DEFAULT '',
  diagnostic TEXT NOT NULL DEFAULT '',
  feedback_type TEXT,
  source_ip TEXT,
  at TEXT NOT NULL,
  day TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX hygiene_events_email ON hygiene_events(email);
CREATE INDEX hygiene_events_block ON hygiene_events(type, domain, cause, code);
CREATE INDEX hygiene_events_day ON hygiene_events(day, domain);

CREATE TABLE hygiene_suppressions (
  email TEXT PRIMARY KEY,
  category TEXT NOT NULL CHECK (category IN ('hard', 'soft', 'complaint')),
  reason TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  count INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('suppressed', 'released')),
  released_at TEXT,
  release_note TEXT,
  explanation TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX hygiene_suppressions_state ON hygiene_suppressions(state, category);

CREATE TABLE hygiene_volumes (
  date TEXT NOT NULL,
  domain TEXT NOT NULL DEFAULT '',
  sent INTEGER NOT NULL CHECK (sent >= 0),
  PRIMARY KEY (date, domain)
);
`
} satisfies Migration
