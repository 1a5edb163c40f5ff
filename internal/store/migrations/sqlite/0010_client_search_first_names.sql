-- Client search files each client under its first name alone too (key
-- f|F, internal/search/keys.go), so a one-word search ("john") finds
-- first names as well as surnames. Every client is queued to be filed
-- again; the first search (or RefreshClientSearch) does it.
INSERT INTO client_search_queue (personal_id)
SELECT personal_id FROM clients c
WHERE NOT EXISTS (SELECT 1 FROM client_search_queue q WHERE q.personal_id = c.personal_id);
