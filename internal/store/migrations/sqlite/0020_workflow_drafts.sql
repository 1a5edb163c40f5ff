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

-- An organization's own optional questions in a workflow definition
-- (definition_key: workflow.Definition.Key, shared by the programs with
-- the same HUD requirements) at one stage. They form one optional step,
-- placed after the definition's step after_step ('' = before the review),
-- asked about the head of household; position orders them.
CREATE TABLE workflow_questions (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    definition_key  TEXT NOT NULL,
    stage           TEXT NOT NULL,
    after_step      TEXT NOT NULL DEFAULT '',
    label           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    account_id      TEXT NOT NULL DEFAULT '',
    date_created    TEXT NOT NULL,
    date_updated    TEXT NOT NULL,
    date_deleted    TEXT
);
CREATE INDEX workflow_questions_definition ON workflow_questions (organization_id, definition_key, stage);

-- The answers to those questions, written when the workflow completes.
CREATE TABLE workflow_answers (
    id               TEXT PRIMARY KEY,
    question_id      TEXT NOT NULL REFERENCES workflow_questions (id),
    personal_id      TEXT NOT NULL,
    enrollment_id    TEXT NOT NULL,
    stage            TEXT NOT NULL,
    information_date TEXT NOT NULL,
    value            TEXT NOT NULL,
    user_id          TEXT NOT NULL DEFAULT '',
    date_created     TEXT NOT NULL
);
CREATE INDEX workflow_answers_enrollment ON workflow_answers (enrollment_id);
