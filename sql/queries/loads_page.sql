-- One page of the operator's loads: runs newest first, filtered by run, job, status and
-- start time, after the keyset cursor (started_at, run_id) of the previous page's last row.
-- Never OFFSET: a page deep in 100,000 runs costs what the first one does. The inner query
-- filters the raw columns, so the outer aliases (run_id as text) cannot shadow them.
SELECT toString(id) AS run_id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, toString(st) AS status,
       rows_read, rows_loaded, rows_rejected, rows_no_value, rows_skipped,
       toUnixTimestamp64Milli(started_at) AS started_ms, toUnixTimestamp64Milli(finished_at) AS finished_ms, message, message_zh, started_by
FROM
(
    SELECT run_id AS id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, status AS st, rows_read, rows_loaded, rows_rejected, rows_no_value,
           rows_skipped, started_at, finished_at, message, message_zh, started_by
    FROM etl_runs FINAL
    WHERE ({run_id:String} = '' OR run_id = toUUIDOrZero({run_id:String}))
      AND ({job:String} = '' OR job = {job:String})
      AND ({status:String} = '' OR toString(status) = {status:String})
      AND started_at >= fromUnixTimestamp64Milli({from_ms:Int64}, 'UTC')
      AND started_at < fromUnixTimestamp64Milli({to_ms:Int64}, 'UTC')
      AND ({before_ms:Int64} = 0
           OR (started_at, run_id) < (fromUnixTimestamp64Milli({before_ms:Int64}, 'UTC'), toUUIDOrZero({before_id:String})))
    ORDER BY started_at DESC, run_id DESC
    LIMIT {limit:UInt32}
)
ORDER BY started_at DESC, id DESC
