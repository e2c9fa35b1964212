-- Every report of one kind of unit up to a month: each metric summed over the problem
-- categories (the newest committed value of each cell), with the number of cells behind
-- it, so that a metric reported by category with a blank category can be told apart.
SELECT unit_code, argMax(unit_name, month) AS unit_name, toString(month) AS month_text, metric_code,
       sum(value) AS value, count() AS cells, max(problem_category) > 0 AS by_category
FROM
(
    SELECT unit_code, month, metric_code, problem_category,
           argMax(unit_name, loaded_at) AS unit_name, argMax(value, loaded_at) AS value
    FROM campaign_metrics
    WHERE run_id IN (SELECT run_id FROM committed_runs)
      AND unit_kind = {kind:String}
      AND month <= toDate({month:String})
    GROUP BY unit_code, month, metric_code, problem_category
)
GROUP BY unit_code, month, metric_code
ORDER BY unit_code, month, metric_code
