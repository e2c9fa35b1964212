-- Records one ad hoc query or export.
INSERT INTO audit_log (at, user, action, statement, format, rows, duration_ms, outcome, message)
SELECT now64(3, 'UTC'), {user:String}, {action:String}, {statement:String}, {format:String},
       {rows:UInt64}, {duration_ms:UInt64}, {outcome:String}, {message:String}
