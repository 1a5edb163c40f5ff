-- Users in several organizations (issue 6 item 4): an account belongs to
-- its home organization (accounts.organization_id) and to those listed
-- here, and acts for one of them at a time: the session's
-- acting_organization_id (NULL: the home organization). What the user may
-- see and do is decided for the organization they act for.
CREATE TABLE account_organizations (
    account_id      TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    date_added      TIMESTAMP NOT NULL,
    added_by        TEXT NOT NULL,
    PRIMARY KEY (account_id, organization_id)
);
ALTER TABLE sessions ADD COLUMN acting_organization_id TEXT;
