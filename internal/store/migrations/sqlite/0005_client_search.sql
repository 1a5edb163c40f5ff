-- Client search (issue 4): the candidate index.
--
-- client_search has one row per live client: its SSN only as keyed
-- digests (HMAC-SHA256 under the site key; never the SSN) and the
-- blocking keys it is filed under (packed 64-bit integers, so that a
-- change can remove exactly those). client_search_keys holds the keys
-- (internal/search: name codes, DOB, SSN digests), one row per key.
-- Writers never maintain it themselves: the triggers below queue every
-- inserted, changed or deleted client, and the store indexes the queue
-- before each search (store.RefreshClientSearch), so imports, the demo
-- generator, merges and hand-written SQL all keep it right.
CREATE TABLE client_search (
    id           INTEGER PRIMARY KEY,
    personal_id  TEXT NOT NULL UNIQUE,
    ssn_digest   TEXT NOT NULL DEFAULT '',
    ssn4_digest  TEXT NOT NULL DEFAULT '',
    index_keys   BLOB
);

CREATE TABLE client_search_keys (
    k          INTEGER NOT NULL,
    client_id  INTEGER NOT NULL,
    PRIMARY KEY (k, client_id)
);

CREATE TABLE client_search_queue (
    personal_id  TEXT PRIMARY KEY
);

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients
-- (No INSERT OR IGNORE here: an outer upsert's conflict rule would
-- override it inside the trigger.)
BEGIN
    INSERT INTO client_search_queue (personal_id) SELECT NEW.personal_id WHERE NOT EXISTS (SELECT 1 FROM client_search_queue WHERE personal_id = NEW.personal_id);
END;

CREATE TRIGGER clients_search_update AFTER UPDATE OF personal_id, first_name, middle_name, last_name, ssn, dob, date_deleted ON clients
BEGIN
    INSERT INTO client_search_queue (personal_id) SELECT OLD.personal_id WHERE NOT EXISTS (SELECT 1 FROM client_search_queue WHERE personal_id = OLD.personal_id);
    INSERT INTO client_search_queue (personal_id) SELECT NEW.personal_id WHERE NOT EXISTS (SELECT 1 FROM client_search_queue WHERE personal_id = NEW.personal_id);
END;

CREATE TRIGGER clients_search_delete AFTER DELETE ON clients
BEGIN
    INSERT INTO client_search_queue (personal_id) SELECT OLD.personal_id WHERE NOT EXISTS (SELECT 1 FROM client_search_queue WHERE personal_id = OLD.personal_id);
END;

-- Clients already there are indexed by the first search.
INSERT INTO client_search_queue (personal_id) SELECT personal_id FROM clients;
