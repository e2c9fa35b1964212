-- One shared query by its id, unless deleted.
SELECT toString(id) AS id_text, name, statement, owner, toString(created_at) AS created
FROM saved_queries FINAL
WHERE id = toUUID({id:String}) AND removed = 0
