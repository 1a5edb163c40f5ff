-- Case notes (issue 4): notes about a client's case, optionally tied to
-- one of the client's enrollments. A note follows its client's sharing
-- (the access package's rule, as enrollments do); restricted_to_org, when
-- set, limits it to that organization, like a restricted transaction.
-- organization_id is the author's organization, the scope of note search.
CREATE TABLE case_notes (
    id                TEXT PRIMARY KEY,
    personal_id       TEXT NOT NULL,
    enrollment_id     TEXT,
    organization_id   TEXT,
    restricted_to_org TEXT,
    author_account_id TEXT NOT NULL DEFAULT '',
    author_user_id    TEXT NOT NULL DEFAULT '',
    note_date         DATE NOT NULL,
    text              TEXT NOT NULL,
    date_created      TIMESTAMP NOT NULL,
    date_updated      TIMESTAMP NOT NULL,
    date_deleted      TIMESTAMP
);
CREATE INDEX case_notes_client ON case_notes (personal_id, note_date);
CREATE INDEX case_notes_organization ON case_notes (organization_id, note_date);
