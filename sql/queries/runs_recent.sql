-- The most recent ETL runs, newest first; with changed_only, not the loads of a file already
-- loaded (every start of `serve` records one per demo file).
SELECT toString(run_id) AS run_id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, toString(status) AS status,
       rows_read, rows_loaded, rows_rejected, rows_no_value, rows_skipped,
       toUnixTimestamp64Milli(started_at) AS started_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms, message, message_zh, started_by
FROM etl_runs FINAL
WHERE {changed_only:UInt8} = 0 OR status != 'unchanged'
ORDER BY started_at DESC
LIMIT {limit:UInt32}
