-- The newest audit entries, of one user or ('' ) of everyone.
SELECT toString(at) AS at_text, user, action, statement, format, rows, duration_ms, toString(outcome) AS outcome_text, message
FROM audit_log
WHERE {user:String} = '' OR user = {user:String}
ORDER BY at DESC
LIMIT {limit:UInt32}
