-- The columns of one of jinwei's tables with their types, for staging inserts in them.
SELECT name, type
FROM system.columns
WHERE database = currentDatabase() AND table = {table:String}
ORDER BY position
