-- The newest committed loads of some jobs: the files behind a page's numbers.
SELECT toString(run_id) AS id, job, file_path, finished_at
FROM committed_runs
WHERE job IN {jobs:Array(String)}
ORDER BY finished_at DESC
LIMIT {limit:UInt32}
