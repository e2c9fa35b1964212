-- Writes (adds or replaces) one alert rule.
INSERT INTO alert_rules (id, kind, spec, enabled, source, updated_by, updated_at, version)
SELECT {id:String}, {kind:String}, {spec:String}, {enabled:UInt8}, {source:String}, {updated_by:String}, now64(3, 'UTC'), {version:UInt64}
