-- Deletes the later copies of values a run inserted twice, before the run commits. The run
-- is not visible yet, so no reader sees the rows come and go.
DELETE FROM indicator_values
WHERE run_id = toUUID({run_id:String})
  AND (indicator_code, region_code, period_kind, year, period_no, source_line) IN
  (
      SELECT indicator_code, region_code, period_kind, year, period_no, arrayJoin(arraySlice(arraySort(groupArray(source_line)), 2))
      FROM indicator_values
      WHERE run_id = toUUID({run_id:String})
      GROUP BY indicator_code, region_code, period_kind, year, period_no
      HAVING count() > 1
  )
