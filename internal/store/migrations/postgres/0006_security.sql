-- Security (issue 6): a tamper-evident audit log, two-factor sign-in and
-- one session per user.
--
-- Each audit row carries the hash of the row before it and its own hash
-- over that and its content (store/audit_chain.go); audit_head holds the
-- newest row's id and hash, so that deleting rows at the end is noticed
-- too, and is the row writers lock to append one at a time. A last_hash
-- of '' means the rows written before this migration are not chained yet:
-- the first write chains them.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_account ON audit_log (account_id, id);

CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY,
    last_id    BIGINT NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');

-- TOTP (RFC 6238): the secret sealed with AES-GCM under the site key
-- (internal/secret), on once confirmed with a code; last_step refuses a
-- code used twice.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;

-- One-time recovery codes, stored as SHA-256 hashes.
CREATE TABLE recovery_codes (
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    code_hash   TEXT NOT NULL,
    used_at     TIMESTAMP,
    PRIMARY KEY (account_id, code_hash)
);

-- A password that passed, waiting for its second factor (5 minutes).
CREATE TABLE sign_in_challenges (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    expires     TIMESTAMP NOT NULL
);

-- Why a session ended ("replaced", "revoked", "password"), so that the
-- browser holding it can be told; must_enrol_2fa sends the session to
-- two-factor enrolment before anything else opens.
ALTER TABLE sessions ADD COLUMN ended_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN must_enrol_2fa BOOLEAN NOT NULL DEFAULT FALSE;
