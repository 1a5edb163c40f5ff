-- Calendar (issue 8, Home → Calendar and Clients → Calendar).
--
-- An event belongs to the account that made it (owner_account_id). Its
-- attendees are staff accounts (account_id) and clients (personal_id).
-- An event with at least one client attendee is client data: it is seen
-- only by users who may see every one of its clients (the store's
-- recordVisibility); an event without clients is seen by its owner and
-- its staff attendees only.
--
-- starts_at and ends_at are UTC instants; time_zone is the IANA zone the
-- times were entered in (recurrences repeat at the same wall-clock time
-- there). An all-day event runs from starts_at's date to the day before
-- ends_at's date (ends_at is exclusive, as iCalendar's DTEND).
--
-- A recurring event (repeat_freq DAILY, WEEKLY or MONTHLY) repeats every
-- repeat_interval periods, on repeat_byday ("MO,WE") for weekly ones,
-- until repeat_until (a date, inclusive) or for repeat_count occurrences
-- (never both); calendar_exceptions are cancelled occurrences (their
-- original start).
CREATE TABLE calendar_events (
    id                TEXT PRIMARY KEY,
    owner_account_id  TEXT NOT NULL,
    organization_id   TEXT,
    title             TEXT NOT NULL,
    location          TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    all_day           INTEGER NOT NULL DEFAULT 0,
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    time_zone         TEXT NOT NULL DEFAULT 'UTC',
    repeat_freq       TEXT NOT NULL DEFAULT '',
    repeat_interval   INTEGER NOT NULL DEFAULT 1,
    repeat_count      INTEGER,
    repeat_until      TEXT,
    repeat_byday      TEXT NOT NULL DEFAULT '',
    follow_up         INTEGER NOT NULL DEFAULT 0,
    follow_up_done_at TEXT,
    date_created      TEXT NOT NULL,
    date_updated      TEXT NOT NULL,
    date_deleted      TEXT
);
CREATE INDEX calendar_events_owner ON calendar_events (owner_account_id, starts_at);

-- One row per attendee: a staff account or a client (the id lets a
-- client merge move the row, store/duplicates.go).
CREATE TABLE calendar_attendees (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL REFERENCES calendar_events (id),
    account_id  TEXT,
    personal_id TEXT
);
CREATE INDEX calendar_attendees_event ON calendar_attendees (event_id);
CREATE INDEX calendar_attendees_account ON calendar_attendees (account_id);
CREATE INDEX calendar_attendees_client ON calendar_attendees (personal_id);

CREATE TABLE calendar_exceptions (
    event_id         TEXT NOT NULL REFERENCES calendar_events (id),
    occurrence_start TEXT NOT NULL,
    cancelled_by     TEXT NOT NULL DEFAULT '',
    date_created     TEXT NOT NULL,
    PRIMARY KEY (event_id, occurrence_start)
);

-- Private iCalendar feeds: one live token per account at most; a revoked
-- token stays (revoked_at set) so that its URL can say it was revoked.
-- Only the token's SHA-256 is stored.
CREATE TABLE calendar_feed_tokens (
    token_hash  TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX calendar_feed_tokens_account ON calendar_feed_tokens (account_id);

-- Per-account calendar settings: show_client_names puts clients' full
-- names in the feed (default: initials only).
CREATE TABLE calendar_settings (
    account_id        TEXT PRIMARY KEY,
    show_client_names INTEGER NOT NULL DEFAULT 0,
    date_updated      TEXT NOT NULL
);
