-- The last state one alert rule saw of each of its subjects, and the data version it was
-- seen at: the newest by data version (which only grows), then by time.
SELECT subject, argMax(fingerprint, (data_version, at)) AS fingerprint, max(data_version) AS seen_version
FROM alert_states
WHERE rule_id = {rule_id:String}
GROUP BY subject
