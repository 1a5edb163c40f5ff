-- Housing (issue 8): one inventory model. Places (a shelter, a housing
-- site) hold rooms, rooms hold beds; each bed belongs to a program (HUD
-- Project) with the attributes HUD's Inventory (2.07) counts: household
-- type (2.07.4), bed type (2.07.5), availability (2.07.6) and the
-- dedicated flags (2.07.7-2.07.13). A room marked as a unit is one
-- housing unit (a family room, an apartment); a bed in another room is
-- its own unit (2.07.15). start_date and end_date bound when a bed is in
-- the inventory (end_date: the first day it is not, as InventoryEndDate).
-- For programs with beds here the Inventory records are computed
-- (store/housing_inventory.go).
CREATE TABLE housing_places (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    date_created TEXT NOT NULL,
    date_updated TEXT NOT NULL,
    date_deleted TEXT
);
CREATE TABLE housing_rooms (
    id           TEXT PRIMARY KEY,
    place_id     TEXT NOT NULL REFERENCES housing_places (id),
    name         TEXT NOT NULL,
    is_unit      INTEGER NOT NULL DEFAULT 0,
    date_created TEXT NOT NULL,
    date_updated TEXT NOT NULL,
    date_deleted TEXT
);
CREATE INDEX housing_rooms_place ON housing_rooms (place_id);
CREATE TABLE housing_beds (
    id             TEXT PRIMARY KEY,
    room_id        TEXT NOT NULL REFERENCES housing_rooms (id),
    project_id     TEXT NOT NULL REFERENCES projects (project_id),
    coc_code       TEXT NOT NULL,
    label          TEXT NOT NULL,
    household_type INTEGER NOT NULL,
    bed_type       INTEGER NOT NULL,
    availability   INTEGER NOT NULL,
    dedicated_ch   INTEGER NOT NULL DEFAULT 0,
    dedicated_vet  INTEGER NOT NULL DEFAULT 0,
    dedicated_youth INTEGER NOT NULL DEFAULT 0,
    start_date     TEXT NOT NULL,
    end_date       TEXT,
    date_created   TEXT NOT NULL,
    date_updated   TEXT NOT NULL,
    date_deleted   TEXT
);
CREATE INDEX housing_beds_room ON housing_beds (room_id);
CREATE INDEX housing_beds_project ON housing_beds (project_id);
-- A bed stay: a client (under an enrollment in the bed's program) in a
-- bed from started_at until ended_at (NULL while in it). At most one open
-- stay per bed and per client: the database enforces it, so two check-ins
-- into one bed at the same moment cannot both succeed.
CREATE TABLE housing_stays (
    id            TEXT PRIMARY KEY,
    bed_id        TEXT NOT NULL REFERENCES housing_beds (id),
    enrollment_id TEXT NOT NULL REFERENCES enrollments (enrollment_id),
    personal_id   TEXT NOT NULL REFERENCES clients (personal_id),
    started_at    TEXT NOT NULL,
    ended_at      TEXT,
    user_id       TEXT NOT NULL DEFAULT '',
    date_created  TEXT NOT NULL,
    date_updated  TEXT NOT NULL
);
CREATE UNIQUE INDEX housing_stays_open_bed ON housing_stays (bed_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX housing_stays_open_client ON housing_stays (personal_id) WHERE ended_at IS NULL;
CREATE INDEX housing_stays_bed ON housing_stays (bed_id, started_at);
CREATE INDEX housing_stays_enrollment ON housing_stays (enrollment_id);
-- A hold: a bed kept for a client until expires_at (or until released,
-- or taken by the client's check-in).
CREATE TABLE housing_holds (
    id           TEXT PRIMARY KEY,
    bed_id       TEXT NOT NULL REFERENCES housing_beds (id),
    personal_id  TEXT NOT NULL REFERENCES clients (personal_id),
    expires_at   TEXT NOT NULL,
    released_at  TEXT,
    user_id      TEXT NOT NULL DEFAULT '',
    date_created TEXT NOT NULL
);
CREATE INDEX housing_holds_bed ON housing_holds (bed_id, expires_at);
