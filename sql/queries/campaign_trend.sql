-- Province-wide monthly totals of each campaign metric (and problem category), for the
-- months up to {month} (every month when it is '').
SELECT toString(month) AS month, metric_code, problem_category, sum(value) AS total
FROM
(
    SELECT unit_code, month, metric_code, problem_category, argMax(value, loaded_at) AS value
    FROM campaign_metrics
    WHERE run_id IN (SELECT run_id FROM committed_runs)
      AND ({month:String} = '' OR month <= toDate({month:String}))
    GROUP BY unit_code, month, metric_code, problem_category
)
GROUP BY month, metric_code, problem_category
ORDER BY month, metric_code, problem_category
