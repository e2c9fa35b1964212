-- One page of a run's rejects in file order, of one reason code or all (''), whose place,
-- raw row or reason contains the search text, after the keyset cursor (line, tie) of the
-- previous page's last row. tie orders the rejects of one line (a row can be rejected once
-- per field check and again as a duplicate). The table is ordered by (run_id, line), so a
-- page reads from the cursor on instead of sorting the run's million rejects.
SELECT file_path, line, location, raw, reason, reason_code, cityHash64(location, raw, reason) AS tie
FROM etl_rejects
WHERE run_id = toUUID({run_id:String})
  AND ({code:String} = '' OR reason_code = {code:String})
  AND ({search:String} = '' OR positionCaseInsensitiveUTF8(concat(location, ' ', raw, ' ', reason), {search:String}) > 0)
  AND (line, cityHash64(location, raw, reason)) > ({after_line:UInt32}, {after_tie:UInt64})
ORDER BY line, tie
LIMIT {limit:UInt32}
