-- Each job's newest run and its last success (committed, or unchanged: the file was
-- already loaded), for the schedules page.
SELECT job,
       argMax(toString(status), started_at) AS last_status,
       argMax(message, started_at) AS last_message,
       argMax(message_zh, started_at) AS last_message_zh,
       toUnixTimestamp64Milli(max(started_at)) AS last_ms,
       toUnixTimestamp64Milli(maxIf(finished_at, status IN ('committed', 'unchanged'))) AS success_ms
FROM etl_runs FINAL
GROUP BY job
