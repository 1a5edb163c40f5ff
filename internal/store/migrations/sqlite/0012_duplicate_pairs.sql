-- The duplicate review queue (issue 4 item 8), computed in the background
-- (store.RefreshDuplicatePairs) rather than when the page opens: each run
-- replaces every row. a < b are client personal_ids; pairs marked "not a
-- duplicate" (duplicate_dismissals) and merged clients are left out when
-- the queue is read. When the pairs were computed, and the clients table's
-- state then, are in settings (duplicates_computed_at,
-- duplicates_clients_marker).
CREATE TABLE duplicate_pairs (
    a      TEXT NOT NULL,
    b      TEXT NOT NULL,
    score  REAL NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX duplicate_pairs_score ON duplicate_pairs (score);
