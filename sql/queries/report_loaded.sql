-- The units with campaign values from committed loads in the given months (within the
-- caller's scope): a month the province loaded from its monthly file is reported for every
-- unit in it, though no unit submitted it here.
SELECT DISTINCT unit_code, toString(month) AS month_text
FROM campaign_metrics
WHERE month IN {months:Array(Date)}
  AND run_id IN (SELECT run_id FROM committed_runs)
  AND ({scope_all:UInt8} = 1 OR unit_code = {scope_unit:String})
