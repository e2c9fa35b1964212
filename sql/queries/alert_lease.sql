-- The claims of a lease's newest term, earliest first: the first is the holder's.
SELECT term, holder, toUnixTimestamp64Milli(at) AS at_ms, toUnixTimestamp64Milli(expires_at) AS expires_ms
FROM alert_lease
WHERE name = {name:String} AND term = (SELECT max(term) FROM alert_lease WHERE name = {name:String})
ORDER BY at, holder
