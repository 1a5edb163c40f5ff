-- Sharing (issue 6): information releases, MOU agreements and
-- transaction restrictions. The access package (internal/access/sql.go)
-- holds the one rule that reads these tables.

-- An information release: the client's consent to share their record
-- with the organizations it names (release_organizations) or that an MOU
-- agreement grants (release_mous), from begin_date to end_date inclusive,
-- until revoked. organization_id is the organization that recorded it
-- (the client's owner at the time). Consent is a signature image (PNG)
-- or a verbal consent with its witness.
CREATE TABLE releases (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    personal_id     TEXT NOT NULL,
    organization_id TEXT NOT NULL DEFAULT '',
    coverage        TEXT NOT NULL DEFAULT 'record',
    begin_date      DATE NOT NULL,
    end_date        DATE NOT NULL,
    witness         TEXT NOT NULL DEFAULT '',
    signature       BYTEA,
    created_at      TIMESTAMP NOT NULL,
    created_by      TEXT NOT NULL,
    revoked_at      TIMESTAMP,
    revoked_by      TEXT NOT NULL DEFAULT '',
    revoke_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX releases_client ON releases (personal_id);

CREATE TABLE release_organizations (
    release_id      TEXT NOT NULL REFERENCES releases (id),
    organization_id TEXT NOT NULL,
    PRIMARY KEY (release_id, organization_id)
);
CREATE INDEX release_organizations_org ON release_organizations (organization_id, release_id);

-- MOU agreements between organizations, defined by administrators. Each
-- grant lets from_org's releases that name the agreement share with
-- to_org; a two-way agreement has both grants.
CREATE TABLE mous (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL
);

CREATE TABLE mou_grants (
    mou_id      TEXT NOT NULL REFERENCES mous (id),
    from_org    TEXT NOT NULL,
    to_org      TEXT NOT NULL,
    PRIMARY KEY (mou_id, from_org, to_org)
);

CREATE TABLE release_mous (
    release_id  TEXT NOT NULL REFERENCES releases (id),
    mou_id      TEXT NOT NULL REFERENCES mous (id),
    PRIMARY KEY (release_id, mou_id)
);

-- A transaction restricted to an organization (a DV service, say) is seen
-- by that organization only, even when the client is shared. NULL: the
-- transaction follows the client's sharing.
ALTER TABLE enrollments ADD COLUMN restricted_to_org TEXT;
ALTER TABLE services ADD COLUMN restricted_to_org TEXT;
ALTER TABLE assessments ADD COLUMN restricted_to_org TEXT;
