-- The months that campaign reports cover, newest last.
SELECT DISTINCT toString(month) AS month
FROM campaign_metrics
WHERE run_id IN (SELECT run_id FROM committed_runs)
ORDER BY month
