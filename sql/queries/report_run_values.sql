-- The values one submission (run) gave, for a report's history, within the caller's scope.
SELECT metric_code, problem_category, value
FROM campaign_metrics
WHERE run_id = toUUID({run_id:String}) AND unit_code = {unit_code:String}
  AND ({scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
ORDER BY metric_code, problem_category
