-- Duplicates (issue 4 item 8): client merges and the pairs an
-- administrator marked "not a duplicate".
--
-- A merge moves every row of the merged client (personal_id) to the kept
-- one and soft-deletes the merged client; client_merge_rows records each
-- moved row (table and primary key) so that undoing the merge moves
-- exactly those rows back.
CREATE TABLE client_merges (
    id          TEXT PRIMARY KEY,
    kept        TEXT NOT NULL,
    merged      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    account_id  TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    moved       INTEGER NOT NULL DEFAULT 0,
    undone_at   TEXT,
    undone_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX client_merges_at ON client_merges (at);

CREATE TABLE client_merge_rows (
    merge_id    TEXT NOT NULL REFERENCES client_merges (id),
    table_name  TEXT NOT NULL,
    row_key     TEXT NOT NULL,
    PRIMARY KEY (merge_id, table_name, row_key)
);

-- A pair marked "not a duplicate": a < b (personal IDs).
CREATE TABLE duplicate_dismissals (
    a           TEXT NOT NULL,
    b           TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
