-- Deliveries, newest first: with due = 1 only the pending ones whose time has come, oldest
-- first (the sender's queue); otherwise the delivery log.
SELECT id, alert_id, rule_id, subject, data_version, channel, target, recipient, title, body, attachment, status, attempts,
       toUnixTimestamp64Milli(next_at) AS next_ms, last_error, toUnixTimestamp64Milli(created_at) AS created_ms,
       toUnixTimestamp64Milli(sent_at) AS sent_ms
FROM alert_deliveries FINAL
WHERE {due:UInt8} = 0 OR (status = 'pending' AND next_at <= fromUnixTimestamp64Milli({now_ms:Int64}, 'UTC'))
ORDER BY if({due:UInt8} = 1, toUnixTimestamp64Milli(created_at), -toUnixTimestamp64Milli(created_at)), id
LIMIT {limit:UInt32}
