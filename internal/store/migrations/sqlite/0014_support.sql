-- Support (issue 8): help tickets users file with the HMIS
-- administrators, their threads, in-app notifications and a short
-- knowledge base. Tickets are about the system, not about clients: a
-- ticket names a page and a record by ID only (page_path, record_id),
-- and the forms warn against typing client PII (store/support_pii.go).

-- Knowledge base: answers administrators write and link from replies.
CREATE TABLE support_articles (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    author_account_id TEXT NOT NULL DEFAULT '',
    date_created      TEXT NOT NULL,
    date_updated      TEXT NOT NULL
);

-- One ticket. account_id is who filed it (the only non-administrator who
-- may see it); status is open, waiting, escalated or resolved;
-- vendor_reference is the vendor's ticket number once escalated.
CREATE TABLE support_tickets (
    id                  TEXT PRIMARY KEY,
    account_id          TEXT NOT NULL,
    organization_id     TEXT NOT NULL DEFAULT '',
    subject             TEXT NOT NULL,
    category            TEXT NOT NULL,
    priority            TEXT NOT NULL,
    description         TEXT NOT NULL,
    page_path           TEXT NOT NULL DEFAULT '',
    record_id           TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    assigned_account_id TEXT,
    vendor_reference    TEXT NOT NULL DEFAULT '',
    pii_confirmed       INTEGER NOT NULL DEFAULT 0,
    date_created        TEXT NOT NULL,
    date_updated        TEXT NOT NULL,
    date_resolved       TEXT
);
CREATE INDEX support_tickets_account ON support_tickets (account_id, date_updated);
CREATE INDEX support_tickets_queue ON support_tickets (status, date_updated);

-- The thread: replies (seen by the filer), internal notes (kind 'note',
-- administrators only) and events (status and assignment changes;
-- internal ones are administrators only).
CREATE TABLE support_messages (
    id                TEXT PRIMARY KEY,
    ticket_id         TEXT NOT NULL REFERENCES support_tickets (id),
    author_account_id TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL,
    internal          INTEGER NOT NULL DEFAULT 0,
    body              TEXT NOT NULL,
    article_id        TEXT REFERENCES support_articles (id),
    date_created      TEXT NOT NULL
);
CREATE INDEX support_messages_ticket ON support_messages (ticket_id, date_created);

-- In-app notifications: one row per account and event (a reply on a
-- ticket); date_read is set when the account opens the ticket.
CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    date_created TEXT NOT NULL,
    date_read    TEXT
);
CREATE INDEX notifications_account ON notifications (account_id, date_read);
CREATE INDEX notifications_entity ON notifications (entity, entity_id);
