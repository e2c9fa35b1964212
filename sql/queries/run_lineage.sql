-- The files, load times and vintages behind a set of runs, for the footnote under each
-- page. (The id is not aliased run_id: an alias would shadow the column in WHERE.)
SELECT toString(run_id) AS id, job, file_path, content_hash, vintage, vintage_en, finished_at
FROM etl_runs FINAL
WHERE run_id IN {runs:Array(UUID)} AND status = 'committed'
ORDER BY finished_at DESC
