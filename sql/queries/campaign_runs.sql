-- The loads whose rows are the current campaign reports of the months up to {month}: what
-- a scorecard of that month (its yardsticks reach back over earlier months) and the trend
-- up to it are computed from, and so what the page's footnote cites.
SELECT DISTINCT toString(run) AS id
FROM
(
    SELECT argMax(run_id, loaded_at) AS run
    FROM campaign_metrics
    WHERE run_id IN (SELECT run_id FROM committed_runs)
      AND month <= toDate({month:String})
    GROUP BY unit_code, month, metric_code, problem_category
)
