-- HUD report runs (issue 7): who ran which report (apr, caper, dq) on
-- which programs and period, when, how long it took, and the Sage CSV zip
-- it produced (aggregate counts only, no client data), kept so that every
-- run can be downloaded again. A run sees what its account could see
-- when it ran.
CREATE TABLE report_runs (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    project_ids     TEXT NOT NULL DEFAULT '',
    grant_id        TEXT NOT NULL DEFAULT '',
    start_date      DATE NOT NULL,
    end_date        DATE NOT NULL,
    coc             TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    account_id      TEXT NOT NULL DEFAULT '',
    started         TIMESTAMP NOT NULL,
    finished        TIMESTAMP,
    status          TEXT NOT NULL,
    message         TEXT NOT NULL DEFAULT '',
    persons         INTEGER NOT NULL DEFAULT 0,
    tables_count    INTEGER NOT NULL DEFAULT 0,
    load_ms         INTEGER NOT NULL DEFAULT 0,
    compute_ms      INTEGER NOT NULL DEFAULT 0,
    zip             BYTEA
);
CREATE INDEX report_runs_started ON report_runs (started);
CREATE INDEX report_runs_account ON report_runs (account_id, started);
