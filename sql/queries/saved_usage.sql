-- How many shared queries an account keeps, and their statements' bytes.
SELECT count() AS n, sum(length(statement)) AS bytes
FROM saved_queries FINAL
WHERE owner = {owner:String} AND removed = 0
