-- The last state one alert rule saw of each of its subjects, and the data version it was
-- seen at.
SELECT subject, argMax(fingerprint, at) AS fingerprint, argMax(data_version, at) AS data_version
FROM alert_states
WHERE rule_id = {rule_id:String}
GROUP BY subject
