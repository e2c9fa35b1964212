-- The files and load times behind a set of runs, for the footnote under each page.
SELECT toString(run_id) AS run_id, job, file_path, content_hash, finished_at
FROM committed_runs
WHERE run_id IN {runs:Array(UUID)}
ORDER BY finished_at DESC
