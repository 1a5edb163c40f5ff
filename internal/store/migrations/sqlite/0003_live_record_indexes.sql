-- Narrow covering indexes for counting live (not soft-deleted) records:
-- the dashboard counts clients, households, enrollments and open
-- enrollments on every visit, and scanning the wide HUD rows was the cost
-- (0.55 s -> 0.2 s at 100,000 clients on SQLite; see docs/PERFORMANCE.md).
CREATE INDEX clients_live ON clients (date_deleted);
CREATE INDEX enrollments_live ON enrollments (date_deleted, household_id, enrollment_id);
CREATE INDEX exits_live ON exits (enrollment_id, date_deleted);
CREATE INDEX services_live ON services (date_deleted);
