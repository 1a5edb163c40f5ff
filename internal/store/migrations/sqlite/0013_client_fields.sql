-- The HMIS's own client fields (issue 4 item 3): questions beyond HUD's
-- universal elements that the information panel shows and Edit Client
-- Information edits, configured by administrators (Clients → Client
-- Fields). kind is text, yes_no or choice (choices one per line). A field
-- is never deleted, only made inactive, so that values keep their label.
CREATE TABLE client_field_defs (
    id           TEXT PRIMARY KEY,
    label        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    choices      TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    date_created TEXT NOT NULL,
    date_updated TEXT NOT NULL
);
CREATE TABLE client_field_values (
    personal_id  TEXT NOT NULL,
    field_id     TEXT NOT NULL REFERENCES client_field_defs (id),
    value        TEXT NOT NULL,
    date_updated TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (personal_id, field_id)
);
-- The seed system's fields.
INSERT INTO client_field_defs (id, label, kind, choices, position, active, date_created, date_updated) VALUES
 ('limited_english', 'Limited English proficiency', 'yes_no', '', 1, 1, strftime('%Y-%m-%d %H:%M:%f','now'), strftime('%Y-%m-%d %H:%M:%f','now')),
 ('marital_status', 'Marital status', 'choice', 'Single
Married
Separated
Divorced
Widowed
Domestic partnership', 2, 1, strftime('%Y-%m-%d %H:%M:%f','now'), strftime('%Y-%m-%d %H:%M:%f','now')),
 ('education', 'Highest education completed', 'choice', 'Less than high school
Some high school
High school diploma or GED
Some college
Associate degree
Bachelor''s degree or higher', 3, 1, strftime('%Y-%m-%d %H:%M:%f','now'), strftime('%Y-%m-%d %H:%M:%f','now'));
