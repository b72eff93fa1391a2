-- The database file's own identity: version id (new on every write) and when it was written.
-- Params: none. Grain: one row per key.
select key, value from meta order by key;
