-- The tables and views of jinwei's database, for the guard: a statement that names one
-- not on its allowlist is refused, also when a WITH name would stand for it.
SELECT name FROM system.tables WHERE database = currentDatabase()
