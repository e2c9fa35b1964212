-- The latest committed run of a job that loaded a file with this unchanged key (the file's
-- hash mixed with the job's configuration).
SELECT toString(run_id) AS run_id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, toString(status) AS status,
       rows_read, rows_loaded, rows_rejected, rows_no_value, rows_skipped,
       toUnixTimestamp64Milli(started_at) AS started_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms, message, message_zh, started_by
FROM etl_runs FINAL
WHERE job = {job:String} AND unchanged_key = {unchanged_key:String} AND status = 'committed'
ORDER BY finished_at DESC
LIMIT 1
