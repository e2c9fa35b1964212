-- The most recent ETL runs, newest first.
SELECT toString(run_id) AS run_id, job, file_path, content_hash, unchanged_key, toString(status) AS status,
       rows_read, rows_loaded, rows_rejected,
       toUnixTimestamp64Milli(started_at) AS started_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms, message
FROM etl_runs FINAL
ORDER BY started_at DESC
LIMIT {limit:UInt32}
