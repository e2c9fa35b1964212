-- Marks runs left 'running' by a process that died as abandoned; their rows stay invisible.
INSERT INTO etl_runs (run_id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, status, rows_read, rows_loaded, rows_rejected, rows_no_value, rows_skipped, started_at, finished_at, message, message_zh, started_by, version)
SELECT run_id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, 'abandoned', rows_read, 0, rows_rejected, rows_no_value, rows_skipped, started_at, now64(3, 'UTC'),
       'the process loading this file stopped before it finished; nothing of it is visible',
       '载入此文件的进程在完成前停止；其中的数据均不可见', started_by, version + 1
FROM etl_runs FINAL
WHERE status = 'running'
