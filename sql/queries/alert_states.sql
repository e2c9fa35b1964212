-- The last state one alert rule saw of each of its subjects.
SELECT subject, argMax(fingerprint, at) AS fingerprint
FROM alert_states
WHERE rule_id = {rule_id:String}
GROUP BY subject
