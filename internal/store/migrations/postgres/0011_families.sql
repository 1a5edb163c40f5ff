-- Families (issue 4 item 5): the people a client lives with, kept on the
-- client independently of any enrollment, so that an intake can enroll
-- the household together (issue 5). A client is in at most one family at
-- a time; removed members keep their row (date_removed) for the record.
-- relationship is HUD 3.15 RelationshipToHoH (1 = head of household);
-- the store keeps exactly one head among the current members.
CREATE TABLE families (
    id              TEXT PRIMARY KEY,
    organization_id TEXT,
    date_created    TIMESTAMP NOT NULL,
    date_updated    TIMESTAMP NOT NULL
);
CREATE TABLE family_members (
    id           TEXT PRIMARY KEY,
    family_id    TEXT NOT NULL REFERENCES families (id),
    personal_id  TEXT NOT NULL,
    relationship INTEGER NOT NULL,
    date_added   TIMESTAMP NOT NULL,
    added_by     TEXT NOT NULL,
    date_removed TIMESTAMP,
    removed_by   TEXT
);
CREATE INDEX family_members_family ON family_members (family_id);
CREATE UNIQUE INDEX family_members_current ON family_members (personal_id) WHERE date_removed IS NULL;
