-- The newest committed loads of some jobs: the files behind a page's numbers.
SELECT toString(run_id) AS id, job, file_path, vintage, finished_at
FROM etl_runs FINAL
WHERE job IN {jobs:Array(String)} AND status = 'committed'
ORDER BY finished_at DESC
LIMIT {limit:UInt32}
