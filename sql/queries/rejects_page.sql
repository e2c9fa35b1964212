-- One page of a run's rejects in file order, of one reason code or all (''), whose place,
-- raw row or reason contains the search text, after the line of the previous page's last
-- reject (the keyset cursor). WITH TIES ends a page at a line's end, so a line rejected
-- more than once (a field check and a duplicate) is never split between pages. The table is
-- ordered by (run_id, line): the primary index skips to the cursor and the page is read in
-- that order, stopping at the limit, instead of sorting the run's million rejects.
SELECT file_path, line, location, raw, reason, reason_code
FROM etl_rejects
WHERE run_id = toUUID({run_id:String})
  AND line > {after_line:UInt32}
  AND ({code:String} = '' OR reason_code = {code:String})
  AND ({search:String} = '' OR positionCaseInsensitiveUTF8(concat(location, ' ', raw, ' ', reason), {search:String}) > 0)
ORDER BY run_id, line
LIMIT {limit:UInt32} WITH TIES
