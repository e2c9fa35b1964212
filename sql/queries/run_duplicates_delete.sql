-- Deletes the later copies of values a run inserted twice, before the run commits. The run
-- is not visible yet, so no reader sees the rows come and go. A copy is its cell (line,
-- sheet and column), ordered as run_duplicates orders them: two copies on one line (two
-- columns of a wide table, or two sheets) lost both when a copy was its line alone.
DELETE FROM indicator_values
WHERE run_id = toUUID({run_id:String})
  AND (indicator_code, region_code, period_kind, year, period_no, (source_line, source_sheet, source_col)) IN
  (
      SELECT indicator_code, region_code, period_kind, year, period_no,
             arrayJoin(arraySlice(arraySort(groupArray((source_line, source_sheet, source_col))), 2))
      FROM indicator_values
      WHERE run_id = toUUID({run_id:String})
      GROUP BY indicator_code, region_code, period_kind, year, period_no
      HAVING count() > 1
  )
