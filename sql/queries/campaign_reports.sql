-- Every report of one kind of unit up to a month, one row per unit and month: the metrics
-- it gave, each summed over the problem categories (the newest committed value of each
-- cell). A metric reported by category is left out when any of the seven is blank. One
-- row per report rather than per cell keeps the result small.
SELECT unit_code, any(unit_name) AS unit_name, toString(month) AS month_text,
       groupArrayIf(metric_code, complete) AS metrics, groupArrayIf(value, complete) AS vals
FROM
(
    SELECT unit_code, month, metric_code, argMax(unit_name, month) AS unit_name, sum(value) AS value,
           max(problem_category) = 0 OR count() = 7 AS complete
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
)
GROUP BY unit_code, month
ORDER BY unit_code, month
