-- HMIS CSV import and export (issue 3).
--
-- Client ownership and sharing: the organization a client belongs to and
-- how far the record is shared (organization, release, global). Imports
-- set both; issue 6 builds the sharing model on them.
ALTER TABLE clients ADD COLUMN organization_id TEXT;
ALTER TABLE clients ADD COLUMN restriction TEXT NOT NULL DEFAULT 'organization';
CREATE INDEX clients_organization_id ON clients (organization_id);

-- The systems imports come from. HUD IDs are unique only within a source;
-- Hearth's ID for an imported record is derived from the source key (see
-- docs/hmis-csv-ids.md), so the key never changes once used.
CREATE TABLE sources (
    key           TEXT PRIMARY KEY,
    source_id     TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL DEFAULT '',
    first_import  TEXT NOT NULL,
    last_import   TEXT NOT NULL
);

-- One row per import attempt (also dry runs and rejected ones), with the
-- validation report kept for administrators.
CREATE TABLE imports (
    id            TEXT PRIMARY KEY,
    source_key    TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    actor         TEXT NOT NULL,
    account_id    TEXT NOT NULL DEFAULT '',
    started       TEXT NOT NULL,
    finished      TEXT,
    dry_run       INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    records       INTEGER NOT NULL DEFAULT 0,
    inserted      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    warnings      INTEGER NOT NULL DEFAULT 0,
    counts        TEXT NOT NULL DEFAULT '',
    message       TEXT NOT NULL DEFAULT '',
    report        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imports_started ON imports (started);
