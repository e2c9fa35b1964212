-- jinwei's tables and views with their columns, for the console's schema browser.
SELECT c.table AS table, t.engine AS engine, t.comment AS table_comment,
       c.name AS column, c.type AS type, c.comment AS comment
FROM system.columns AS c
INNER JOIN system.tables AS t ON t.database = c.database AND t.name = c.table
WHERE c.database = currentDatabase() AND c.table NOT LIKE '.inner%'
ORDER BY c.table, c.position
