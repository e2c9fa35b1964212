-- A unit's campaign values of one month as they stand (the newest committed value of each
-- cell, whether a file or the unit's form gave it), within the caller's scope.
SELECT metric_code, problem_category, argMax(value, loaded_at) AS value, toString(argMax(run_id, loaded_at)) AS run
FROM campaign_metrics
WHERE run_id IN (SELECT run_id FROM committed_runs)
  AND unit_code = {unit_code:String} AND month = toDate({month:String})
  AND ({scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
GROUP BY metric_code, problem_category
ORDER BY metric_code, problem_category
