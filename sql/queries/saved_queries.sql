-- The shared saved queries, newest first.
SELECT toString(id) AS id_text, name, statement, owner, toString(created_at) AS created
FROM saved_queries FINAL
WHERE removed = 0
ORDER BY created_at DESC
