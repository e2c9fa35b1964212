-- The seven problem categories' problems found and rectified in one month, summed over the
-- given units (the newest committed value of each unit's cell). Only the two metrics and
-- the month are read, by the table's key, and 7 rows come back: the scorecard's page asked
-- for every cell of the month and summed them itself, and moving those rows cost more than
-- the query.
SELECT problem_category,
       sumIf(value, metric_code = 'problems_found') AS found,
       sumIf(value, metric_code = 'problems_rectified') AS rectified
FROM
(
    SELECT unit_kind, unit_code, metric_code, problem_category, argMax(value, loaded_at) AS value
    FROM campaign_metrics
    WHERE run_id IN (SELECT run_id FROM committed_runs)
      AND metric_code IN ('problems_found', 'problems_rectified')
      AND month = toDate({month:String})
      AND problem_category BETWEEN 1 AND 7
    GROUP BY unit_kind, unit_code, metric_code, problem_category
)
WHERE has({units:Array(String)}, unit_code)
GROUP BY problem_category
ORDER BY problem_category
