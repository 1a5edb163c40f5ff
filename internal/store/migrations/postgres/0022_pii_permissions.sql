-- Per-field PII permissions (issue 6 items 4 and 7).
--
-- An account's own setting for one permission (access.PIIField: full_ssn,
-- dob, photo, sensitive) on top of its role's rule (the settings
-- pii_<field>_roles): allow = 1 grants it, allow = 0 withdraws it; no row
-- inherits the role's rule.
CREATE TABLE account_pii (
    account_id   TEXT NOT NULL,
    field        TEXT NOT NULL,
    allow        INTEGER NOT NULL,
    date_updated TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (account_id, field)
);

-- A client's photo: a JPEG or PNG re-encoded by Hearth (so no metadata
-- such as a camera's location survives), at most one per client.
CREATE TABLE client_photos (
    personal_id  TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    date_updated TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL
);

-- Client fields an administrator marks sensitive: their values are sealed
-- with the site key (client_field_values.value holds "f1:<sealed>").
ALTER TABLE client_field_defs ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
