-- One page of a run's rejects in file order, of one reason code or all (''), whose place,
-- raw row or reason (in either language) contains the search text, after the line of the previous page's last
-- reject (the keyset cursor). A page ends at a line's end, so a line rejected more than once
-- (a field check and a duplicate) is never split between pages: the inner query finds the
-- page's last line reading only the filter's columns, and the outer one reads every reject
-- up to that line. The table is ordered by (run_id, line), so both read in that order from
-- the cursor and stop at the limit. (LIMIT … WITH TIES would say the same in one query, but
-- it makes the engine sort every matching reject of the run first: 0.6 s over a million.)
WITH (
    SELECT max(line)
    FROM
    (
        SELECT line
        FROM etl_rejects
        WHERE run_id = toUUID({run_id:String})
          AND line > {after_line:UInt32}
          AND ({code:String} = '' OR reason_code = {code:String})
          AND ({search:String} = '' OR positionCaseInsensitiveUTF8(concat(location, ' ', raw, ' ', reason, ' ', reason_zh), {search:String}) > 0)
        ORDER BY run_id, line
        LIMIT {limit:UInt32}
    )
) AS last_line
SELECT file_path, line, location, raw, reason, reason_zh, reason_code
FROM etl_rejects
WHERE run_id = toUUID({run_id:String})
  AND line > {after_line:UInt32}
  AND line <= last_line
  AND ({code:String} = '' OR reason_code = {code:String})
  AND ({search:String} = '' OR positionCaseInsensitiveUTF8(concat(location, ' ', raw, ' ', reason, ' ', reason_zh), {search:String}) > 0)
ORDER BY run_id, line
