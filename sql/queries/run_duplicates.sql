-- Values that one run inserted more than once for the same indicator, region and period,
-- with the source lines in file order (the first is kept).
SELECT
    indicator_code, region_code, toString(period_kind) AS period_kind, year, period_no,
    arraySort(groupArray(source_line)) AS lines
FROM indicator_values
WHERE run_id = toUUID({run_id:String})
GROUP BY indicator_code, region_code, period_kind, year, period_no
HAVING count() > 1
ORDER BY lines[1]
