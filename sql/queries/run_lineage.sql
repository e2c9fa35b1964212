-- The files and load times behind a set of runs, for the footnote under each page.
-- (The id is not aliased run_id: an alias would shadow the column in WHERE.)
SELECT toString(run_id) AS id, job, file_path, content_hash, finished_at
FROM committed_runs
WHERE run_id IN {runs:Array(UUID)}
ORDER BY finished_at DESC
