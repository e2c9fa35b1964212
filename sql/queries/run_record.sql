-- Records a state change of an ETL run; etl_runs keeps the row with the highest version.
INSERT INTO etl_runs (run_id, job, file_path, content_hash, unchanged_key, vintage, vintage_en, status, rows_read, rows_loaded, rows_rejected, rows_no_value, rows_skipped, started_at, finished_at, message, message_zh, started_by, version)
SELECT
    toUUID({run_id:String}), {job:String}, {file_path:String}, {content_hash:String}, {unchanged_key:String}, {vintage:String}, {vintage_en:String}, {status:String},
    {rows_read:UInt64}, {rows_loaded:UInt64}, {rows_rejected:UInt64}, {rows_no_value:UInt64}, {rows_skipped:UInt64},
    fromUnixTimestamp64Milli({started_ms:Int64}, 'UTC'), fromUnixTimestamp64Milli({finished_ms:Int64}, 'UTC'),
    {message:String}, {message_zh:String}, {started_by:String}, {version:UInt64}
