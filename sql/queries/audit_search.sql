-- The audit log searched by user and kind (action) over a time range, newest first; ''
-- matches every user or kind.
SELECT toString(at) AS at_text, user, action, statement, format, rows, duration_ms, toString(outcome) AS outcome_text, message
FROM audit_log
WHERE ({user:String} = '' OR user = {user:String})
  AND ({action:String} = '' OR action = {action:String})
  AND at >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
  AND at < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
ORDER BY at DESC
LIMIT {limit:UInt32}
