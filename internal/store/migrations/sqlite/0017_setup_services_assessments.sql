-- Issue 5: program setup, services and the organization's own assessments.
--
-- service_catalog: the services a program offers (Setup, administrators).
-- A HUD service has record_type (list 1.4) and type_provided (the list
-- that RecordType selects); recording it writes a HUD Services record
-- (Services.csv). Others are the program's own. Amounts are cents.
-- sub_type_provided (SSVF V2.A-C) and other_type_provided (V2.D, V8.A,
-- C2.A MovingOnOtherType) are the details some types need.
CREATE TABLE service_catalog (
    id                   TEXT PRIMARY KEY,
    project_id           TEXT NOT NULL,
    name                 TEXT NOT NULL,
    record_type          INTEGER,
    type_provided        INTEGER,
    sub_type_provided    INTEGER,
    other_type_provided  TEXT NOT NULL DEFAULT '',
    unit                 TEXT NOT NULL DEFAULT '',
    default_units        INTEGER NOT NULL DEFAULT 1,
    default_amount_cents INTEGER,
    active               INTEGER NOT NULL DEFAULT 1,
    date_created         TEXT NOT NULL,
    date_updated         TEXT NOT NULL,
    date_deleted         TEXT
);
CREATE INDEX service_catalog_project ON service_catalog (project_id);

-- service_records: every service recorded from a catalog, with what HUD's
-- Services.csv has no column for (end date, units, amount, provider).
-- services_id is the HUD Services record written with it (HUD catalog
-- entries only). restricted_to_org follows the enrollment's, so that the
-- access package's transaction rule applies as it does to services.
CREATE TABLE service_records (
    id                TEXT PRIMARY KEY,
    personal_id       TEXT NOT NULL,
    enrollment_id     TEXT NOT NULL,
    catalog_id        TEXT NOT NULL,
    services_id       TEXT,
    date_provided     TEXT NOT NULL,
    end_date          TEXT,
    units             INTEGER NOT NULL,
    amount_cents      INTEGER,
    provider_org      TEXT,
    restricted_to_org TEXT,
    author_account_id TEXT NOT NULL DEFAULT '',
    date_created      TEXT NOT NULL,
    date_updated      TEXT NOT NULL,
    date_deleted      TEXT
);
CREATE INDEX service_records_client ON service_records (personal_id, date_provided);
CREATE INDEX service_records_enrollment ON service_records (enrollment_id);

-- org_assessments: an organization's own assessments, a named set of
-- questions (org_assessment_questions; kind text, number, yes_no or
-- choice, choices one per line) answered for a client at a point in time
-- (org_assessment_responses, org_assessment_answers; the answer keeps the
-- question as it was asked).
CREATE TABLE org_assessments (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    date_created    TEXT NOT NULL,
    date_updated    TEXT NOT NULL,
    date_deleted    TEXT
);
CREATE INDEX org_assessments_org ON org_assessments (organization_id);

CREATE TABLE org_assessment_questions (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    label         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    choices       TEXT NOT NULL DEFAULT '',
    required      INTEGER NOT NULL DEFAULT 0,
    date_created  TEXT NOT NULL,
    date_deleted  TEXT
);
CREATE INDEX org_assessment_questions_assessment ON org_assessment_questions (assessment_id, position);

CREATE TABLE org_assessment_responses (
    id                    TEXT PRIMARY KEY,
    assessment_id         TEXT NOT NULL,
    personal_id           TEXT NOT NULL,
    enrollment_id         TEXT,
    organization_id       TEXT NOT NULL,
    restricted_to_org     TEXT,
    assessment_date       TEXT NOT NULL,
    data_collection_stage INTEGER,
    author_account_id     TEXT NOT NULL DEFAULT '',
    date_created          TEXT NOT NULL,
    date_updated          TEXT NOT NULL,
    date_deleted          TEXT
);
CREATE INDEX org_assessment_responses_client ON org_assessment_responses (personal_id, assessment_date);

CREATE TABLE org_assessment_answers (
    response_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    label       TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
