-- Guided workflows (issue 5): a workflow in progress, kept as a draft
-- from its start until it is completed or discarded, so that a paused
-- intake, update, annual assessment or exit resumes exactly where it
-- stopped. data holds the typed answers as JSON, one object per step
-- ({"Income and benefits": {"PERSONALID.income_from_any_source": "1"}});
-- members the household members ([{"personal_id": ..., "enrollment_id": ...}]).
-- version counts saves: a save with an older version is refused (two
-- people on one draft). stamp is the state of the enrollments when an
-- update, annual or exit started, checked again when it completes.
CREATE TABLE workflow_drafts (
    id              TEXT PRIMARY KEY,
    personal_id     TEXT NOT NULL,
    project_id      TEXT NOT NULL,
    enrollment_id   TEXT,
    stage           TEXT NOT NULL,
    step            INTEGER NOT NULL DEFAULT 0,
    members         TEXT NOT NULL,
    data            TEXT NOT NULL,
    stamp           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    organization_id TEXT,
    account_id      TEXT NOT NULL DEFAULT '',
    user_id         TEXT NOT NULL DEFAULT '',
    date_created    TEXT NOT NULL,
    date_updated    TEXT NOT NULL,
    date_completed  TEXT
);
CREATE INDEX workflow_drafts_client ON workflow_drafts (personal_id, status);
CREATE INDEX workflow_drafts_account ON workflow_drafts (account_id, status);
