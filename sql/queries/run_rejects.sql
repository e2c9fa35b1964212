-- The rejected rows of one run, in file order.
SELECT file_path, line, location, raw, reason, reason_zh, reason_code
FROM etl_rejects
WHERE run_id = toUUID({run_id:String})
ORDER BY line, location
