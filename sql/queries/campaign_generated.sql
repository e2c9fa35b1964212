-- Whether any committed campaign row of a month ('' for every month) is generated.
SELECT toUInt8(max(generated)) AS generated
FROM campaign_metrics
WHERE run_id IN (SELECT run_id FROM committed_runs)
  AND ({month:String} = '' OR month = toDate({month:String}))
