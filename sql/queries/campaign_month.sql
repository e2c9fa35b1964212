-- Every unit's campaign metrics in the given months (the newest committed report of each).
-- Output names differ from the columns (month_text) so they cannot shadow them in WHERE.
SELECT
    toString(unit_kind) AS unit_kind, unit_code, argMax(unit_name, loaded_at) AS unit_name,
    toString(month) AS month_text, metric_code, problem_category, argMax(value, loaded_at) AS value
FROM campaign_metrics
WHERE run_id IN (SELECT run_id FROM committed_runs)
  AND month IN {months:Array(Date)}
GROUP BY unit_kind, unit_code, month, metric_code, problem_category
ORDER BY unit_code, month, metric_code, problem_category
