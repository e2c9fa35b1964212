-- How many runs are marked running: at start-up, those a dead process left.
SELECT count() AS n FROM etl_runs FINAL WHERE status = 'running'
