-- Every alert rule, by id: the newest version of each (a page edit over the config seed).
SELECT id, kind, spec, enabled, source, updated_by, toUnixTimestamp64Milli(updated_at) AS updated_ms
FROM alert_rules FINAL
ORDER BY id
