-- Values that one run inserted more than once for the same indicator, region and period,
-- with the source cells (line, sheet, column) and the values they gave in file order (the first is kept): a cell
-- is ordered by its line, then its sheet, then its column, as run_duplicates_delete orders
-- them.
SELECT
    indicator_code, region_code, toString(period_kind) AS period_kind, year, period_no,
    arraySort(groupArray((source_line, source_sheet, source_col, value))) AS copies,
    arrayMap(c -> tupleElement(c, 1), copies) AS lines,
    arrayMap(c -> tupleElement(c, 2), copies) AS sheets,
    arrayMap(c -> tupleElement(c, 3), copies) AS cols,
    arrayMap(c -> tupleElement(c, 4), copies) AS vals
FROM indicator_values
WHERE run_id = toUUID({run_id:String})
GROUP BY indicator_code, region_code, period_kind, year, period_no
HAVING count() > 1
ORDER BY lines[1]
